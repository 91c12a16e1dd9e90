"""The documents of the contract term's transitions, declared in the paperwork table
(``paperwork.table``; read it with ``all_entries()``): signing, filing and induction
(``contracts.documents``), the acting designation of a vacant post
(``contracts.vacancy_documents``), the renewal notice (``contracts.renewal_documents``), the
termination certificate and the dismissal notice (``contracts.endings_documents``). The
drafted contract is declared by recruitment, whose hire prints it; a renewal's next contract
is printed when it is signed. Services call ``paperwork.table.issue_for(subject,
"<transition>", by=...)`` right after the transition, inside the same transaction."""

from contracts.constants import CaseDecision
from contracts.documents import (
    issue_filing_form,
    issue_induction_certificate,
    issue_signed_contract,
)
from contracts.endings_documents import (
    issue_dismissal_notice,
    issue_resignation_certificate,
    issue_termination_certificate,
)
from contracts.kinds import (
    ACTING_DESIGNATION,
    CONTRACT,
    COUNTY_FILING_FORM,
    DISMISSAL_NOTICE,
    INDUCTION_CERTIFICATE,
    RENEWAL_NOTICE,
    TERMINATION_CERTIFICATE,
)
from contracts.models import Contract, DismissalCase, RenewalReview, Resignation, Vacancy
from contracts.renewal_documents import issue_renewal_notice
from contracts.vacancy_documents import issue_acting_designation
from paperwork.table import PaperworkEntry, declare


def dismissed(case: DismissalCase) -> bool:
    return case.decision == CaseDecision.DISMISS


declare(
    PaperworkEntry(
        Contract, "sign", CONTRACT, issue_signed_contract, "the director and the township"
    ),
    PaperworkEntry(
        Contract,
        "file",
        COUNTY_FILING_FORM,
        issue_filing_form,
        "the county archive, the township and the director",
    ),
    PaperworkEntry(
        Contract,
        "record_induction",
        INDUCTION_CERTIFICATE,
        issue_induction_certificate,
        "the director",
    ),
    PaperworkEntry(
        Vacancy,
        "designate_acting",
        ACTING_DESIGNATION,
        issue_acting_designation,
        "the acting person and the village",
    ),
    PaperworkEntry(
        RenewalReview,
        "decide_renew",
        RENEWAL_NOTICE,
        issue_renewal_notice,
        "the director",
    ),
    # A resignation accepted: the certificate (about the contract) states its last day, which
    # may be later; the contract's end on that day issues nothing more.
    PaperworkEntry(
        Resignation,
        "accept",
        TERMINATION_CERTIFICATE,
        issue_resignation_certificate,
        "the director",
    ),
    # A township decision to terminate (解聘).
    PaperworkEntry(
        Contract,
        "terminate",
        TERMINATION_CERTIFICATE,
        issue_termination_certificate,
        "the director",
    ),
    PaperworkEntry(
        DismissalCase,
        "decide",
        DISMISSAL_NOTICE,
        issue_dismissal_notice,
        "the director",
        when=dismissed,
    ),
)
