"""Renewal (续聘): the review before a term ends and the township committee's decision.

- ``renewal_review_open``: the sweep opens the review a policy number of days (90 by default)
  before the end date, with the facts the committee needs recorded as they stand.
- ``renewal_decide``: the committee renews (the renewal notice and a new contract drafted for
  the next term) or does not (the contract expires on its end date: ``contracts.sweep_steps``).

The renewal contract is then signed and filed like any other; the transaction that puts it in
force ends the old one as renewed (``contracts.services.signing``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from contracts.constants import (
    PENDING_STATES,
    ContractOrigin,
    ContractState,
    InductionSource,
    RenewalMode,
    RenewalState,
)
from contracts.models import Contract, RenewalReview
from contracts.services.drafting import contract_end_date
from contracts.signals import contract_drafted, renewal_review_opened
from contracts.term_records import term_records
from core.identity import age_on
from core.services import lock, require_permission, require_state
from notifications.models import Category
from notifications.services import notify
from paperwork.table import issue_for
from paperwork.templatetags.paperwork import cn_date
from policy.selectors import policy_in_force

ONE_DAY = datetime.timedelta(days=1)
MANAGE_TERM = "contracts.manage_term"
CONTRACT_RELATED = ("person", "township__county", "post__village", "policy")


def renewal_facts(contract: Contract, policy) -> dict:
    """What the committee weighs, as it stands today: the director's age on the last day of
    the term against the renewal age, and the term's appraisal grades and training
    compliance (``None`` while no such records exist: the page says 暂无记录)."""
    age = age_on(contract.person.birth_date, contract.end_date)
    records = term_records()
    return {
        "end_date": contract.end_date.isoformat(),
        "age_on_end": age,
        "renewal_max_age": policy.renewal_max_age,
        "over_age": age > policy.renewal_max_age,
        "appraisal_grades": records.appraisal_grades(contract),
        "training_compliance": records.training_compliance(contract),
    }


def review_url(review: RenewalReview) -> str:
    return reverse("renewals:review", args=[review.pk])


@transaction.atomic
def renewal_review_open(*, contract: Contract, today: datetime.date, by=None) -> RenewalReview:
    """Open the renewal review of an active contract whose end date is within the policy's
    ``renewal_review_days``; the contract becomes "expiring". The review's flow (the
    committee's decision) starts from ``renewal_review_opened``."""
    contract = lock(contract, related=CONTRACT_RELATED)
    person = contract.person
    if contract.state != ContractState.ACTIVE:
        raise ValidationError(
            _(
                "A renewal review opens only for a contract in force that has none yet; the "
                "contract of %(name)s is “%(state)s”. Nothing was changed."
            )
            % {"name": person.name, "state": contract.get_state_display()}
        )
    policy = policy_in_force(county=contract.township.county, on=today)
    days = (contract.end_date - today).days
    if days > policy.renewal_review_days:
        raise ValidationError(
            _(
                "The contract of %(name)s ends on %(end)s, %(days)s days from now: it is not "
                "near its end. A renewal review opens %(limit)s days before the end date at the "
                "earliest. Nothing was changed."
            )
            % {
                "name": person.name,
                "end": cn_date(contract.end_date),
                "days": days,
                "limit": policy.renewal_review_days,
            }
        )
    if days < 0:
        raise ValidationError(
            _("The term of %(name)s ended on %(end)s; it can no longer be reviewed for renewal.")
            % {"name": person.name, "end": cn_date(contract.end_date)}
        )
    with audited_transition(contract, "open_renewal", by=by):
        contract.open_renewal()
    review = RenewalReview(
        contract=contract,
        policy=policy,
        mode=policy.renewal_mode,
        opened_on=today,
        facts=renewal_facts(contract, policy),
    )
    review.save()
    audit_record(
        obj=review,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="open",
        after=snapshot(review),
    )
    renewal_review_opened.send(sender=RenewalReview, review=review)
    return review


