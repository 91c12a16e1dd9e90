"""Which document each recruitment transition produces: the one place to read it.

Each entry names the record and the transition (or, for steps that are not a state change,
such as ``submit`` and ``admit``, the step), the kind of document, and the function that
issues it (``issue(subject, *, by) -> Document``). Services call ``issue_for`` right after the
transition, inside the same transaction; ``tests/test_recruitment_paperwork.py`` walks this
table and renders every entry.
"""

from dataclasses import dataclass
from importlib import import_module

from paperwork.models import Document, DocumentKind


@dataclass(frozen=True)
class PaperworkEntry:
    model: str
    transition: str
    kind: str
    issuer: str  # dotted path of ``issue(subject, *, by) -> Document``
    recipient: str

    def issue(self, subject, *, by) -> Document:
        module, _, name = self.issuer.rpartition(".")
        return getattr(import_module(module), name)(subject, by=by)


PAPERWORK: list[PaperworkEntry] = [
    PaperworkEntry(
        "Campaign",
        "announce",
        DocumentKind.RECRUITMENT_ANNOUNCEMENT,
        "recruitment.documents.campaign.issue_announcement",
        "the public",
    ),
    PaperworkEntry(
        "Application",
        "submit",
        DocumentKind.REGISTRATION_FORM,
        "recruitment.documents.applicant.issue_registration_form",
        "the applicant",
    ),
    PaperworkEntry(
        "Application",
        "mark_eligible",
        DocumentKind.ELIGIBILITY_RESULT,
        "recruitment.documents.applicant.issue_eligibility_result",
        "the applicant",
    ),
    PaperworkEntry(
        "Application",
        "mark_ineligible",
        DocumentKind.ELIGIBILITY_RESULT,
        "recruitment.documents.applicant.issue_eligibility_result",
        "the applicant",
    ),
    PaperworkEntry(
        "Application",
        "waive",
        DocumentKind.ELIGIBILITY_RESULT,
        "recruitment.documents.applicant.issue_eligibility_result",
        "the applicant",
    ),
    PaperworkEntry(
        "Application",
        "admit",
        DocumentKind.ADMISSION_TICKET,
        "recruitment.documents.exam.issue_admission_ticket",
        "the applicant",
    ),
    PaperworkEntry(
        "Campaign",
        "confirm_ranking",
        DocumentKind.SCORE_RANKING_LIST,
        "recruitment.documents.exam.issue_score_ranking_list",
        "the public",
    ),
    PaperworkEntry(
        "Campaign",
        "publicise",
        DocumentKind.PUBLIC_NOTICE,
        "recruitment.documents.campaign.issue_public_notice",
        "the public",
    ),
    PaperworkEntry(
        "Application",
        "hire",
        DocumentKind.HIRING_NOTICE,
        "recruitment.documents.campaign.issue_hiring_notice",
        "the new director",
    ),
    PaperworkEntry(
        "Contract",
        "draft",
        DocumentKind.CONTRACT,
        "recruitment.documents.campaign.issue_contract",
        "the new director and the township",
    ),
    PaperworkEntry(
        "Application",
        "reject",
        DocumentKind.NOT_HIRED_LETTER,
        "recruitment.documents.campaign.issue_not_hired_letter",
        "the candidate",
    ),
    PaperworkEntry(
        "Application",
        "keep_in_reserve",
        DocumentKind.NOT_HIRED_LETTER,
        "recruitment.documents.campaign.issue_not_hired_letter",
        "the reserve candidate (the letter states the reserve period)",
    ),
]


def entries_for(model: str, transition: str) -> list[PaperworkEntry]:
    return [e for e in PAPERWORK if e.model == model and e.transition == transition]


def issue_for(subject, transition: str, *, by) -> list[Document]:
    """Issue every document the table declares for ``transition`` of ``subject``."""
    return [e.issue(subject, by=by) for e in entries_for(type(subject).__name__, transition)]
