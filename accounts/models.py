"""Users, each with one role scoped to a county, township, village or their own records."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.constants import ROLE_SCOPE, Role, Scope


class User(AbstractUser):
    """A staff member, village committee member or director who signs in.

    The role decides what the user may do (see ``accounts.constants.ROLE_PERMISSIONS``); the
    county, township and village fields decide which records the user may see
    (``accounts.scoping``).
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="users",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    village = models.ForeignKey(
        "organisation.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
        help_text=_("For directors: the person record the account belongs to."),
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def scope(self) -> str:
        return ROLE_SCOPE[self.role]

    def get_full_name(self) -> str:
        """Chinese names read family name first, without a space (罗敏)."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u3400" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return super().get_full_name()

    @property
    def heads_leading_group(self) -> bool:
        """A committee member who heads the township's recruitment leading group (组长), the
        one who approves its announcements (``Township.leading_group_head``). Read once per
        user object (the permission backend asks too); from the township when it is loaded
        with the user (the admin's list), else with one query."""
        if not hasattr(self, "_head_cache"):
            township_id = self.township_id if self.role == Role.TOWNSHIP_COMMITTEE else None
            if township_id is None:
                head = False
            elif type(self).township.is_cached(self):  # type: ignore[attr-defined]
                head = self.township.leading_group_head_id == self.pk  # type: ignore[union-attr]
            else:
                head = self.headed_townships.filter(pk=township_id).exists()
            self._head_cache = head
        return self._head_cache

    @property
    def role_label(self) -> str:
        """The role as the menu and user lists name it, the head of the leading group as
        such."""
        if self.heads_leading_group:
            return str(_("Head of the township recruitment leading group"))
        return str(self.get_role_display())

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def audit_label(self) -> str:
        """How the audit trail names the account (``audit.services.audit_record``)."""
        return self.display_name

    def clean(self) -> None:
        super().clean()
        scope = ROLE_SCOPE.get(self.role)
        errors: dict[str, object] = {}
        if scope in (Scope.TOWNSHIP, Scope.VILLAGE) and not self.township_id:
            errors["township"] = _("This role needs a township.")
        if scope == Scope.VILLAGE and not self.village_id:
            errors["village"] = _("This role needs a village.")
        if scope == Scope.SELF and not self.person_id:
            errors["person"] = _("A director account needs the director's person record.")
        if self.township and self.county_id and self.township.county_id != self.county_id:
            errors["township"] = _("The township is not in the user's county.")
        if self.village and self.township_id and self.village.township_id != self.township_id:
            errors["village"] = _("The village is not in the user's township.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The administrator role is the only one that reaches the Django admin.
        self.is_superuser = self.role == Role.ADMINISTRATOR
        self.is_staff = self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)
