"""Issued documents. A document is immutable once stored; a correction supersedes it.

Documents are created only by ``paperwork.services.document_issue``.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.display import AuditValue, short_hash
from core.scoping import ScopePaths
from paperwork import kinds
from paperwork.kinds import Kind

# Crockford's base32 alphabet: no I, L, O or U to misread on paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 10 × 5 bits = 50 bits of randomness


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class _KindNames:
    """Deprecated, for code written when the kinds were a ``TextChoices`` here:
    ``DocumentKind.SOME_KIND`` is the registered kind with the code ``some_kind``. Import the
    constant from the app that declares the kind instead (``<app>.kinds.SOME_KIND``); remove
    this once nothing uses it.
    """

    def __getattr__(self, name: str) -> Kind:
        if not name.isupper():
            raise AttributeError(name)
        try:
            return kinds.get(name.lower())
        except LookupError:
            raise AttributeError(name) from None


DocumentKind = _KindNames()


class ImmutableError(RuntimeError):
    pass


class DocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("Documents are immutable; issue a new version instead.")

    def delete(self):
        raise ImmutableError("Documents are immutable; issue a new version instead.")


class Document(models.Model):
    """One issued PDF: what it is, about whom, from which template and policy version,
    its SHA-256, and the code anyone can check at ``/verify/<code>``.

    States (derived, never stored):
    - current: no later document supersedes it.
    - superseded: a later document of the same kind and subject names it in ``supersedes``.

    ``title`` and ``subject_repr`` are shown on the public verify page of a document without
    a ``person``, so they never carry a person's name; for a document about a person, the page
    shows the masked ID number only.
    """

    # The apps register their kinds (paperwork.kinds); the choices are read from the registry.
    kind = models.CharField(_("kind"), max_length=kinds.CODE_MAX_LENGTH, choices=kinds.kind_choices)
    title = models.CharField(_("title"), max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject_repr = models.CharField(
        _("subject"), max_length=200, help_text=_("Masked: never a full ID number.")
    )
    template_name = models.CharField(_("template"), max_length=128)
    template_version = models.CharField(_("template version"), max_length=16)
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    issuing_body = models.CharField(_("issuing body"), max_length=128)
    county = models.ForeignKey(
        "organisation.County", on_delete=models.PROTECT, related_name="documents"
    )
    township = models.ForeignKey(
        "organisation.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("The person the document is about, if any."),
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    verification_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code
    )
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("produced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    transition = models.CharField(_("transition"), max_length=64, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    # The service sets it, so that the date printed on the page and the stored one agree.
    issued_at = models.DateTimeField(
        _("issued at"), default=timezone.now, editable=False, db_index=True
    )

    objects = DocumentQuerySet.as_manager()

    # How its audit entry reads (audit.display): the storage path and template version are
    # of no use to a clerk, the hash is shortened.
    audit_values = {
        "subject": AuditValue(_("about")),
        "sha256": AuditValue(show=short_hash),
        "file": AuditValue(hidden=True),
        "template_version": AuditValue(hidden=True),
    }

    scope_paths = ScopePaths(
        county="county", township="township", village="person__village", self="person"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The document list of a county, a township and a person, newest first
            models.Index(fields=["county", "-issued_at", "-id"], name="document_county_issued"),
            models.Index(fields=["township", "-issued_at", "-id"], name="document_township_issued"),
            models.Index(fields=["person", "-issued_at", "-id"], name="document_person_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.verification_code})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Documents are immutable; issue a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Documents are immutable; issue a new version instead.")

    @property
    def kind_title(self) -> str:
        """The Chinese name of the kind, as printed (``Kind.printed_title``); the code if no app
        registers the kind any more."""
        try:
            return kinds.get(self.kind).printed_title
        except LookupError:
            return self.kind

    @property
    def successor(self) -> "Document | None":
        """The document that supersedes this one, if any."""
        try:
            return self.superseded_by  # type: ignore[attr-defined]
        except ObjectDoesNotExist:
            return None

    @property
    def public_subject(self) -> str:
        """What the public verify page says about the subject: never more than a masked ID."""
        if self.person is not None:
            return self.person.masked_id_number
        return self.subject_repr
