"""Reading the records the appraisal and the rewards are computed from.

Monthly scores are read from the assessment's models: the months that count are those
published or settled (``assessment.constants.COUNTED_STATES``).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet

from accounts.scoping import scoped
from appraisal.constants import AppraisalState
from appraisal.models import AnnualAppraisal, Reward
from assessment.constants import COUNTED_STATES
from assessment.models import MonthlyScore
from contracts.constants import PENDING_STATES
from contracts.models import Contract


def contract_last_day(contract: Contract) -> datetime.date:
    return contract.ended_on or contract.end_date


def service_periods(
    person_ids: Iterable[int],
) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    """(first day, last day) of every contract that came into force, per person: earlier
    contracts and renewals included."""
    periods: dict[int, list] = defaultdict(list)
    for contract in Contract.objects.filter(person_id__in=list(person_ids)).exclude(
        state__in=PENDING_STATES
    ):
        periods[contract.person_id].append((contract.start_date, contract_last_day(contract)))
    return periods


def counted_totals(person_ids: Iterable[int], year: int) -> dict[int, list[Decimal]]:
    """The counted monthly scores of ``year`` per person, in month order."""
    totals: dict[int, list[Decimal]] = defaultdict(list)
    rows = (
        MonthlyScore.objects.filter(
            person_id__in=list(person_ids),
            month__year=year,
            month__state__in=COUNTED_STATES,
            total__isnull=False,
        )
        .order_by("month__month")
        .values_list("person_id", "total")
    )
    for person_id, total in rows:
        if total is not None:
            totals[person_id].append(total)
    return totals


def confirmed_grades(
    person_ids: Iterable[int], until: int | None = None
) -> dict[int, dict[int, str]]:
    """{person: {year: grade}} of the confirmed appraisals."""
    found: dict[int, dict[int, str]] = defaultdict(dict)
    rows = AnnualAppraisal.objects.filter(
        person_id__in=list(person_ids), state=AppraisalState.CONFIRMED
    )
    if until is not None:
        rows = rows.filter(year__lte=until)
    for person_id, year, grade in rows.values_list("person_id", "year", "grade"):
        found[person_id][year] = grade
    return found


def appraisals_of(person) -> list[AnnualAppraisal]:
    return list(
        AnnualAppraisal.objects.filter(person=person).select_related("township").order_by("-year")
    )


def rewards_of(person) -> list[Reward]:
    return list(
        Reward.objects.filter(person=person).select_related("settlement").order_by("-year", "kind")
    )


def appraisals_listed(user, township, year: int) -> QuerySet[AnnualAppraisal]:
    """A township's appraisals of ``year`` that ``user`` sees (a village committee its own
    village's director), by the pinyin of the name."""
    return (
        scoped(AnnualAppraisal.objects.filter(township=township, year=year), user)
        .select_related("person", "contract__post__village", "policy")
        .order_by("person__name_pinyin", "pk")
    )


def director_appraisals(person) -> dict:
    """A director's own confirmed annual appraisals and rewards, newest year first (the
    section of their portal, templates/appraisal/_my_section.html). Two queries."""
    return {
        "appraisals": list(
            AnnualAppraisal.objects.filter(person=person, state=AppraisalState.CONFIRMED)
            .select_related("township")
            .order_by("-year")
        ),
        "rewards": list(
            Reward.objects.filter(person=person)
            .select_related("settlement")
            .order_by("-year", "kind")
        ),
    }
