"""The contract term in the demo county: one director in each state a term goes through,
each made by the real services on dates counted back from today (no clock travel).

Five directors come in by a second county HR import (``directors_import``, run as
``county_hr``), each in the first village of their township with exactly one vacant post
(so the import opens no other vacancy); then, on their township committee member's account:

- 岗乌镇: a contract that ends within 90 days; the sweep's renewal step (``renewal_reviews``)
  opens its renewal review, whose task waits for the township committee.
- 上关镇: a resignation recorded four days ago, in its notice period, not yet answered.
- 坡贡镇: a dismissal case opened two days ago (a ground, the facts and a piece of evidence),
  waiting for the director's written statement.
- 白水镇: a contract ended (health) 75 days ago; an acting person designated three days later;
  the refill deadline passed, so the sweep's vacancies step (``escalate_overdue_vacancies``)
  sent the vacancy to the county.
- 新铺镇: a contract ended (change of post) 20 days ago, with an acting person designated.

The flows start as the services start them (from their signals, in the same transaction).
The vacancy just opened without an acting person is the one ``demo.directors``' import opened
today in 顶云街道. Loaded by ``manage.py load_demo`` after ``demo.directors``; idempotent: once
any of these directors has a contract, nothing is done (one query).
"""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from accounts.services import user_create
from audit.services import audited_update
from contracts.constants import ContractOrigin, ContractState, EndReason, VacancyState
from contracts.importing import TEMPLATE_HEADER, directors_import
from contracts.models import Contract, DismissalGround, Vacancy
from contracts.services.dismissal import Evidence, case_open
from contracts.services.drafting import contract_end_date
from contracts.services.endings import contract_terminate, resignation_request
from contracts.services.vacancies import escalate_overdue_vacancies, vacancy_designate_acting
from contracts.sweep_steps import renewal_reviews
from core.exports import csv_content
from demo import data
from demo.directors import two_years_ago
from demo.services import REASON, _email, _household, _id_number
from organisation.constants import PostStatus
from organisation.models import Post
from people.models import Person

FILE_NAME = "在岗村级人口主任名册（演示县补充）.csv"
ONE_DAY = datetime.timedelta(days=1)

RESIGNATION_AGO = datetime.timedelta(days=4)
CASE_AGO = datetime.timedelta(days=2)
OVERDUE_ENDED_AGO = datetime.timedelta(days=75)  # more than the 2 months to refill
ACTING_ENDED_AGO = datetime.timedelta(days=20)
ACTING_AFTER = datetime.timedelta(days=3)


@dataclass(frozen=True)
class TermDirector:
    case: str  # a key of CASES
    township: str
    name: str
    birth_date: datetime.date
    order: int  # 3-digit sequence code of the ID number; odd for men
    phone: str
    education: str
    account: str  # the committee member who acts and sees the case


# fmt: off
DIRECTORS: tuple[TermDirector, ...] = (
    TermDirector("renewal", "岗乌镇", "王明英", datetime.date(1976, 3, 14), 242,
                 "13985317720", "高中", "gangwu_committee"),
    TermDirector("resignation", "上关镇", "吴秀芬", datetime.date(1988, 8, 27), 264,
                 "15185316608", "大专", "shangguan_committee"),
    TermDirector("dismissal", "坡贡镇", "罗志刚", datetime.date(1981, 1, 5), 275,
                 "18285319931", "高中", "pogong_committee"),
    TermDirector("overdue", "白水镇", "赵光明", datetime.date(1971, 10, 2), 287,
                 "13708534415", "中专", "baishui_committee"),
    TermDirector("acting", "新铺镇", "胡丽萍", datetime.date(1986, 5, 19), 298,
                 "15908537362", "本科", "xinpu_committee"),
)
# fmt: on