def _draft_renewal(contract: Contract, *, by) -> Contract:
    """The next term's contract: from the day after the old end date, with the term and pay
    of the policy in force on that day; induction is not repeated."""
    if Contract.objects.filter(post_id=contract.post_id, state__in=PENDING_STATES).exists():
        raise ValidationError(
            _("%(post)s already has a contract waiting to start; nothing was changed.")
            % {"post": contract.post}
        )
    start = contract.end_date + ONE_DAY
    policy = policy_in_force(county=contract.township.county, on=start)
    new = Contract(
        person=contract.person,
        post=contract.post,
        township=contract.township,
        policy=policy,
        term_years=policy.term_years,
        start_date=start,
        end_date=contract_end_date(start, policy.term_years),
        monthly_pay=policy.monthly_pay,
        origin=ContractOrigin.RENEWAL,
        renews=contract,
        induction_source=InductionSource.NOT_REQUIRED,
        created_by=by,
    )
    new.save()
    audit_record(
        obj=new, action=AuditEntry.Action.CREATE, by=by, transition="draft", after=snapshot(new)
    )
    return new


@transaction.atomic
def renewal_decide(
    *,
    review: RenewalReview,
    renew: bool,
    reasons: str,
    by,
    on: datetime.date,
    reselected: bool = False,
) -> RenewalReview:
    """The township committee's decision on a renewal review, with its reasons.

    To renew: the director must not be over the renewal age on the last day of the term;
    when the policy's mode is re-selection, the committee records that the director was
    re-selected under the same conditions and procedure (seed 001). The renewal notice is
    issued and the next term's contract drafted; its signing flow starts from
    ``contract_drafted``. Not to renew: the contract expires on its end date (the sweep)."""
    review = lock(review)
    contract = lock(review.contract, related=CONTRACT_RELATED)
    review.contract = contract
    person = contract.person
    require_permission(
        by,
        MANAGE_TERM,
        contract,
        message=_("Only committee members of %(township)s decide the renewal of its directors.")
        % {"township": contract.township},
    )
    require_state(review, [RenewalState.OPEN], action=_("Deciding a renewal"))
    require_state(contract, [ContractState.EXPIRING], action=_("Deciding a renewal"))
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Reasons: say why the committee decided so.")})
    if on > contract.end_date:
        raise ValidationError(
            _("The term of %(name)s ended on %(end)s; a renewal is decided before the term ends.")
            % {"name": person.name, "end": cn_date(contract.end_date)}
        )
    if renew:
        age = age_on(person.birth_date, contract.end_date)
        limit = review.policy.renewal_max_age
        if age > limit:
            raise ValidationError(
                _(
                    "%(name)s will be %(age)s on the last day of the term (%(end)s), over the "
                    "renewal age of %(limit)s: the contract cannot be renewed. Nothing was "
                    "changed."
                )
                % {
                    "name": person.name,
                    "age": age,
                    "end": cn_date(contract.end_date),
                    "limit": limit,
                }
            )
        if review.mode == RenewalMode.RESELECTION and not reselected:
            raise ValidationError(
                {
                    "reselected": _(
                        "Re-selected: the policy renews by re-selection under the same "
                        "conditions and procedure; confirm that the director was re-selected."
                    )
                }
            )
        new = _draft_renewal(contract, by=by)
        with audited_transition(review, "decide_renew", by=by):
            review.decide_renew(on=on, by=by, reasons=reasons)
            review.reselected = review.mode == RenewalMode.RESELECTION
            review.new_contract = new
        issue_for(review, "decide_renew", by=by)
        text = _("The contract of %(name)s is renewed from %(start)s to %(end)s.") % {
            "name": person.name,
            "start": cn_date(new.start_date),
            "end": cn_date(new.end_date),
        }
    else:
        with audited_transition(review, "decide_not_renew", by=by):
            review.decide_not_renew(on=on, by=by, reasons=reasons)
        text = _("The contract of %(name)s is not renewed; it ends on %(end)s.") % {
            "name": person.name,
            "end": cn_date(contract.end_date),
        }
    director = getattr(person, "user", None)
    notify(
        users=[director],
        key=f"renewal:{review.pk}:decided",
        text=text,
        url="",
        category=Category.OTHER,
    )
    if renew:
        contract_drafted.send(sender=Contract, contract=review.new_contract)
    return review
