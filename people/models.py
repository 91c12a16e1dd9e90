"""Persons: applicants and directors, with their identity and contact details."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.display import AuditValue
from audit.models import AppendOnlyError
from core.education import Education, Sex
from core.identity import mask_id_number, mask_mobile
from core.scoping import ScopePaths
from core.text import pinyin_key
from people.search import name_search_key


class Person(models.Model):
    """A person known to the system: an applicant, a director or a former director.

    The ID number is the natural key. It is shown masked everywhere; viewing the full number
    (or the full phone number) needs ``people.view_full_identity`` and writes an
    ``IdentityAccess`` row.
    """

    name = models.CharField(_("name"), max_length=64)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=256, editable=False)
    # Toneless pinyin for searching (people.search); PostgreSQL has a trigram index of it.
    name_search = models.CharField(
        _("name for searching"), max_length=512, editable=False, default=""
    )
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    phone = models.CharField(_("mobile phone"), max_length=11)
    education = models.CharField(_("education"), max_length=32, choices=Education.choices)
    school = models.CharField(_("school"), max_length=128, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)
    household_registration = models.CharField(
        _("household registration"),
        max_length=200,
        help_text=_("Address of the household registration (户籍所在地)."),
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("The township that keeps this person's record."),
    )
    village = models.ForeignKey(
        "organisation.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Left out of its audit trail (audit.display): the sort key and the save time.
    audit_values = {
        "name_pinyin": AuditValue(hidden=True),
        "updated_at": AuditValue(hidden=True),
    }

    scope_paths = ScopePaths(
        county="township__county", township="township", village="village", self="pk"
    )
    # Kept from the name on every save; left out of audit snapshots.
    derived_fields = ("name_pinyin", "name_search")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_pinyin", "id"]
        indexes = [
            # The list of a township, and of a county (through its townships), by pinyin
            models.Index(fields=["township", "name_pinyin", "id"], name="person_township_pinyin"),
            models.Index(fields=["name_pinyin", "id"], name="person_pinyin"),
        ]
        permissions = [
            ("view_full_identity", _("Can view full ID and phone numbers")),
            # The county keeps the personnel archive (archive.services).
            ("issue_archive_extract", _("Can issue personnel archive extracts")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_id_number})"

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)
        self.name_search = name_search_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_search"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)


class IdentityAccessQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Identity access records cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Identity access records cannot be deleted.")


class IdentityAccess(models.Model):
    """A record that someone saw a person's full ID or phone number. Append-only: saving an
    existing row, deleting one and updating or deleting through a queryset all raise
    ``AppendOnlyError``, as for audit entries."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("mobile phone")

    at = models.DateTimeField(_("at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="identity_accesses",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="accesses"
    )
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    reason = models.CharField(_("reason"), max_length=200)

    objects = IdentityAccessQuerySet.as_manager()

    scope_paths = ScopePaths(county="person__township__county", township="person__township")

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.person} {self.field}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Identity access records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Identity access records cannot be deleted.")
