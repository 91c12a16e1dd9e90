"""A director's history for the personnel archive's tests (``tests/test_archive.py``, the
permission matrix's rows, the browser test), made through the services on fixed days of 2026.

罗昇 registers for 新寨村 of 关索街道 in the spring campaign (``tests.builders.SPRING_2026``),
is found eligible, sits both exams, is publicised and hired; his contract is signed, his
induction recorded and the contract filed; he attends the county refresher, signs the year's
target-responsibility agreement, is scored for June and July (June below the warning line,
so a warning is opened and he acknowledges it), gets a yellow card, asks to resign and leaves
when his notice ends. ``History.expected`` is that history as the archive must tell it, by
hand.

Every document of the history is a real record printed as one blank page, as the
``CampaignBuilder`` prints a campaign's (``blank_paper``): the archive lists documents and
never reads them, and WeasyPrint takes up to a second a document on a busy machine.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast
from unittest import mock

from accounts.constants import Role
from accounts.models import User
from agreements.models import TargetAgreement
from agreements.services import agreement_sign, agreements_draft_for_township, template_create
from assessment.models import AssessmentMonth, MonthlyScore
from contracts.models import Contract, Resignation
from contracts.services.endings import resignation_accept, resignation_request, resignations_due
from contracts.services.signing import contract_file, contract_record_induction, contract_sign
from earlywarnings.constants import WarningRule
from earlywarnings.models import Warning
from earlywarnings.services import (
    Finding,
    warning_acknowledge,
    warning_open,
    yellowcard_decide,
)
from organisation.models import Township
from paperwork import services as paperwork_services
from paperwork.render import RenderedPdf
from people.models import Person
from recruitment.constants import CampaignState
from recruitment.models import Application
from tests.agreements_support import LINES
from tests.appraisal_support import score
from tests.builders import _SCAN, SPRING_2026, CampaignBuilder, at, moment
from tests.factories import UserFactory
from training.constants import CourseKind
from training.services import attendance_record_many, course_create

D = datetime.date
NAME = "罗昇"
CAMPAIGN = "2026年关索街道村级人口主任公开选聘"
RESIGNATION_REASON = "家庭原因，需照顾老人"
YELLOW_CARD_REASON = "6月月度考核低于预警线，整改不到位"


@dataclass
class Staff:
    """The township's and the county's people who take the steps, with Chinese names."""

    committee: User
    head: User
    office: User
    hr: User


def staff_of(township: Township) -> Staff:
    county = township.county

    def user(role: str, last: str, first: str, **fields) -> User:
        return cast(
            User,
            UserFactory(role=role, county=county, last_name=last, first_name=first, **fields),
        )

    staff = Staff(
        committee=user(Role.TOWNSHIP_COMMITTEE, "吴", "兴华", township=township),
        head=user(Role.TOWNSHIP_COMMITTEE, "杨", "光荣", township=township),
        office=user(Role.TOWNSHIP_OFFICE, "岑", "丽", township=township),
        hr=user(Role.COUNTY_HR, "罗", "敏"),
    )
    township.leading_group_head = staff.head
    township.save(update_fields=["leading_group_head"])
    return staff


def campaign_of(township: Township, staff: Staff) -> CampaignBuilder:
    return CampaignBuilder.open(
        township,
        by=staff.committee,
        head=staff.head,
        hr=staff.hr,
        title=CAMPAIGN,
        villages=["新寨村"],
        timetable=SPRING_2026,
    ).announce()


def registered(township: Township, staff: Staff, name: str = "韦春燕") -> Application:
    """A short history: ``name`` has registered for the spring campaign, nothing more."""
    run = campaign_of(township, staff)
    return run.apply(name, female=True)


@dataclass
class History:
    township: Township
    staff: Staff
    application: Application
    person: Person
    contract: Contract
    director: User
    warning: Warning
    resignation: Resignation
    expected: list[tuple[datetime.date, str, str]] = field(default_factory=list)


@contextmanager
def blank_paper() -> Iterator[None]:
    """Documents issued inside are printed as one blank page."""
    with mock.patch.object(
        paperwork_services, "html_to_pdf", lambda html, **kw: RenderedPdf(_SCAN, 1)
    ):
        yield


def hired_history(township: Township, staff: Staff) -> History:
    """罗昇's year: see the module's docstring."""
    with blank_paper():
        return _hired_history(township, staff)


def _hired_history(township: Township, staff: Staff) -> History:
    run = campaign_of(township, staff)
    application = run.apply(NAME, birth=D(1994, 6, 1), written="82.5", interview="86")
    run.to(CampaignState.PUBLICISED)
    run.close_notice()
    run.confirm_hires(start_date=D(2026, 6, 1))
    application.refresh_from_db()
    contract = Contract.objects.select_related("person", "post__village").get(
        application=application
    )
    person = contract.person
    committee, office, hr = staff.committee, staff.office, staff.hr

    with at(moment(D(2026, 5, 12))):
        contract = contract_sign(
            contract=contract,
            signatory="李强",
            township_on=D(2026, 5, 12),
            director_on=D(2026, 5, 12),
            by=committee,
        )
    with at(moment(D(2026, 5, 20))):
        contract = contract_record_induction(
            contract=contract, on=D(2026, 5, 20), by=hr, note="县级初任培训班"
        )
    with at(moment(D(2026, 5, 25))):
        contract = contract_file(contract=contract, by=hr, filing_number="关卫健备〔2026〕3号")
    contract.refresh_from_db()
    director = cast(
        User,
        UserFactory(
            role=Role.DIRECTOR,
            county=township.county,
            township=township,
            village=contract.post.village,
            person=person,
            last_name="罗",
            first_name="昇",
        ),
    )

    with at(moment(D(2026, 5, 26))):
        template_create(
            county=township.county,
            year=2026,
            title="2026年度村级人口主任计划生育工作目标管理责任书",
            lines=LINES,
            by=hr,
        )
    with at(moment(D(2026, 5, 27))):
        agreements_draft_for_township(township=township, year=2026, by=office, on=D(2026, 5, 27))
    with at(moment(D(2026, 5, 29))):
        agreement_sign(
            agreement=TargetAgreement.objects.get(person=person, year=2026),
            township_signatory="岑丽",
            township_on=D(2026, 5, 28),
            village_signatory="黄德明",
            village_on=D(2026, 5, 28),
            director_on=D(2026, 5, 29),
            by=office,
        )

    # June and July as the monthly cycle leaves them: June 58.00 (40 % of 1700 deducted),
    # July 92.50 (nothing deducted).
    june = score(contract, 2026, 6, "58.00")
    july = score(contract, 2026, 7, "92.50")
    MonthlyScore.objects.filter(pk=june.pk).update(
        deduction_percent=Decimal("40"), deduction=Decimal("680.00"), recorded_by=office
    )
    MonthlyScore.objects.filter(pk=july.pk).update(
        deduction_percent=Decimal("0"), deduction=Decimal("0.00"), recorded_by=office
    )
    AssessmentMonth.objects.filter(pk=june.month_id).update(
        published_at=moment(D(2026, 7, 5)), published_by=committee
    )
    AssessmentMonth.objects.filter(pk=july.month_id).update(
        published_at=moment(D(2026, 8, 5)), published_by=committee
    )

    with at(moment(D(2026, 7, 6), 1)):
        warning = warning_open(
            finding=Finding(
                contract=contract,
                rule=WarningRule.LOW_SCORE,
                period="2026-06",
                policy=contract.policy,
                month=june.month,
                score=Decimal("58.00"),
                pass_line=Decimal("60.00"),
            ),
            on=D(2026, 7, 6),
        )
    assert warning is not None
    with at(moment(D(2026, 7, 8))):
        warning = warning_acknowledge(
            warning=warning, response="入户随访不足，7月补齐。", by=director, on=D(2026, 7, 8)
        )

    with at(moment(D(2026, 7, 9))):
        course = course_create(
            county=township.county,
            township=None,
            kind=CourseKind.REFRESHER,
            title="2026年村级人口主任知识更新培训",
            starts_on=D(2026, 7, 6),
            ends_on=D(2026, 7, 8),
            days="3",
            hours="18",
            by=hr,
        )
        attendance_record_many(course=course, persons=[person], by=hr)

    with at(moment(D(2026, 9, 1))):
        yellowcard_decide(
            county=township.county,
            person=person,
            reason=YELLOW_CARD_REASON,
            by=hr,
            on=D(2026, 9, 1),
        )

    with at(moment(D(2026, 10, 8))):
        resignation = resignation_request(
            contract=contract, by=director, reason=RESIGNATION_REASON, on=D(2026, 10, 8)
        )
    with at(moment(D(2026, 10, 9))):
        resignation = resignation_accept(
            resignation=resignation,
            end_date=resignation.notice_ends_on,
            agreed_earlier=False,
            by=committee,
            on=D(2026, 10, 9),
        )
    with at(moment(D(2026, 11, 9), 0, 10)):
        resignations_due(today=D(2026, 11, 9))

    application.refresh_from_db()
    contract.refresh_from_db()
    return History(
        township=township,
        staff=staff,
        application=application,
        person=person,
        contract=contract,
        director=director,
        warning=warning,
        resignation=resignation,
        expected=expected_events(application),
    )


def expected_events(application: Application) -> list[tuple[datetime.date, str, str]]:
    """罗昇's archive, by hand: (day, what happened, who recorded it), in Chinese."""
    committee, office, hr = "吴兴华", "岑丽", "罗敏"
    return [
        (D(2026, 3, 1), f"报名参加“{CAMPAIGN}”，报考新寨村（报名序号1）", "本人"),
        (D(2026, 3, 16), "资格审查：符合报名条件", committee),
        (
            D(2026, 3, 16),
            f"领取准考证：准考证号{application.admission_number}，第01考场1号座位",
            committee,
        ),
        (D(2026, 4, 11), "参加笔试，成绩82.50分", committee),
        (D(2026, 4, 11), "入围面试（笔试排名第1名）", committee),
        (
            D(2026, 4, 25),
            "参加面试，面试成绩86.00分，综合成绩84.25分，在报考村排名第1名",
            committee,
        ),
        # Published on Monday 27 April; seven working days from the next day skip the
        # May Day holiday (1–5 May) and count Saturday 9 May, a make-up working day.
        (D(2026, 4, 27), "列入拟聘用人员公示（公示期2026年4月28日至2026年5月9日）", committee),
        (D(2026, 5, 10), "确定聘用为新寨村村级人口主任", committee),
        (
            D(2026, 5, 10),
            "拟定聘用合同：新寨村 1 号岗位，聘期2026年6月1日至2029年5月31日",
            committee,
        ),
        (D(2026, 5, 12), "签订聘用合同（乡镇签订人：李强），报县级备案", committee),
        (D(2026, 5, 20), "完成初任培训（县级初任培训班）", hr),
        (D(2026, 5, 25), "聘用合同经县级备案（关卫健备〔2026〕3号）", hr),
        (D(2026, 5, 25), "聘用合同生效，到岗履职", hr),
        (D(2026, 5, 29), "签订2026年度计划生育工作目标管理责任书", office),
        (
            D(2026, 7, 6),
            "参加县级知识更新培训“2026年村级人口主任知识更新培训”（2026年7月6日至2026年7月8日，3天）",
            hr,
        ),
        (D(2026, 7, 6), "预警：月度考核得分低于预警线（2026年6月）", "系统"),
        (D(2026, 7, 8), "确认收到预警通知", NAME),
        (
            D(2026, 8, 5),
            "2026年月度考核：已公布2个月，平均75.25分（最高92.50分，最低58.00分）；"
            "1个月扣减报酬，共680.00元",
            office,
        ),
        (D(2026, 9, 1), f"黄牌警告：{YELLOW_CARD_REASON}", hr),
        (D(2026, 10, 8), f"提出辞职申请（{RESIGNATION_REASON}）", NAME),
        # 30 days from 8 October end on Saturday 7 November: the next working day.
        (D(2026, 10, 9), "辞职申请获同意，最后工作日为2026年11月9日", committee),
        (D(2026, 11, 9), "辞职，聘用合同解除", "系统"),
    ]
