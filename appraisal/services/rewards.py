"""Rewards (奖励, seed 001 考评激励机制) and their settlement per township and year.

What a director qualifies for in a year, each from the confirmed appraisals and the
contracts, with policy numbers only:

- commendation (表彰): the year's confirmed grade is 优秀;
- long-service reward (一次性奖励): ``long_service_years`` consecutive years up to the year,
  each confirmed at or above ``long_service_min_grade``; paid once per person ever (the
  database refuses a second one);
- recommendation (推荐参加事业单位招考, +``recommendation_bonus_points``):
  ``recommendation_excellent_years`` consecutive years 优秀 up to the year, aged at most
  ``recommendation_max_age`` on 31 December of the year, education ``min_education`` or
  above;
- pension contribution (养老保险): ``pension_per_year`` for each full year of service
  completed in the year, counted in full years from the contract dates over all the
  person's contracts (renewals continue a run).

``settlement_propose`` lists what the township's directors qualify for; ``settlement_settle``
settles the list by a date and issues the documents. Seed 003: settled no later than the end
of ``settlement_deadline_month`` of the next year; the sweep flags those still open after it.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import Role
from accounts.models import User
from appraisal import scoring
from appraisal.constants import AppraisalState, RewardKind, SettlementState
from appraisal.models import AnnualAppraisal, Reward, RewardSettlement
from appraisal.selectors import confirmed_grades, service_periods
from appraisal.services.appraisals import year_policy
from appraisal.signals import settlement_proposed
from audit.models import AuditEntry
from audit.services import audit_record, audited_transition, snapshot
from contracts.sweep import sweep_step
from core.education import education_meets
from core.identity import age_on
from core.services import lock, require_permission, require_state
from notifications.models import Category
from notifications.services import notify
from paperwork.table import issue_for
from paperwork.templatetags.paperwork import cn_date
from policy.constants import Grade

SETTLE = "appraisal.settle_rewards"


@dataclass(frozen=True)
class Qualification:
    ok: bool
    reason: str
    amount: Decimal = Decimal(0)
    bonus_points: int = 0
    full_years: int = 0


def settlement_due(year: int, policy) -> datetime.date:
    """The last day of the policy's settlement month of the next year."""
    month = policy.settlement_deadline_month
    return datetime.date(year + 1, month, calendar.monthrange(year + 1, month)[1])


def _years_text(years) -> str:
    return "、".join(f"{y}年" for y in years)


def qualify(*, person, year: int, kind: str, policy) -> Qualification:
    """Whether ``person`` qualifies for a reward of ``kind`` for ``year``, and why not."""
    grades = confirmed_grades([person.pk], until=year).get(person.pk, {})
    name = person.name
    if kind == RewardKind.COMMENDATION:
        if grades.get(year) == Grade.EXCELLENT:
            return Qualification(True, f"{year}年度考核优秀")
        return Qualification(
            False,
            _("%(name)s is not confirmed Excellent in the appraisal of %(year)s.")
            % {"name": name, "year": year},
        )
    if kind == RewardKind.LONG_SERVICE:
        n = policy.long_service_years
        run = list(range(year - n + 1, year + 1))
        passing = Grade.at_or_above(policy.long_service_min_grade)
        missing = [y for y in run if grades.get(y) not in passing]
        if missing:
            return Qualification(
                False,
                _(
                    "%(name)s does not have %(n)s consecutive years up to %(year)s each "
                    "confirmed %(grade)s or better: not in %(missing)s."
                )
                % {
                    "name": name,
                    "n": n,
                    "year": year,
                    "grade": Grade(policy.long_service_min_grade).label,
                    "missing": _years_text(missing),
                },
            )
        if Reward.objects.filter(person=person, kind=RewardKind.LONG_SERVICE).exists():
            return Qualification(
                False,
                _("%(name)s has already received the long-service reward; it is paid once.")
                % {"name": name},
            )
        return Qualification(
            True,
            f"{_years_text(run)}连续{n}年任职且年度考核均为{Grade(policy.long_service_min_grade).label}及以上",
            amount=policy.long_service_reward,
        )
    if kind == RewardKind.RECOMMENDATION:
        n = policy.recommendation_excellent_years
        run = list(range(year - n + 1, year + 1))
        missing = [y for y in run if grades.get(y) != Grade.EXCELLENT]
        reasons = []
        if missing:
            reasons.append(
                _("not Excellent in %(missing)s (%(n)s consecutive years needed)")
                % {"missing": _years_text(missing), "n": n}
            )
        age = age_on(person.birth_date, datetime.date(year, 12, 31))
        if age > policy.recommendation_max_age:
            reasons.append(
                _("aged %(age)s, over %(max)s") % {"age": age, "max": policy.recommendation_max_age}
            )
        if not education_meets(person.education, policy.min_education):
            reasons.append(
                _("education below %(min)s") % {"min": policy.get_min_education_display()}
            )
        if reasons:
            return Qualification(
                False,
                _("%(name)s does not qualify for a recommendation: %(reasons)s.")
                % {"name": name, "reasons": "；".join(str(r) for r in reasons)},
            )
        return Qualification(
            True,
            f"{_years_text(run)}连续{n}年度考核优秀，{age}周岁，{person.get_education_display()}",
            bonus_points=policy.recommendation_bonus_points,
        )
    if kind == RewardKind.PENSION:
        periods = service_periods([person.pk]).get(person.pk, [])
        before = scoring.full_years(periods, datetime.date(year - 1, 12, 31))
        after = scoring.full_years(periods, datetime.date(year, 12, 31))
        if after <= before:
            return Qualification(
                False,
                _("%(name)s completed no full year of service in %(year)s.")
                % {"name": name, "year": year},
            )
        return Qualification(
            True,
            f"截至{year}年12月31日累计任职满{after}年，{year}年新满{after - before}年",
            amount=policy.pension_per_year * (after - before),
            full_years=after,
        )
    raise ValueError(kind)


