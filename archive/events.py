"""What each record of a person's history says in their archive: its steps, each a day, a
sentence in the active language, who recorded it and its place among the steps of one day.

These functions only read the records they are given (and, for the steps a record keeps no
name or date for, the record's audit entries); ``archive.selectors`` reads the records, once
per kind, and links each step to its record's page.
"""

import calendar
import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.constants import AgreementState
from agreements.models import TargetAgreement
from appraisal.constants import AppraisalState, RewardKind
from appraisal.models import AnnualAppraisal, Reward
from assessment.models import MonthlyScore
from audit.models import AuditEntry
from contracts.constants import (
    CaseDecision,
    ContractOrigin,
    EndReason,
    InductionSource,
    RenewalState,
    ResignationState,
    VacancyState,
)
from contracts.models import Contract, DismissalCase, RenewalReview, Resignation, Vacancy
from core.text import join_list
from earlywarnings.models import Warning, YellowCard
from recruitment.constants import EligibilityRule, WaiverDecision
from recruitment.models import Application, Waiver
from training.models import Attendance

# The order of the steps of one day: a life in post, first to last.
APPLY, REVIEW, WAIVE, ADMIT, WRITTEN, SHORTLIST, INTERVIEW, NOTICE, OUTCOME = range(10, 19)
DRAFT, SIGN, FILE, INDUCTION, IN_FORCE, ACTING, ACTING_END = range(20, 27)
TRAINING, AGREEMENT, MONTHS, APPRAISAL, REWARD = range(30, 35)
WARNING, WARNING_ACK, WARNING_CLOSE, YELLOW_CARD = range(40, 44)
RENEWAL_OPEN, RENEWAL_DECIDED, RESIGN, RESIGN_ANSWER = range(50, 54)
CASE_OPEN, CASE_HEARD, CASE_DECIDED, CASE_FILED = range(54, 58)
END = 60

# The audit entries of a record, oldest first; the user who took the first step named.
Actor = Callable[..., Any]


@dataclass(frozen=True)
class Step:
    """One step of a record: ``on`` a date or an aware datetime (None: not taken)."""

    on: datetime.date | datetime.datetime | None
    text: str
    by: str
    order: int


def name(user) -> str:
    """Who recorded a step, as the pages name people (``User.display_name``)."""
    return user.display_name if user is not None else ""


def system() -> str:
    """Who took a step the daily sweep or a rule took."""
    return _("system")


