"""The document of the personnel archive: the extract (人事信息档案摘录) of one person, issued
by county HR, who keeps the archive (``archive.services.archive_extract_issue``). It prints
the ID number masked, as every document but the contract does."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

ARCHIVE_EXTRACT = Kind(
    "archive_extract",
    printed_title="村级人口主任人事信息档案摘录",
    label=_("Personnel archive extract"),
    template="paperwork/archive/archive_extract.html",
    version=1,
)

register(ARCHIVE_EXTRACT)
