"""The documents of recruitment's transitions, declared in the paperwork table
(``paperwork.table``; read it with ``all_entries()``). Issuers are in ``recruitment.documents``
(the drafted contract too, printed when a hire is confirmed). Services call
``paperwork.table.issue_for(subject, "<transition>", by=...)`` right after the transition,
inside the same transaction."""

from contracts.kinds import CONTRACT
from contracts.models import Contract
from paperwork.table import PaperworkEntry, declare
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

declare(
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
)
