"""Every kind of document the product issues, in one place: its Chinese title, its template
and the template's version.

Raise ``version`` whenever a template changes what a document says or how it looks: each
stored document names the version it was printed from, and is never printed again.
A new kind needs a ``DocumentKind`` member (``paperwork.models``), an entry here and a template
under ``templates/paperwork/``; the system check ``paperwork.E003`` reports a kind missing
from either side.
"""

from dataclasses import dataclass

from paperwork.models import DocumentKind


@dataclass(frozen=True)
class KindSpec:
    title: str
    """The Chinese name of the kind, printed as the title unless the service gives another."""
    template: str
    version: int


KINDS: dict[str, KindSpec] = {
    DocumentKind.VILLAGE_POST_REGISTER: KindSpec(
        title="村级人口主任岗位登记表",
        template="paperwork/village_post_register.html",
        version=1,
    ),
    DocumentKind.POLICY_SHEET: KindSpec(
        title="村级人口主任管理政策要点",
        template="paperwork/policy_sheet.html",
        version=1,
    ),
}


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise LookupError(f"No document kind {kind!r} in paperwork.kinds.KINDS.") from None