RESIGNATION_REASON = "家中老人长期患病需要照料，无法继续兼顾村级人口主任工作，申请辞去该职务。"
CASE_SUMMARY = (
    "今年第三季度全员人口信息抽查中，该同志负责的村出生登记漏报4例、流动人口信息"
    "长期未更新，经镇计生办两次书面提醒仍未整改，造成全镇年度考核被通报。"
)
CASE_EVIDENCE = "镇计生办2次书面整改通知及签收记录、县卫生健康局抽查通报（复印件）。"
HEALTH_NOTE = "该同志因病长期住院治疗，本人提出、经镇党委研究，自即日起解除聘用合同。"
CHANGE_NOTE = "该同志当选村民委员会主任，不再兼任村级人口主任，经镇党委研究解除聘用合同。"


def expiring_start(today: datetime.date) -> datetime.date:
    """A start date whose 3-year term ends at the end of next month (31 to 61 days away,
    inside the 90 days of a renewal review)."""
    first = datetime.date(today.year, today.month, 1)
    in_two_months = (first + datetime.timedelta(days=62)).replace(day=1)
    return in_two_months.replace(year=in_two_months.year - 3)


def _seats() -> dict[str, Post] | None:
    """Each director's post: in the first village (in the order of ``demo.data``) of their
    township with exactly one vacant active post; None when a township has none."""
    order = {
        (township.name, village): index
        for township in data.TOWNSHIPS
        for index, (village, _population) in enumerate(township.villages)
    }
    vacant = list(
        Post.objects.filter(
            village__township__county__name=data.COUNTY["name"],
            village__township__name__in=[d.township for d in DIRECTORS],
            status=PostStatus.ACTIVE,
            holder__isnull=True,
        ).select_related("village__township")
    )
    by_village: dict[int, list[Post]] = {}
    for post in vacant:
        by_village.setdefault(post.village_id, []).append(post)
    seats: dict[str, Post] = {}
    for posts in sorted(
        by_village.values(),
        key=lambda ps: order.get((ps[0].village.township.name, ps[0].village.name), 999),
    ):
        if len(posts) == 1:
            seats.setdefault(posts[0].village.township.name, posts[0])
    if any(d.township not in seats for d in DIRECTORS):
        return None
    return seats


def _rows(today: datetime.date, seats: dict[str, Post]) -> list[list[str]]:
    rows = []
    for director in DIRECTORS:
        start = expiring_start(today) if director.case == "renewal" else two_years_ago(today)
        seat = seats[director.township]
        rows.append(
            [
                director.township,
                seat.village.name,
                director.name,
                _id_number(director.birth_date, director.order),
                director.phone,
                director.education,
                start.isoformat(),
                contract_end_date(start, 3).isoformat(),
                _household(director.township, seat.village.name, 2),
            ]
        )
    return rows


def _acting_person(vacancy: Vacancy) -> Person:
    """The director of the first occupied village of the vacancy's township (in the order of
    ``demo.data``): a neighbour acts for the vacant post."""
    order = {
        village: index
        for township in data.TOWNSHIPS
        if township.name == vacancy.township.name
        for index, (village, _population) in enumerate(township.villages)
    }
    posts = Post.objects.filter(
        village__township=vacancy.township, status=PostStatus.ACTIVE, holder__isnull=False
    ).select_related("village", "holder")
    post = min(posts, key=lambda p: (order.get(p.village.name, 999), p.number))
    assert post.holder is not None
    return post.holder


ACCOUNT = data.TERM_DIRECTOR_ACCOUNT


def _director_account(contract: Contract, password_hash: str) -> User:
    """The account of the director of ``contract`` (``data.TERM_DIRECTOR_ACCOUNT``)."""
    user = User(
        username=ACCOUNT.username,
        email=_email(ACCOUNT),
        first_name=ACCOUNT.first_name,
        last_name=ACCOUNT.last_name,
        role=ACCOUNT.role,
        county=contract.township.county,
        township=contract.township,
        village=contract.post.village,
        person=contract.person,
        password=password_hash,
    )
    user_create(user=user, by=None, reason=REASON)
    return user


