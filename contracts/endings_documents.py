"""Paperwork of the end of a contract: the termination certificate (解除聘用合同证明书) and the
dismissal notice (辞退通知书). Both are addressed to the director, issued by the township, and
print the masked ID number only. The services of ``contracts.services.endings`` and
``contracts.services.dismissal`` call these inside their transaction."""

import datetime

from contracts.constants import EndReason, ResignationState
from contracts.documents import issue_in_township, numbered
from contracts.kinds import DISMISSAL_NOTICE, TERMINATION_CERTIFICATE
from contracts.models import Contract, DismissalCase, Resignation
from paperwork.models import Document
from policy.selectors import policy_in_force

# How the certificate states the reason (seed 001's 解聘 grounds).
REASON_CN: dict[str, str] = {
    EndReason.RESIGNATION: "本人因个人原因提出辞职",
    EndReason.CHANGE_OF_POST: "变换工作岗位，不再适合继续担任村级人口主任职务",
    EndReason.HEALTH: "身体原因，不再适合继续担任村级人口主任职务",
    EndReason.OVER_AGE: "超过续聘年龄",
}


def termination_context(
    contract: Contract,
    *,
    end_date: datetime.date,
    reason: str,
    note: str = "",
    resignation: Resignation | None = None,
    notice_days: int | None = None,
) -> dict:
    township = contract.township
    return {
        "contract": contract,
        "person": contract.person,
        "masked_id": contract.person.masked_id_number,
        "township": township,
        "county": township.county,
        "village": contract.post.village,
        "end_date": end_date,
        "reason": REASON_CN.get(reason, reason),
        "note": note,
        "resignation": resignation,
        "notice_days": notice_days,
    }


def _issue_certificate(
    contract: Contract,
    *,
    by,
    end_date: datetime.date,
    reason: str,
    note: str = "",
    resignation: Resignation | None = None,
    notice_days: int | None = None,
    transition: str,
) -> Document:
    return issue_in_township(
        kind=TERMINATION_CERTIFICATE,
        context=termination_context(
            contract,
            end_date=end_date,
            reason=reason,
            note=note,
            resignation=resignation,
            notice_days=notice_days,
        ),
        subject=contract,
        by=by,
        township=contract.township,
        person=contract.person,
        policy=contract.policy,
        transition=transition,
        supersede=True,
    )


def issue_resignation_certificate(resignation: Resignation, *, by) -> Document:
    """The certificate that the contract ends on the accepted resignation's last day (about
    the contract), issued when the township accepts the resignation."""
    assert resignation.end_date is not None, "accept the resignation first"
    contract = resignation.contract
    policy = policy_in_force(county=contract.township.county, on=resignation.requested_on)
    return _issue_certificate(
        contract,
        by=by,
        end_date=resignation.end_date,
        reason=EndReason.RESIGNATION,
        resignation=resignation,
        notice_days=policy.contract_notice_days,
        transition="accept",
    )


def issue_termination_certificate(contract: Contract, *, by) -> Document:
    """The certificate that the contract ends, from what its records say: the accepted
    resignation's last day, or the township's termination (its day, reason and note). It
    supersedes the current one."""
    resignation = (
        contract.resignations.filter(state=ResignationState.ACCEPTED)
        .order_by("-decided_on", "-pk")
        .first()
    )
    if contract.end_reason in ("", EndReason.RESIGNATION) and resignation is not None:
        return issue_resignation_certificate(resignation, by=by)
    if contract.ended_on is None or contract.end_reason not in REASON_CN:
        raise ValueError("This contract was neither resigned from nor terminated.")
    return _issue_certificate(
        contract,
        by=by,
        end_date=contract.ended_on,
        reason=contract.end_reason,
        note=contract.end_note,
        transition="terminate",
    )


def dismissal_context(case: DismissalCase) -> dict:
    contract = case.contract
    township = case.township
    grounds = list(case.grounds.select_related("ground").order_by("ground__position", "period"))
    return {
        "case": case,
        "contract": contract,
        "person": contract.person,
        "masked_id": contract.person.masked_id_number,
        "township": township,
        "county": township.county,
        "village": contract.post.village,
        "grounds": numbered(grounds),
    }


def issue_dismissal_notice(case: DismissalCase, *, by) -> Document:
    """The dismissal notice, issued when the committee decides to dismiss."""
    return issue_in_township(
        kind=DISMISSAL_NOTICE,
        context=dismissal_context(case),
        subject=case,
        by=by,
        township=case.township,
        person=case.contract.person,
        policy=case.policy,
        transition="decide",
    )
