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
        version=2,
    ),
    DocumentKind.RECRUITMENT_ANNOUNCEMENT: KindSpec(
        title="村级人口主任公开选聘公告",
        template="paperwork/recruitment/announcement.html",
        version=1,
    ),
    DocumentKind.REGISTRATION_FORM: KindSpec(
        title="村级人口主任选聘报名表",
        template="paperwork/recruitment/registration_form.html",
        version=1,
    ),
    DocumentKind.ELIGIBILITY_RESULT: KindSpec(
        title="资格审查结果通知书",
        template="paperwork/recruitment/eligibility_result.html",
        version=1,
    ),
    DocumentKind.ADMISSION_TICKET: KindSpec(
        title="准考证",
        template="paperwork/recruitment/admission_ticket.html",
        version=1,
    ),
    DocumentKind.SCORE_RANKING_LIST: KindSpec(
        title="考试成绩及排名表",
        template="paperwork/recruitment/score_ranking_list.html",
        version=1,
    ),
    DocumentKind.PUBLIC_NOTICE: KindSpec(
        title="拟聘用村级人口主任公示",
        template="paperwork/recruitment/public_notice.html",
        version=1,
    ),
    DocumentKind.HIRING_NOTICE: KindSpec(
        title="聘用通知书",
        template="paperwork/recruitment/hiring_notice.html",
        version=1,
    ),
    DocumentKind.NOT_HIRED_LETTER: KindSpec(
        title="选聘结果告知书",
        template="paperwork/recruitment/not_hired_letter.html",
        version=1,
    ),
    DocumentKind.CONTRACT: KindSpec(
        title="村级人口主任聘用合同",
        template="paperwork/contracts/contract.html",
        version=1,
    ),
}


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise LookupError(f"No document kind {kind!r} in paperwork.kinds.KINDS.") from None