def demo_term_account(*, reset_passwords: bool = False) -> tuple[User | None, bool]:
    """The term director's account, if the demo made it, and whether its password was set
    back to the printed one (``--reset-passwords``)."""
    user = User.objects.filter(username=ACCOUNT.username).select_related("person").first()
    if user is None or user.role != ACCOUNT.role or not reset_passwords:
        return user, False
    audited_update(
        user,
        {"password": make_password(ACCOUNT.password)},
        by=None,
        reason=f"{REASON}：密码重置为演示密码",
    )
    return user, True


@dataclass
class TermResult:
    imported: int = 0  # directors imported for the examples
    account_created: bool = False  # the term director's account


def demo_term_load() -> TermResult:
    """Build the term's examples unless one of their directors has a contract (nothing done
    either when the county lacks what they need)."""
    result = TermResult()
    ids = {d.case: _id_number(d.birth_date, d.order) for d in DIRECTORS}
    if Contract.objects.filter(person__id_number__in=ids.values()).exists():
        return result
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["county_hr", *(d.account for d in DIRECTORS)],
            county__name=data.COUNTY["name"],
            role__in=[Role.COUNTY_HR, Role.TOWNSHIP_COMMITTEE],
        )
    }
    seats = _seats()
    if seats is None or len(users) != len(DIRECTORS) + 1:
        return result
    password_hash = make_password(ACCOUNT.password)  # before the transaction: it is slow
    today = timezone.localdate()
    content = csv_content([TEMPLATE_HEADER, *_rows(today, seats)])
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        report = directors_import(file_name=FILE_NAME, content=content, by=users["county_hr"])
        if not report.ok:
            problems = "; ".join(f"{e.row} {e.column} {e.reason}" for e in report.errors)
            raise RuntimeError(f"the demo's term directors could not be imported: {problems}")
        contracts = {
            case: Contract.objects.get(person__id_number=id_number)
            for case, id_number in ids.items()
        }
        by = {d.case: users[d.account] for d in DIRECTORS}

        # The sweep's renewal step opens the review of the contract near its end.
        renewal_reviews(today=today)

        # She asks to resign on her own account (我的聘期); the township answers. (Recorded by
        # the committee member if an account of that name is someone else's.)
        requester = by["resignation"]
        if not User.objects.filter(username=ACCOUNT.username).exists():
            requester = _director_account(contracts["resignation"], password_hash)
            result.account_created = True
        resignation_request(
            contract=contracts["resignation"],
            by=requester,
            reason=RESIGNATION_REASON,
            on=today - RESIGNATION_AGO,
        )

        case_open(
            contract=contracts["dismissal"],
            grounds=[DismissalGround.objects.get(code="major_error")],
            period=(today - CASE_AGO).year,
            summary=CASE_SUMMARY,
            evidence=[Evidence(text=CASE_EVIDENCE)],
            by=by["dismissal"],
            on=today - CASE_AGO,
        )

        for case, ago, reason, note in (
            ("overdue", OVERDUE_ENDED_AGO, EndReason.HEALTH, HEALTH_NOTE),
            ("acting", ACTING_ENDED_AGO, EndReason.CHANGE_OF_POST, CHANGE_NOTE),
        ):
            ended = today - ago
            contract_terminate(
                contract=contracts[case], reason=reason, on=ended, note=note, by=by[case]
            )
            vacancy = Vacancy.objects.select_related("township").get(ended_contract=contracts[case])
            vacancy_designate_acting(
                vacancy=vacancy,
                person=_acting_person(vacancy),
                on=ended + ACTING_AFTER,
                by=by[case],
            )

        # The sweep's vacancies step sends the vacancy past its deadline to the county.
        escalate_overdue_vacancies(today=today)
        # The workflow scheduler fires the refill deadline that passed: the overdue vacancy's
        # task goes to the county's HR officers.
        call_command("workflow_timers", stdout=io.StringIO())
    result.imported = report.contracts_created
    return result


