"""Inspection days for tests: a township with villages, its office officer leading a day
planned for today, started (drawn), with records, or ended — all through the services."""

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
