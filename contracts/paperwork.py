"""Which document each transition of a contract's signing and filing produces: the one place
to read it, as ``recruitment.paperwork.PAPERWORK`` is for recruitment (the drafted contract is
declared there, with the hire). Services call ``issue_for(contract, "<transition>", by=...)``
right after the transition, inside the same transaction; ``tests/test_contract_signing.py``
walks this table and renders every entry."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from contracts.documents import (
    issue_filing_form,
    issue_induction_certificate,
    issue_signed_contract,
)
from contracts.kinds import CONTRACT, COUNTY_FILING_FORM, INDUCTION_CERTIFICATE
from contracts.models import Contract
from paperwork.kinds import Kind
from paperwork.models import Document


@dataclass(frozen=True)
class PaperworkEntry:
    """As ``recruitment.paperwork.PaperworkEntry`` (the contracts app sits below recruitment)."""

    model: type[Model]
    transition: str
    kind: Kind
    issue: Callable[..., Document]
    """``issue(subject, *, by) -> Document``"""
    recipient: str


PAPERWORK: list[PaperworkEntry] = [
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
]


def entries_for(model: type[Model], transition: str) -> list[PaperworkEntry]:
    return [e for e in PAPERWORK if e.model is model and e.transition == transition]


def issue_for(subject: Model, transition: str, *, by) -> list[Document]:
    """Issue every document the table declares for ``transition`` of ``subject``."""
    return [e.issue(subject, by=by) for e in entries_for(type(subject), transition)]
