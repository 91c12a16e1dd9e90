"""Reads of the monthly inspections, and the one rule of their secrecy.

Until a day ends, which villages were drawn is known to the day's leader alone (seed 002:
只有带队组长知道检查点). Everyone else in scope sees that the draw was made, by whom and when,
and how many villages, but neither the villages nor the records (which name them).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from inspections.constants import DayState
from inspections.models import InspectionDay, InspectionRecord, SpotCheckDraw


def may_see_villages(user, day: InspectionDay) -> bool:
    """Whether ``user`` (who may see the day) may see its drawn villages and records."""
    return day.state == DayState.ENDED or (
        getattr(user, "pk", None) is not None and user.pk == day.leader_id
    )


def draw_of(day: InspectionDay) -> SpotCheckDraw | None:
    return SpotCheckDraw.objects.filter(day=day).select_related("drawn_by").first()


@dataclass
class Chain:
    """The records of one village on one day: the original first, each correction after the
    record it corrects; the last is the one in force."""

    village_id: int
    village_name: str
    records: list[InspectionRecord]

    @property
    def current(self) -> InspectionRecord:
        return self.records[-1]

    @property
    def corrected(self) -> bool:
        return len(self.records) > 1


def chains_of(records) -> dict[int, Chain]:
    """Records grouped into their correction chains, keyed by village id."""
    records = list(records)
    by_corrected = {r.corrects_id: r for r in records if r.corrects_id}
    chains: dict[int, Chain] = {}
    for record in records:
        if record.corrects_id is not None:
            continue
        links = [record]
        while links[-1].pk in by_corrected:
            links.append(by_corrected[links[-1].pk])
        chains[record.village_id] = Chain(record.village_id, record.village.name, links)
    return chains


def day_chains(day: InspectionDay) -> dict[int, Chain]:
    return chains_of(
        InspectionRecord.objects.filter(day=day).select_related("village", "director", "signed_by")
    )


def findings_for_month(month) -> dict[int, list[InspectionRecord]]:
    """The records in force (the last of each correction chain) of the ended inspection days
    of ``month`` (an ``assessment.AssessmentMonth``), keyed by village id, oldest first.

    The days are those of the month's township in its calendar month (a day planned after
    the month was opened is also linked to it). Days not yet ended are left out: their
    villages are still secret.
    Each record's ``corrects`` leads back to the records it replaced.
    """
    first = datetime.date(month.year, month.month, 1)
    after = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    days = InspectionDay.objects.filter(state=DayState.ENDED, township_id=month.township_id).filter(
        date__gte=first, date__lt=after
    )
    records = (
        InspectionRecord.objects.filter(day__in=days, corrected_by__isnull=True)
        .select_related("day", "village", "director", "signed_by", "corrects")
        .order_by("day__date", "signed_at", "pk")
    )
    found: dict[int, list[InspectionRecord]] = defaultdict(list)
    for record in records:
        found[record.village_id].append(record)
    return dict(found)
