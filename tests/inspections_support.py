"""Inspection days for tests: a township with villages, its office officer leading a day
planned for today, started (drawn), with records, or ended — all through the services."""

from dataclasses import dataclass
from typing import cast

from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from inspections.models import InspectionDay, InspectionRecord
from inspections.services import day_end, day_plan, day_start, record_sign
from organisation.models import Township, Village
from tests.factories import UserFactory, VillageFactory

VILLAGE_NAMES = ("坝上村", "岩脚村", "木城村", "双龙村", "沙营村", "永宁村")


def add_villages(township: Township, names=VILLAGE_NAMES) -> list[Village]:
    return [cast(Village, VillageFactory(township=township, name=name)) for name in names]


def office_user(township: Township, username: str, **names) -> User:
    return cast(
        User,
        UserFactory(
            role=Role.TOWNSHIP_OFFICE,
            county=township.county,
            township=township,
            username=username,
            **names,
        ),
    )


def planned_day(township: Township, leader: User, *, team: str = "岑丽、伍志强") -> InspectionDay:
    return day_plan(
        township=township, date=timezone.localdate(), leader=leader, team=team, by=leader
    )


def started_day(township: Township, leader: User) -> InspectionDay:
    day = planned_day(township, leader)
    day_start(day=day, by=leader)
    day.refresh_from_db()
    return day


def sign_all(day: InspectionDay, leader: User) -> list[InspectionRecord]:
    return [
        record_sign(
            day=day,
            village=Village.objects.get(pk=pk),
            findings=f"{pk}号村台账齐全，抽查10户信息一致。",
            inspectors="岑丽、伍志强",
            by=leader,
        )
        for pk in day.draw.result
    ]


def ended_day(township: Township, leader: User) -> InspectionDay:
    day = started_day(township, leader)
    sign_all(day, leader)
    day_end(day=day, by=leader)
    day.refresh_from_db()
    return day


# For the permission matrix (``tests.test_permission_matrix``) --------------------------------


@dataclass
class SideDays:
    """A side's inspection days of today, led by its office officer: one planned, one under
    way (drawn, nothing signed), one ended with a signed record."""

    leader: User
    planned: InspectionDay
    started: InspectionDay
    ended: InspectionDay
    record: InspectionRecord
    village: Village


def inspection_days(world, side: str) -> SideDays:
    """Built on first use and kept on the world (``tests.matrix_support.World``)."""
    cache = world.__dict__.setdefault("_inspection_days", {})
    if side not in cache:
        place = world.side(side)
        if side == "own":
            leader = world.users[Role.TOWNSHIP_OFFICE]
        else:
            leader = office_user(place.township, "foreign_office")
        ended = ended_day(place.township, leader)
        cache[side] = SideDays(
            leader=leader,
            planned=planned_day(place.township, leader),
            started=started_day(place.township, leader),
            ended=ended,
            record=ended.records.order_by("pk")[0],
            village=place.village,
        )
    return cache[side]


def record_data(world, side: str) -> dict:
    days = inspection_days(world, side)
    prefix = f"v{days.village.pk}"
    return {f"{prefix}-findings": "台账齐全。", f"{prefix}-inspectors": "岑丽"}


def correction_data(world, side: str) -> dict:
    days = inspection_days(world, side)
    prefix = f"c{days.record.village_id}"
    return {
        f"{prefix}-findings": "抽查12户。",
        f"{prefix}-inspectors": "岑丽",
        f"{prefix}-reason": "户数笔误",
    }
