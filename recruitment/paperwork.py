"""Which document each recruitment transition produces: the one place to read it.

Each entry names the model and the transition (or, for steps that are not a state change,
such as ``submit`` and ``admit``, the step), the kind of document (``recruitment.kinds``,
``contracts.kinds``), and the function that issues it, ``issue(subject, *, by) -> Document``
in ``recruitment.documents``. Services call ``issue_for(subject, "<transition>", by=...)``
right after the transition, inside the same transaction; ``tests/test_recruitment_paperwork.py``
walks this table and renders every entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from contracts.kinds import CONTRACT
from contracts.models import Contract
from paperwork.kinds import Kind
from paperwork.models import Document
from recruitment import kinds
from recruitment.documents.applicant import issue_eligibility_result, issue_registration_form
from recruitment.documents.campaign import (
    issue_announcement,
    issue_contract,
    issue_hiring_notice,
    issue_not_hired_letter,
    issue_public_notice,
)
from recruitment.documents.exam import issue_admission_ticket, issue_score_ranking_list
from recruitment.models import Application, Campaign

Issuer = Callable[..., Document]


@dataclass(frozen=True)
class PaperworkEntry:
    model: type[Model]
    transition: str
    kind: Kind
    issue: Issuer
    """``issue(subject, *, by) -> Document``"""
    recipient: str


PAPERWORK: list[PaperworkEntry] = [
    PaperworkEntry(
        Campaign,
        "announce",
        kinds.RECRUITMENT_ANNOUNCEMENT,
        issue_announcement,
        "the public",
    ),
    PaperworkEntry(
        Application,
        "submit",
        kinds.REGISTRATION_FORM,
        issue_registration_form,
        "the applicant",
    ),
    PaperworkEntry(
        Application,
        "mark_eligible",
        kinds.ELIGIBILITY_RESULT,
        issue_eligibility_result,
        "the applicant",
    ),
    PaperworkEntry(
        Application,
        "mark_ineligible",
        kinds.ELIGIBILITY_RESULT,
        issue_eligibility_result,
        "the applicant",
    ),
    PaperworkEntry(
        Application,
        "waive",
        kinds.ELIGIBILITY_RESULT,
        issue_eligibility_result,
        "the applicant",
    ),
    PaperworkEntry(
        Application,
        "admit",
        kinds.ADMISSION_TICKET,
        issue_admission_ticket,
        "the applicant",
    ),
    PaperworkEntry(
        Campaign,
        "confirm_ranking",
        kinds.SCORE_RANKING_LIST,
        issue_score_ranking_list,
        "the public",
    ),
    PaperworkEntry(
        Campaign,
        "publicise",
        kinds.PUBLIC_NOTICE,
        issue_public_notice,
        "the public",
    ),
    PaperworkEntry(
        Application,
        "hire",
        kinds.HIRING_NOTICE,
        issue_hiring_notice,
        "the new director",
    ),
    PaperworkEntry(
        Contract,
        "draft",
        CONTRACT,
        issue_contract,
        "the new director and the township",
    ),
    PaperworkEntry(
        Application,
        "reject",
        kinds.NOT_HIRED_LETTER,
        issue_not_hired_letter,
        "the candidate",
    ),
    PaperworkEntry(
        Application,
        "keep_in_reserve",
        kinds.NOT_HIRED_LETTER,
        issue_not_hired_letter,
        "the reserve candidate (the letter states the reserve period)",
    ),
]


def entries_for(model: type[Model], transition: str) -> list[PaperworkEntry]:
    return [e for e in PAPERWORK if e.model is model and e.transition == transition]


def issue_for(subject: Model, transition: str, *, by) -> list[Document]:
    """Issue every document the table declares for ``transition`` of ``subject``."""
    return [e.issue(subject, by=by) for e in entries_for(type(subject), transition)]
