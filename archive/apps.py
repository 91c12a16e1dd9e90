from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """The personnel archive (人事信息档案): every event and document of a person, read from
    the records of the other apps, and its printed extract."""

    name = "archive"
    verbose_name = _("Personnel archive")

    def ready(self) -> None:
        from audit.display import register
        from paperwork.models import Document

        # How the audit trail names the step recorded on an extract (archive.services).
        register(
            Document,
            transitions={"issue_archive_extract": _("Issue the personnel archive extract")},
        )
