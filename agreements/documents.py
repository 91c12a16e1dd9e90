"""The annual target-responsibility agreement (年度计划生育工作目标管理责任书): printed for
signing when it is drafted, again whenever the township adjusts its values, and once more with
the three signatures when it is signed; each print supersedes the one before. Issued by the
township (its 计生办 signs for it); the title names the year, never the person (it is public on
the verification page)."""

from decimal import Decimal

from agreements.kinds import TARGET_AGREEMENT
from agreements.models import TargetAgreement
from contracts.documents import DUTIES, numbered
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue


def shown_number(text: str) -> str:
    """95.00 → 95, 98.50 → 98.5: a target as people write it."""
    value = Decimal(text)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def agreement_title(agreement: TargetAgreement) -> str:
    return f"{agreement.year}{TARGET_AGREEMENT.printed_title}"


def agreement_context(agreement: TargetAgreement) -> dict:
    township = agreement.township
    return {
        "agreement": agreement,
        "person": agreement.person,
        "township": township,
        "county": township.county,
        "village": agreement.village,
        "policy": agreement.policy,
        "targets": [{**line, "shown": shown_number(line["value"])} for line in agreement.targets],
        "duties": numbered(DUTIES),
    }


def _issue(agreement: TargetAgreement, *, by, transition: str) -> Document:
    township = agreement.township
    return document_issue(
        kind=TARGET_AGREEMENT,
        context=agreement_context(agreement),
        subject=agreement,
        by=by,
        county=township.county,
        township=township,
        person=agreement.person,
        policy=agreement.policy,
        title=agreement_title(agreement),
        issuing_body=township.issuing_body,
        transition=transition,
        supersedes=document_current(kind=TARGET_AGREEMENT, subject=agreement),
    )


def issue_drafted_agreement(agreement: TargetAgreement, *, by) -> Document:
    """The agreement printed for signing when it is drafted."""
    return _issue(agreement, by=by, transition="draft")


def issue_adjusted_agreement(agreement: TargetAgreement, *, by) -> Document:
    """The agreement printed again for signing with the values the township adjusted."""
    return _issue(agreement, by=by, transition="set_values")


def issue_signed_agreement(agreement: TargetAgreement, *, by) -> Document:
    """The agreement with the three signatures and their dates, superseding the draft."""
    return _issue(agreement, by=by, transition="sign")