def day(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def points(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


def post_name(post) -> str:
    return _("%(village)s post %(number)s") % {"village": post.village.name, "number": post.number}


def with_note(text: str, note: str) -> str:
    """``text`` followed by ``note`` in the language's brackets, when there is a note."""
    note = " ".join((note or "").split())
    return _("%(text)s (%(note)s)") % {"text": text, "note": note} if note else text


# Recruitment --------------------------------------------------------------------------------


def application_steps(application: Application, entries: Sequence[AuditEntry]) -> Iterator[Step]:
    """Registration and review from the application; the steps after, which it keeps no date
    or name for, from its audit entries. Exams are dated on the campaign's exam days."""
    campaign = application.campaign
    village = application.offer.village.name
    applicant = _("the applicant")
    yield Step(
        application.submitted_at,
        _("Registered for “%(campaign)s”, applying for %(village)s (registration no. %(number)s)")
        % {"campaign": campaign.title, "village": village, "number": application.number},
        applicant,
        APPLY,
    )
    if application.reviewed_at:
        failed = [
            str(EligibilityRule(c["rule"]).label)
            if c.get("rule") in EligibilityRule.values
            else str(c.get("rule"))
            for c in application.checks
            if not c.get("passed")
        ]
        text = (
            _("Eligibility review: not eligible (%(rules)s not met)") % {"rules": join_list(failed)}
            if failed
            else _("Eligibility review: eligible")
        )
        yield Step(application.reviewed_at, text, name(application.reviewed_by), REVIEW)
    written_on, interview_on = campaign.written_exam_at, campaign.interview_at
    scored = False  # an absence after a written score is from the interview
    for entry in entries:
        by, at = name(entry.actor), entry.at
        step = entry.transition
        scored = scored or step in ("record_written", "mend_absence")
        if step == "admit":
            yield Step(
                at,
                _("Admission ticket issued: no. %(number)s, room %(room)s, seat %(seat)s")
                % {
                    "number": application.admission_number,
                    "room": application.exam_room,
                    "seat": application.seat_number,
                },
                by,
                ADMIT,
            )
        elif step == "record_written":
            text = _("Sat the written exam: %(score)s points") % {
                "score": points(application.written_score)
            }
            yield Step(written_on, text, by, WRITTEN)
        elif step == "mend_absence":
            text = _(
                "Written score recorded after an absence marked by mistake: %(score)s points"
            ) % {"score": points(application.written_score)}
            yield Step(at, text, by, WRITTEN)
        elif step == "mark_absent" and not scored:
            yield Step(written_on, _("Absent from the written exam"), by, WRITTEN)
        elif step == "mark_absent":
            yield Step(interview_on or at, _("Absent from the interview"), by, INTERVIEW)
        elif step == "shortlist":
            text = _("Called to the interview (written rank %(rank)s)") % {
                "rank": application.written_rank
            }
            yield Step(at, text, by, SHORTLIST)
        elif step == "rank_with":
            text = _("Interviewed: %(interview)s points; composite score %(composite)s") % {
                "interview": points(application.interview_score),
                "composite": points(application.composite_score),
            }
            if application.rank:
                text = _("%(text)s, rank %(rank)s in the village") % {
                    "text": text,
                    "rank": application.rank,
                }
            yield Step(interview_on or at, text, by, INTERVIEW)
        elif step == "propose":
            text = _("Named in the public notice of proposed hires (%(start)s to %(end)s)") % {
                "start": day(application.notice_starts_on),
                "end": day(application.notice_ends_on),
            }
            yield Step(at, text, by, NOTICE)
        elif step == "hire":
            text = _("Hired as the population director of %(village)s") % {"village": village}
            yield Step(at, text, by, OUTCOME)
        elif step == "hire_from_reserve":
            yield Step(at, _("Hired from the reserve list"), by, OUTCOME)
        elif step == "reject":
            yield Step(at, with_note(_("Not hired"), application.outcome_note), by, OUTCOME)
        elif step == "keep_in_reserve":
            text = _("Put on the reserve list until %(day)s") % {
                "day": day(application.reserve_until)
            }
            yield Step(at, text, by, OUTCOME)
        elif step == "withdraw":
            yield Step(at, _("Withdrew the application"), applicant, OUTCOME)


def waiver_steps(waiver: Waiver) -> Iterator[Step]:
    """A waiver the county decided."""
    text = (
        _("The county waived the rule “%(rule)s”: eligible")
        if waiver.decision == WaiverDecision.APPROVED
        else _("The county refused to waive the rule “%(rule)s”")
    )
    yield Step(
        waiver.decided_at,
        text % {"rule": waiver.get_rule_display()},
        name(waiver.decided_by),
        WAIVE,
    )


# The contract term --------------------------------------------------------------------------


def contract_steps(contract: Contract, actor: Actor) -> Iterator[Step]:
    """Drafting, signing, filing, induction, coming into force and the end; an imported
    contract is one line on the day it came into force."""
    facts = {
        "post": post_name(contract.post),
        "start": day(contract.start_date),
        "end": day(contract.end_date),
    }
    if contract.origin == ContractOrigin.IMPORT:
        text = _(
            "Contract in force: %(post)s, term %(start)s to %(end)s (in post before the system "
            "was used; imported)"
        )
        by = name(contract.created_by) or name(actor("import"))
        yield Step(contract.activated_on or contract.start_date, text % facts, by, IN_FORCE)
    else:
        text = (
            _("Renewal contract drafted: %(post)s, term %(start)s to %(end)s")
            if contract.origin == ContractOrigin.RENEWAL
            else _("Contract drafted: %(post)s, term %(start)s to %(end)s")
        )
        by = name(contract.created_by) or name(actor("draft"))
        yield Step(contract.created_at, text % facts, by, DRAFT)
        signed = [d for d in (contract.township_signed_on, contract.director_signed_on) if d]
        if signed:
            # Signing submits the contract for filing (contracts.services.signing).
            text = (
                _(
                    "Contract signed (for the township: %(signatory)s) and submitted to the "
                    "county for filing"
                )
                if contract.filing_submitted_on
                else _("Contract signed (for the township: %(signatory)s)")
            )
            text %= {"signatory": contract.township_signatory}
            yield Step(max(signed), text, name(contract.signed_by), SIGN)
        if contract.filed_on:
            text = with_note(_("Contract filed with the county"), contract.filing_number)
            yield Step(contract.filed_on, text, name(contract.filed_by), FILE)
        # Induction from a course is the attendance's line; one recorded by county HR without
        # a course is the contract's.
        if contract.induction_on and contract.induction_source == InductionSource.RECORDED:
            text = with_note(_("Induction training completed"), contract.induction_note)
            yield Step(contract.induction_on, text, name(actor("record_induction")), INDUCTION)
        text = (
            _("Renewal contract in force: a new term begins")
            if contract.origin == ContractOrigin.RENEWAL
            else _("Contract in force: took up the post")
        )
        yield Step(contract.activated_on, text, name(actor("activate")) or system(), IN_FORCE)
    if contract.ended_on:
        by = name(actor("terminate", "dismiss", "expire", "renew")) or system()
        yield Step(contract.ended_on, ending(contract), by, END)


def ending(contract: Contract) -> str:
    reason = contract.end_reason
    if reason == EndReason.RENEWAL:
        return _("Term ended: renewed for a new term")
    if reason == EndReason.EXPIRY:
        return _("Term ended without renewal: the contract ended")
    if reason == EndReason.DISMISSAL:
        return _("Dismissed: the contract ended")
    if reason == EndReason.RESIGNATION:
        return _("Resigned: the contract ended")
    return _("Contract terminated (%(reason)s)") % {"reason": contract.get_end_reason_display()}


def renewal_steps(review: RenewalReview, actor: Actor) -> Iterator[Step]:
    text = _("Renewal review opened (term ends %(day)s)") % {"day": day(review.contract.end_date)}
    yield Step(review.opened_on, text, name(actor("open")) or system(), RENEWAL_OPEN)
    if review.state in (RenewalState.RENEW, RenewalState.NOT_RENEW):
        text = (
            _("Renewal decided")
            if review.state == RenewalState.RENEW
            else _("Decided not to renew")
        )
        text = with_note(text, review.reasons)
        yield Step(review.decided_on, text, name(review.decided_by), RENEWAL_DECIDED)


def resignation_steps(resignation: Resignation) -> Iterator[Step]:
    text = with_note(_("Asked to resign"), resignation.reason)
    yield Step(resignation.requested_on, text, name(resignation.requested_by), RESIGN)
    if resignation.state == ResignationState.ACCEPTED:
        text = _("Resignation accepted: last day of service %(day)s") % {
            "day": day(resignation.end_date)
        }
    elif resignation.state == ResignationState.WITHDRAWN:
        text = _("Resignation withdrawn")
    else:
        return
    yield Step(resignation.decided_on, text, name(resignation.decided_by), RESIGN_ANSWER)


def case_steps(case: DismissalCase, grounds: Sequence[str], actor: Actor) -> Iterator[Step]:
    text = _("Dismissal case opened: %(grounds)s") % {"grounds": join_list(grounds)}
    yield Step(case.opened_on, text, name(case.opened_by) or system(), CASE_OPEN)
    text = _("Declined to give a statement") if case.statement_declined else _("Statement heard")
    yield Step(case.heard_on, text, name(actor("hear")), CASE_HEARD)
    if case.decided_on:
        text = (
            _("Decided to dismiss")
            if case.decision == CaseDecision.DISMISS
            else _("Case closed without dismissal")
        )
        text = with_note(text, case.decision_reasons)
        yield Step(case.decided_on, text, name(case.decided_by), CASE_DECIDED)
    yield Step(case.filed_on, _("Case filed with the county"), name(case.filed_by), CASE_FILED)


def acting_steps(vacancy: Vacancy, actor: Actor) -> Iterator[Step]:
    post = post_name(vacancy.post)
    text = _("Designated to act for the director of %(post)s") % {"post": post}
    yield Step(vacancy.acting_from, text, name(actor("designate_acting")), ACTING)
    if vacancy.state in (VacancyState.FILLED, VacancyState.CLOSED):
        text = _("Acting for the director of %(post)s ended") % {"post": post}
        yield Step(vacancy.closed_on, text, system(), ACTING_END)


# Training, agreements, months, appraisals, rewards ------------------------------------------


def attendance_steps(attendance: Attendance) -> Iterator[Step]:
    course = attendance.course
    facts = {
        "kind": course.get_kind_display(),
        "title": course.title,
        "start": day(course.starts_on),
        "end": day(course.ends_on),
        # Days without trailing zeros: 3, 2.5.
        "days": f"{Decimal(attendance.days).normalize():f}",
    }
    text = (
        _("Attended %(kind)s “%(title)s” (%(start)s, %(days)s days)")
        if course.ends_on == course.starts_on
        else _("Attended %(kind)s “%(title)s” (%(start)s to %(end)s, %(days)s days)")
    )
    yield Step(course.starts_on, text % facts, name(attendance.recorded_by), TRAINING)


def agreement_steps(agreement: TargetAgreement) -> Iterator[Step]:
    if agreement.state == AgreementState.SIGNED:
        days = [
            d
            for d in (
                agreement.township_signed_on,
                agreement.village_signed_on,
                agreement.director_signed_on,
            )
            if d
        ]
        text = _("Target-responsibility agreement of %(year)s signed") % {"year": agreement.year}
        yield Step(
            max(days, default=agreement.drafted_on), text, name(agreement.recorded_by), AGREEMENT
        )
    else:
        text = _("Target-responsibility agreement of %(year)s drafted, not yet signed") % {
            "year": agreement.year
        }
        yield Step(agreement.drafted_on, text, name(agreement.drafted_by), AGREEMENT)


def year_of_months_step(year: int, scores: Sequence[MonthlyScore]) -> Step:
    """The published months of one year as one line: how many, their mean, highest and lowest
    score, the pay deducted; on the day the year's latest month was published (its last day
    when no day is recorded), by whoever scored them."""
    totals = [Decimal(score.total) for score in scores if score.total is not None]
    mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = _(
        "Monthly assessment of %(year)s: %(count)s months published, mean %(mean)s points "
        "(highest %(high)s, lowest %(low)s)"
    ) % {
        "year": year,
        "count": len(scores),
        "mean": points(mean),
        "high": points(max(totals)),
        "low": points(min(totals)),
    }
    deducted = [Decimal(score.deduction) for score in scores if score.deduction]
    if deducted:
        text = _("%(text)s; pay deducted in %(months)s months, %(amount)s yuan") % {
            "text": text,
            "months": len(deducted),
            "amount": points(sum(deducted, Decimal(0))),
        }
    last = scores[-1].month
    published = [score.month.published_at for score in scores if score.month.published_at]
    on = max(published, default=None) or datetime.date(
        year, last.month, calendar.monthrange(year, last.month)[1]
    )
    scorers = dict.fromkeys(name(score.recorded_by) for score in scores if score.recorded_by)
    return Step(on, text, join_list(scorers), MONTHS)


def appraisal_steps(appraisal: AnnualAppraisal) -> Iterator[Step]:
    if appraisal.state == AppraisalState.CONFIRMED:
        text = _("Annual appraisal of %(year)s: %(score)s points, %(grade)s") % {
            "year": appraisal.year,
            "score": points(appraisal.score),
            "grade": appraisal.get_grade_display(),
        }
        if appraisal.partial_year:
            text = _("%(text)s (on %(months)s months scored)") % {
                "text": text,
                "months": appraisal.months_counted,
            }
        on = appraisal.confirmed_at or appraisal.rated_at or appraisal.created_at
        yield Step(on, text, name(appraisal.confirmed_by), APPRAISAL)
    elif appraisal.state == AppraisalState.RATED:
        text = _("Annual appraisal of %(year)s rated by the township, waiting for the county") % {
            "year": appraisal.year
        }
        on = appraisal.rated_at or appraisal.created_at
        yield Step(on, text, name(appraisal.rated_by), APPRAISAL)


def reward_steps(reward: Reward) -> Iterator[Step]:
    facts = {
        "year": reward.year,
        "amount": points(reward.amount),
        "years": reward.full_years,
        "points": reward.bonus_points,
    }
    if reward.kind == RewardKind.COMMENDATION:
        text = _("Commended for %(year)s")
    elif reward.kind == RewardKind.LONG_SERVICE:
        text = _("Long-service reward of %(amount)s yuan (%(years)s full years)")
    elif reward.kind == RewardKind.RECOMMENDATION:
        text = _("Recommended for the public-institution exam (%(points)s bonus points)")
    else:
        text = _("Pension contribution of %(amount)s yuan for %(year)s")
    text %= facts
    settlement = reward.settlement
    if settlement.settled_on is None:
        text = _("%(text)s, not yet settled") % {"text": text}
    by = name(settlement.settled_by) or name(reward.granted_by)
    yield Step(settlement.settled_on or reward.created_at, text, by, REWARD)


# Warnings and yellow cards --------------------------------------------------------------------


def warning_steps(warning: Warning) -> Iterator[Step]:
    text = _("Early warning: %(rule)s (%(period)s)") % {
        "rule": warning.get_rule_display(),
        "period": warning.period_text,
    }
    yield Step(warning.opened_on, text, system(), WARNING)
    yield Step(
        warning.acknowledged_on,
        _("Warning acknowledged"),
        name(warning.acknowledged_by),
        WARNING_ACK,
    )
    text = with_note(_("Warning followed up and closed"), warning.close_note)
    yield Step(warning.closed_on, text, name(warning.closed_by), WARNING_CLOSE)


def yellow_card_steps(card: YellowCard) -> Iterator[Step]:
    text = _("Yellow card: %(reason)s") % {"reason": " ".join(card.reason.split())}
    yield Step(card.decided_on, text, name(card.decided_by), YELLOW_CARD)
