"""The append-only record of every transition and every change to a person, post or policy."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.masking import HMAC_SUFFIX
from core.scoping import ScopePaths


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who did what to which record, when, with the values before and after.

    ``township`` and ``county`` are copied from the subject so that scoping works without
    following generic relations.
    """

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "Created")
        UPDATE = "update", _("Changed")
        TRANSITION = "transition", _("State change")
        IMPORT = "import", _("Imported")
        # A list exported to Excel (web.exports), recorded on the account that exported it.
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    transition = models.CharField(_("transition"), max_length=64, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    object_repr = models.CharField(_("record"), max_length=200)
    county = models.ForeignKey(
        "organisation.County", on_delete=models.PROTECT, null=True, related_name="+"
    )
    township = models.ForeignKey(
        "organisation.Township", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(_("before"), default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), default=dict, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditQuerySet.as_manager()

    scope_paths = ScopePaths(county="county", township="township")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The audit log and recent changes of a county or a township, newest first
            models.Index(fields=["county", "-at", "-id"], name="audit_county_at"),
            models.Index(fields=["township", "-at", "-id"], name="audit_township_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def changes(self) -> list[tuple[str, object, object]]:
        """(key, before, after) of every value that changed. The keyed hashes stored beside
        masked ID and mobile numbers (``audit.masking``) are not shown; a number whose mask
        stayed the same but whose hash changed counts as changed."""
        before, after = self.before or {}, self.after or {}
        keys = set(before) | set(after)
        shown = sorted(k for k in keys if not _is_hash_of(k, keys))
        return [
            (k, before.get(k), after.get(k))
            for k in shown
            if before.get(k) != after.get(k)
            or before.get(k + HMAC_SUFFIX) != after.get(k + HMAC_SUFFIX)
        ]


def _is_hash_of(key: str, keys: set[str]) -> bool:
    return key.endswith(HMAC_SUFFIX) and key[: -len(HMAC_SUFFIX)] in keys