def _settlement_policy(township, year: int):
    return year_policy(township.county, year)


@transaction.atomic
def reward_grant(*, settlement: RewardSettlement, person, kind: str, by) -> Reward:
    """Put a reward ``person`` qualifies for on a proposed settlement list; refused with the
    reason when they do not qualify, or for a second long-service reward."""
    settlement = lock(settlement, related=("township__county", "policy"))
    require_permission(
        by,
        SETTLE,
        settlement,
        message=_("Only committee members of %(township)s and county HR settle its rewards.")
        % {"township": settlement.township},
    )
    require_state(settlement, [SettlementState.PROPOSED], action=_("Adding a reward"))
    appraisal = (
        AnnualAppraisal.objects.filter(
            person=person, year=settlement.year, township=settlement.township
        )
        .select_related("contract")
        .first()
    )
    if appraisal is None:
        raise ValidationError(
            _("%(name)s was not appraised in %(township)s for %(year)s. Nothing was changed.")
            % {"name": person.name, "township": settlement.township.name, "year": settlement.year}
        )
    found = qualify(person=person, year=settlement.year, kind=kind, policy=settlement.policy)
    if not found.ok:
        raise ValidationError(found.reason + _(" Nothing was changed."))
    reward = Reward(
        person=person,
        contract=appraisal.contract,
        township=settlement.township,
        settlement=settlement,
        year=settlement.year,
        kind=kind,
        policy=settlement.policy,
        amount=found.amount,
        bonus_points=found.bonus_points,
        full_years=found.full_years,
        basis=found.reason,
        granted_by=by if getattr(by, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            reward.save()
    except IntegrityError:
        # Two requests raced past the check: the database keeps one.
        raise ValidationError(
            _("%(name)s already has this reward (%(kind)s); nothing was changed.")
            % {"name": person.name, "kind": reward.get_kind_display()}
        ) from None
    audit_record(
        obj=reward,
        action=AuditEntry.Action.CREATE,
        by=by,
        transition="grant",
        after=snapshot(reward),
    )
    return reward


@transaction.atomic
def settlement_propose(*, township, year: int, by) -> RewardSettlement:
    """The settlement list of ``township`` for ``year``: every reward its directors qualify
    for, from the confirmed appraisals. Refused while an appraisal of the year is not
    confirmed. Proposing again adds what became due since (a settled list is not changed)."""
    require_permission(
        by,
        SETTLE,
        township,
        message=_("Only committee members of %(township)s and county HR settle its rewards.")
        % {"township": township},
    )
    appraisals = list(
        AnnualAppraisal.objects.filter(township=township, year=year).select_related("person")
    )
    if not appraisals:
        raise ValidationError(
            _("%(township)s has no annual appraisal for %(year)s. Nothing was changed.")
            % {"township": township.name, "year": year}
        )
    open_ = [a.person.name for a in appraisals if a.state != AppraisalState.CONFIRMED]
    if open_:
        raise ValidationError(
            _(
                "The appraisals of %(names)s for %(year)s are not confirmed yet; rewards are "
                "proposed from confirmed appraisals. Nothing was changed."
            )
            % {"names": "、".join(open_), "year": year}
        )
    policy = _settlement_policy(township, year)
    settlement = RewardSettlement.objects.filter(township=township, year=year).first()
    if settlement is None:
        settlement = RewardSettlement(
            township=township,
            year=year,
            policy=policy,
            due_on=settlement_due(year, policy),
            proposed_by=by if getattr(by, "pk", None) else None,
        )
        settlement.save()
        audit_record(
            obj=settlement,
            action=AuditEntry.Action.CREATE,
            by=by,
            transition="propose",
            after=snapshot(settlement),
        )
        settlement_proposed.send(sender=RewardSettlement, settlement=settlement)
    require_state(settlement, [SettlementState.PROPOSED], action=_("Proposing rewards"))
    have = set(settlement.rewards.values_list("person_id", "kind"))
    for appraisal in appraisals:
        for kind in RewardKind.values:
            if (appraisal.person_id, kind) in have:
                continue
            if qualify(person=appraisal.person, year=year, kind=kind, policy=settlement.policy).ok:
                reward_grant(settlement=settlement, person=appraisal.person, kind=kind, by=by)
    return settlement


@transaction.atomic
def settlement_settle(*, settlement: RewardSettlement, on: datetime.date, by) -> RewardSettlement:
    """Settle the list on ``on``: the commendations, long-service approvals and
    recommendation letters are issued, and the pension statement for county finance."""
    settlement = lock(settlement, related=("township__county", "policy"))
    require_permission(
        by,
        SETTLE,
        settlement,
        message=_("Only committee members of %(township)s and county HR settle its rewards.")
        % {"township": settlement.township},
    )
    require_state(settlement, [SettlementState.PROPOSED], action=_("Settling rewards"))
    if on.year <= settlement.year:
        raise ValidationError(
            {
                "settled_on": _("Settled on: rewards of %(year)s are settled after the year ends.")
                % {"year": settlement.year}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"settled_on": _("Settled on: the date cannot be in the future.")})
    with audited_transition(settlement, "settle", by=by):
        settlement.settle(by=by if getattr(by, "pk", None) else None, on=on)
    for reward in settlement.rewards.select_related("person", "township__county", "contract"):
        issue_for(reward, "settle", by=by)
        director = getattr(reward.person, "user", None)
        notify(
            category=Category.OTHER,
            users=[director],
            key=f"reward:{reward.pk}:settled",
            text=_("Your reward for %(year)s is settled: %(kind)s.")
            % {"year": reward.year, "kind": reward.get_kind_display()},
        )
    issue_for(settlement, "settle", by=by)
    return settlement


def county_hr(county_id: int):
    return User.objects.filter(role=Role.COUNTY_HR, county_id=county_id, is_active=True)


@sweep_step(
    "reward_settlements_overdue",
    80,
    label=gettext_lazy("Reward settlements overdue, county HR told: %(count)s"),
)
def reward_settlements_overdue(*, today: datetime.date) -> int:
    """Mark the settlements still open after their due date and tell county HR, once."""
    flagged = 0
    overdue = RewardSettlement.objects.filter(
        state=SettlementState.PROPOSED, due_on__lt=today, overdue_since__isnull=True
    ).select_related("township")
    for settlement in overdue:
        with transaction.atomic():
            settlement = lock(settlement, related=("township",))
            if settlement.overdue_since is not None:
                continue
            settlement.overdue_since = settlement.due_on + datetime.timedelta(days=1)
            settlement.save(update_fields=["overdue_since"])
            audit_record(
                obj=settlement,
                action=AuditEntry.Action.UPDATE,
                by=None,
                transition="overdue",
                after={"overdue_since": settlement.overdue_since.isoformat()},
            )
            notify(
                category=Category.DEADLINES,
                users=county_hr(settlement.township.county_id),
                key=f"settlement:{settlement.pk}:overdue",
                text=_(
                    "The rewards of %(township)s for %(year)s were due by %(due)s and are not "
                    "settled."
                )
                % {
                    "township": settlement.township.name,
                    "year": settlement.year,
                    "due": cn_date(settlement.due_on),
                },
            )
        flagged += 1
    return flagged