@dataclass(frozen=True)
class TermLine:
    state: str
    place: str
    person: str
    detail: str
    username: str  # the demo account that sees and continues it


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def demo_term_lines() -> list[TermLine]:
    """Where each term example of the demo is and who sees it (a few queries)."""
    lines: list[TermLine] = []
    county = data.COUNTY["name"]
    ids = {_id_number(d.birth_date, d.order): d for d in DIRECTORS}
    hires = (
        Contract.objects.filter(
            township__county__name=county,
            state=ContractState.ACTIVE,
            origin=ContractOrigin.HIRE,
            filed_on__isnull=False,
        )
        .select_related("township", "post__village", "person")
        .order_by("township__name", "post__village__name_pinyin", "pk")
    )
    for contract in hires:
        lines.append(
            TermLine(
                _("Hired, signed and filed"),
                f"{contract.township.name}{contract.post.village.name}",
                contract.person.name,
                _("filed on %(day)s") % {"day": _day(contract.filed_on)},
                "huajiang_committee",
            )
        )
    imported = (
        Contract.objects.filter(
            township__county__name=county,
            state=ContractState.ACTIVE,
            origin=ContractOrigin.IMPORT,
            start_date__lte=two_years_ago(timezone.localdate()),
        )
        .exclude(person__id_number__in=ids)
        .select_related("township", "post__village", "person")
        .order_by("township__name", "pk")
    )
    for contract in imported:
        lines.append(
            TermLine(
                _("In force, two years behind them"),
                f"{contract.township.name}{contract.post.village.name}",
                contract.person.name,
                _("until %(day)s") % {"day": _day(contract.end_date)},
                "county_hr",
            )
        )
    term = {
        ids[c.person.id_number].case: c
        for c in Contract.objects.filter(person__id_number__in=ids).select_related(
            "township", "post__village", "person"
        )
    }
    accounts = {d.case: d.account for d in DIRECTORS}
    if contract := term.get("renewal"):
        lines.append(
            TermLine(
                _("Ending soon, renewal review open"),
                f"{contract.township.name}{contract.post.village.name}",
                contract.person.name,
                _("ends on %(day)s") % {"day": _day(contract.end_date)},
                accounts["renewal"],
            )
        )
    if contract := term.get("resignation"):
        resignation = contract.resignations.order_by("-pk").first()
        if resignation is not None:
            lines.append(
                TermLine(
                    _("Resignation in its notice period"),
                    f"{contract.township.name}{contract.post.village.name}",
                    contract.person.name,
                    _("notice ends on %(day)s") % {"day": _day(resignation.notice_ends_on)},
                    accounts["resignation"],
                )
            )
    if contract := term.get("dismissal"):
        case = contract.cases.order_by("-pk").first()
        if case is not None:
            lines.append(
                TermLine(
                    _("Dismissal case awaiting the statement"),
                    f"{contract.township.name}{contract.post.village.name}",
                    contract.person.name,
                    _("statement due %(day)s") % {"day": _day(case.statement_due)},
                    accounts["dismissal"],
                )
            )
    # The overdue vacancy's refill task went to the county's HR officers.
    accounts["overdue"] = "county_hr"
    for case, label in (
        ("overdue", _("Vacancy with an acting person, overdue")),
        ("acting", _("Vacancy with an acting person")),
    ):
        if contract := term.get(case):
            vacancy = (
                Vacancy.objects.filter(ended_contract=contract)
                .select_related("acting_person")
                .first()
            )
            if vacancy is not None:
                lines.append(
                    TermLine(
                        label,
                        f"{contract.township.name}{contract.post.village.name}",
                        _("acting: %(name)s")
                        % {"name": vacancy.acting_person.name if vacancy.acting_person else "—"},
                        _("refill by %(day)s") % {"day": _day(vacancy.refill_due)},
                        accounts[case],
                    )
                )
    fresh = (
        Vacancy.objects.filter(
            township__county__name=county,
            acting_person__isnull=True,
            state=VacancyState.OPEN,
        )
        .select_related("township", "post__village")
        .order_by("-opened_on", "township__name", "pk")
        .first()
    )
    if fresh is not None:
        lines.append(
            TermLine(
                _("Vacancy just opened, no acting person"),
                f"{fresh.township.name}{fresh.post.village.name}",
                "—",
                _("refill by %(day)s") % {"day": _day(fresh.refill_due)},
                "county_hr",
            )
        )
    return lines
