"""A small county whose dashboard figures are computed by hand, for the dashboard tests and
their browser tests (``tests/test_dashboards.py``, ``tests/browser/test_dashboards_figures.py``).

Today is Monday 30 November 2026. Two townships:

关索街道 (``a``):
- 王一 hired by open selection, in post since 1 January 2024 (contract to 31 December 2026:
  ends within 90 days), 高中;
- 李二 imported, in post since 5 December 2023 (contract to 4 December 2026: within 7 days),
  初中 (below the policy's 高中);
- 张三 hired, in post from 1 March 2024, left (resigned) on 31 May 2026: her post's vacancy
  opened on 1 June 2026, refill deadline 3 August 2026, overdue;
- 赵四 hired, in post since 15 June 2026, 本科;
- 钱五 imported on 1 January 2022, renewed on 1 January 2025 (a renewal: not open selection).

花江镇 (``b``):
- 孙六 hired, in post since 1 March 2025, 高中;
- 周七 hired on 1 January 2023, his contract expired on 31 December 2025: his post's vacancy
  opened on 1 January 2026 (deadline 2 March 2026, overdue); a new post of the same village
  fell vacant on 20 November 2026 (deadline 20 January 2027).

Stability from 1 December 2025 to 30 November 2026 (hand-computed in ``EXPECTED``): 关索街道 4
in post on each day, 1 left (25.0 %), tenure (1064 + 1091 + 168 + 1794) days ÷ 4 = 2.8 years,
高中+ 3 of 4 (75.0 %), open selection 2 of 4 (50.0 %); 花江镇 2 then 1, 1 left (66.7 %), 639
days = 1.7 years, 1 of 1, 1 of 1; the county 6 then 5, 2 left (36.4 %), 2.6 years, 4 of 5
(80.0 %), 3 of 5 (60.0 %).

Also: 2026's agreements (王一 signed, 李二 drafted, the others none: 关索街道 3 unsigned, 花江镇
1); an open dismissal case against 李二; 2025 appraised in both townships, 花江镇's rewards
settled on 20 February 2026, 关索街道's list not proposed (due 28 February 2026: overdue);
2026's refresher and 关索街道's four sessions: 王一 and 赵四 attended everything (met), 李二
the refresher only, 钱五 nothing, 孙六 the refresher only; published scores of October 2026
(关索街道 90 and 80: mean 85.00, rank 2; 花江镇 88: rank 1) and September 2026 (关索街道 70 and
50: mean 60.00, rank 1; 花江镇 not published).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from accounts.constants import Role
from accounts.models import User
from agreements.constants import AgreementState
from agreements.models import TargetAgreement
from appraisal.constants import SettlementState
from appraisal.models import RewardSettlement
from appraisal.services.rewards import settlement_due
from assessment.models import AssessmentMonth
from assessment.selectors import scores_mean
from contracts.constants import (
    CaseState,
    ContractOrigin,
    ContractState,
    EndReason,
    InductionSource,
    VacancyCause,
)
from contracts.models import Contract, DismissalCase
from contracts.services.posts import vacancy_open
from core.education import Education
from organisation.models import County, Post, Township, Village
from people.models import Person
from policy.constants import Grade
from policy.models import Policy
from tests.agreements_support import LINES
from tests.appraisal_support import confirmed, score
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
    make_id_number,
)
from training.constants import CourseKind
from training.models import Attendance, Course

D = datetime.date
TODAY = D(2026, 11, 30)
START = D(2025, 12, 1)  # the default period: the twelve months up to today

EXPECTED = {
    # township: (in post on the first day, on the last, left, turnover %, tenure years,
    #            高中+, open selection)
    "关索街道": (4, 4, 1, Decimal("25.0"), Decimal("2.8"), 3, 2),
    "花江镇": (2, 1, 1, Decimal("66.7"), Decimal("1.7"), 1, 1),
    "county": (6, 5, 2, Decimal("36.4"), Decimal("2.6"), 4, 3),
}


@dataclass
class DashboardCounty:
    county: County
    policy: Policy
    a: Township
    b: Township
    contracts: dict[str, Contract] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    vacancies: dict[str, object] = field(default_factory=dict)
    case: DismissalCase | None = None


def _contract(
    township: Township,
    village: Village,
    name: str,
    *,
    start: D,
    end: D,
    origin: str = ContractOrigin.HIRE,
    education: str = Education.HIGH_SCHOOL,
    state: str = ContractState.ACTIVE,
    ended_on: D | None = None,
    person: Person | None = None,
    post: Post | None = None,
    induction: bool = True,
) -> Contract:
    person = person or cast(
        Person,
        PersonFactory(
            name=name,
            id_number=make_id_number(D(1985, 3, 1)),
            township=township,
            village=village,
            education=education,
        ),
    )
    post = post or cast(Post, PostFactory(village=village))
    policy = Policy.objects.get(county=township.county)
    contract = Contract.objects.create(
        person=person,
        post=post,
        township=township,
        policy=policy,
        state=state,
        origin=origin,
        term_years=3,
        start_date=start,
        end_date=end,
        monthly_pay=policy.monthly_pay,
        activated_on=start,
        filed_on=start,
        induction_on=start if induction else None,
        induction_source=(InductionSource.RECORDED if induction else InductionSource.NOT_REQUIRED),
        ended_on=ended_on,
        end_reason=EndReason.RESIGNATION if ended_on else "",
    )
    if state in (ContractState.ACTIVE, ContractState.EXPIRING):
        Post.objects.filter(pk=post.pk).update(holder=person)
    return contract


def build() -> DashboardCounty:
    """The county of the module docstring (the clock must stand on ``TODAY``)."""
    county = cast(County, CountyFactory())
    policy = cast(Policy, PolicyFactory(county=county))
    a = cast(Township, TownshipFactory(county=county, name="关索街道"))
    b = cast(Township, TownshipFactory(county=county, name="花江镇"))
    world = DashboardCounty(county, policy, a, b)
    users = {
        "county_hr": UserFactory(username="county_hr", role=Role.COUNTY_HR, county=county,
                                 last_name="罗", first_name="敏"),
        "guansuo_committee": UserFactory(
            username="guansuo_committee", role=Role.TOWNSHIP_COMMITTEE, county=county,
            township=a, last_name="吴", first_name="兴华",
        ),
        "guansuo_office": UserFactory(
            username="guansuo_office", role=Role.TOWNSHIP_OFFICE, county=county, township=a,
            last_name="岑", first_name="丽",
        ),
        "huajiang_committee": UserFactory(
            username="huajiang_committee", role=Role.TOWNSHIP_COMMITTEE, county=county,
            township=b, last_name="龙", first_name="海",
        ),
    }  # fmt: skip
    world.users = cast(dict[str, User], users)
    chengnei = cast(Village, VillageFactory(township=a, name="城内村"))
    beikou = cast(Village, VillageFactory(township=a, name="北口村"))
    heping = cast(Village, VillageFactory(township=b, name="和平村"))
    c = world.contracts
    c["王一"] = _contract(a, chengnei, "王一", start=D(2024, 1, 1), end=D(2026, 12, 31))
    c["李二"] = _contract(
        a, chengnei, "李二", start=D(2023, 12, 5), end=D(2026, 12, 4),
        origin=ContractOrigin.IMPORT, education=Education.JUNIOR_HIGH,
    )  # fmt: skip
    c["张三"] = _contract(
        a, beikou, "张三", start=D(2024, 3, 1), end=D(2027, 2, 28),
        state=ContractState.TERMINATED, ended_on=D(2026, 5, 31),
    )  # fmt: skip
    c["赵四"] = _contract(
        a, beikou, "赵四", start=D(2026, 6, 15), end=D(2029, 6, 14), education=Education.BACHELOR
    )
    first = _contract(
        a, beikou, "钱五", start=D(2022, 1, 1), end=D(2024, 12, 31),
        origin=ContractOrigin.IMPORT, state=ContractState.RENEWED, ended_on=D(2024, 12, 31),
    )  # fmt: skip
    c["钱五"] = _contract(
        a, beikou, "钱五", start=D(2025, 1, 1), end=D(2027, 12, 31),
        origin=ContractOrigin.RENEWAL, person=first.person, post=first.post, induction=False,
    )  # fmt: skip
    c["钱五"].renews = first
    c["钱五"].save(update_fields=["renews"])
    c["孙六"] = _contract(b, heping, "孙六", start=D(2025, 3, 1), end=D(2028, 2, 29))
    c["周七"] = _contract(
        b, heping, "周七", start=D(2023, 1, 1), end=D(2025, 12, 31),
        state=ContractState.EXPIRED, ended_on=D(2025, 12, 31),
    )  # fmt: skip
    committee_a, committee_b = users["guansuo_committee"], users["huajiang_committee"]
    world.vacancies["北口村"] = vacancy_open(
        post=c["张三"].post, on=D(2026, 6, 1), by=committee_a,
        cause=VacancyCause.CONTRACT_ENDED, ended_contract=c["张三"],
    )  # fmt: skip
    world.vacancies["和平村"] = vacancy_open(
        post=c["周七"].post, on=D(2026, 1, 1), by=committee_b,
        cause=VacancyCause.CONTRACT_ENDED, ended_contract=c["周七"],
    )  # fmt: skip
    world.vacancies["和平村新岗"] = vacancy_open(
        post=cast(Post, PostFactory(village=heping)), on=D(2026, 11, 20), by=committee_b,
        cause=VacancyCause.NEW_POST,
    )  # fmt: skip
    _agreements(world)
    world.case = DismissalCase.objects.create(
        contract=c["李二"], township=a, policy=policy, state=CaseState.OPENED,
        opened_on=D(2026, 11, 23), summary="计划生育台帐管理混乱",
        statement_due=D(2026, 11, 30),
    )  # fmt: skip
    _rewards(world)
    _training(world)
    _scores(world)
    return world


def _agreements(world: DashboardCounty) -> None:
    from agreements.services import template_create

    template = template_create(
        county=world.county, year=2026, title="2026年度目标管理责任书", lines=LINES,
        by=world.users["county_hr"],
    )  # fmt: skip
    for name, state in (("王一", AgreementState.SIGNED), ("李二", AgreementState.DRAFTED)):
        contract = world.contracts[name]
        signed = state == AgreementState.SIGNED
        TargetAgreement.objects.create(
            template=template, township=contract.township, village=contract.post.village,
            person=contract.person, contract=contract, policy=world.policy, year=2026,
            state=state, drafted_on=D(2026, 2, 20),
            township_signed_on=D(2026, 3, 10) if signed else None,
            village_signed_on=D(2026, 3, 10) if signed else None,
            director_signed_on=D(2026, 3, 10) if signed else None,
        )  # fmt: skip


def _rewards(world: DashboardCounty) -> None:
    c = world.contracts
    for name in ("王一", "李二", "钱五", "孙六"):
        confirmed(c[name], 2025, Grade.COMPETENT)
    RewardSettlement.objects.create(
        township=world.b, year=2025, policy=world.policy, state=SettlementState.SETTLED,
        due_on=settlement_due(2025, world.policy), settled_on=D(2026, 2, 20),
    )  # fmt: skip


def _training(world: DashboardCounty) -> None:
    hr = world.users["county_hr"]

    def course(kind, month: int, township=None) -> Course:
        return Course.objects.create(
            county=world.county, township=township, kind=kind, year=2026,
            title=f"2026年{month}月培训", starts_on=D(2026, month, 10),
            ends_on=D(2026, month, 12), days=Decimal(3), hours=Decimal(18), created_by=hr,
        )  # fmt: skip

    refresher = course(CourseKind.REFRESHER, 6)
    sessions = [course(CourseKind.TOWNSHIP_SESSION, m, world.a) for m in (2, 5, 8, 10)]
    c = world.contracts
    for name in ("王一", "赵四", "李二", "孙六"):
        Attendance.objects.create(
            course=refresher, person=c[name].person, days=Decimal(3), hours=Decimal(18),
            recorded_by=hr,
        )  # fmt: skip
    for name in ("王一", "赵四"):
        for session in sessions:
            Attendance.objects.create(
                course=session, person=c[name].person, days=Decimal(3), hours=Decimal(18),
                recorded_by=hr,
            )  # fmt: skip


def _scores(world: DashboardCounty) -> None:
    c = world.contracts
    for name, total in (("王一", 90), ("李二", 80), ("孙六", 88)):
        row = score(c[name], 2026, 10, total)
        row.rank = {"王一": 1, "李二": 2, "孙六": 1}[name]
        row.save(update_fields=["rank"])
    for name, total, rank in (("王一", 70, 1), ("李二", 50, 2)):
        row = score(c[name], 2026, 9, total)
        row.rank = rank
        row.save(update_fields=["rank"])
    published(AssessmentMonth.objects.filter(year=2026, month__in=[9, 10]))


def published(months) -> None:
    """Store each month's figures as publishing it does (``scores_mean``)."""
    for month in months:
        scored, mean = scores_mean(month.pk)
        AssessmentMonth.objects.filter(pk=month.pk).update(scored_count=scored, mean_total=mean)
