"""Monthly inspections in the demo county (``inspections``): for 关索街道 and 花江镇, whose
office officers have demo accounts and whose villages have directors in post, one
unannounced inspection day in each of the two months before this one, around the 15th
(the first working day from then): planned and started by the township's office officer
(the villages drawn by lot), a signed record for each drawn village, the day ended. In
关索街道 the later day has one record corrected the next working day, with its reason.

Nothing is started in the current month: the demo user plans a day and draws its villages
live. The days are linked to the township's assessment month when one exists, and are
loaded whether or not it does.

Made by the real services on their dates, with the clock stood still there
(``demo.recruitment.on``). Idempotent: once a demo township has an inspection day, nothing is
done (one query).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo import data
from demo.recruitment import at, on
from inspections.models import InspectionDay, InspectionRecord
from inspections.services import day_end, day_plan, day_start, record_correct, record_sign
from organisation.models import Township, Village
from workdays.calendar import is_working_day

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DemoTeam:
    township: str
    leader: str  # the username of the office officer who leads the days
    team: str


TEAMS = (
    DemoTeam("关索街道", "guansuo_office", "岑丽、伍志强"),
    DemoTeam("花江镇", "huajiang_office", "陆春梅、龙海"),
)

# What the team writes down, taken in turn for the drawn villages.
FINDINGS = (
    "入户抽查10户，人口信息与台账一致；流动人口登记及时。",
    "育龄妇女信息台账齐全，1户出生登记晚报3天，已当场督促补登。",
    "村人口主任在岗，宣传栏内容已更新；抽查8户，信息全部准确。",
    "抽查12户，2户外出人员去向未登记，已要求一周内补齐。",
    "计生奖扶对象公示规范，档案资料齐全，群众知晓率高。",
    "台账更新不及时，10月出生1人未录入系统，已责令整改。",
)
OBSERVATIONS = "信息准确率：符合；台账管理：基本符合；宣传服务：符合。"
CORRECTION = (
    "抽查户数应为12户（原记录误写为10户），其中1户信息不符，已要求整改。",
    "检查时抽查户数记录笔误，经检查组核对原始调查表后更正。",
)


def working_day_from(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += ONE_DAY
    return day


def inspection_dates(today: datetime.date) -> list[datetime.date]:
    """Around the 15th of each of the two months before ``today``'s."""
    dates = []
    for back in (2, 1):
        index = today.year * 12 + today.month - 1 - back
        dates.append(working_day_from(datetime.date(index // 12, index % 12 + 1, 15)))
    return dates


def _inspect(township: Township, leader: User, team: str, day_on: datetime.date, turn: int):
    with on(at(day_on, 8, 30)):
        day = day_plan(township=township, date=day_on, leader=leader, team=team, by=leader)
        draw = day_start(day=day, by=leader)
    records = []
    for n, pk in enumerate(draw.result):
        with on(at(day_on, 10 + 2 * n, 15)):
            records.append(
                record_sign(
                    day=day,
                    village=Village.objects.get(pk=pk),
                    findings=FINDINGS[(turn + n) % len(FINDINGS)],
                    observations=OBSERVATIONS,
                    inspectors=team,
                    by=leader,
                )
            )
    with on(at(day_on, 17, 40)):
        day_end(day=day, by=leader)
    return day, records


def _correct(record: InspectionRecord, leader: User, team: str, day_on: datetime.date) -> None:
    with on(at(working_day_from(day_on + ONE_DAY), 9, 10)):
        record_correct(
            record=record,
            findings=CORRECTION[0],
            observations=record.observations,
            inspectors=team,
            reason=CORRECTION[1],
            by=leader,
        )


def demo_inspections_load(today: datetime.date | None = None) -> int:
    """Load the demo inspection days; returns how many were made."""
    names = [team.township for team in TEAMS]
    county = data.COUNTY["name"]
    if InspectionDay.objects.filter(
        township__county__name=county, township__name__in=names
    ).exists():
        return 0
    today = today or timezone.localdate()
    made = 0
    with transaction.atomic():
        for turn, team in enumerate(TEAMS):
            township = Township.objects.filter(county__name=county, name=team.township).first()
            leader = User.objects.filter(username=team.leader, township=township).first()
            if township is None or leader is None:
                continue
            for n, day_on in enumerate(inspection_dates(today)):
                _day, records = _inspect(township, leader, team.team, day_on, turn * 2 + n)
                made += 1
                if turn == 0 and n == 1 and records:
                    _correct(records[0], leader, team.team, day_on)
    return made
