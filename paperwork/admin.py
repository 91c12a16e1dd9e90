from django.contrib import admin

from core.admin import ReadOnlyAdmin
from paperwork.models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Issued documents are immutable; files are downloaded on the staff site, where scope
    and permission are checked."""

    list_display = (
        "issued_at",
        "title",
        "kind",
        "verification_code",
        "township",
        "subject_repr",
        "produced_by",
    )
    list_filter = ("kind", "county", "township")
    list_select_related = ("township", "produced_by")
    search_fields = ("title", "verification_code", "subject_repr")
    date_hierarchy = "issued_at"
    fields = (
        "kind",
        "title",
        "subject_repr",
        "template_name",
        "template_version",
        "policy",
        "issuing_body",
        "county",
        "township",
        "sha256",
        "size",
        "pages",
        "verification_code",
        "produced_by",
        "transition",
        "supersedes",
        "issued_at",
    )
    readonly_fields = fields
