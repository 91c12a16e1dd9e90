"""The personnel archive (人事信息档案): a person's events in order with the texts a clerk
reads, who recorded each, links only where the reader may follow them, every document with its
version and code, a fixed number of queries whatever the history, the scoped page, and the
extract printed by county HR (masked ID, new versions superseding the old, two clicks at once
giving one document).

The histories are made through the services (``tests.archive_support``); the expected texts
are written by hand."""

import datetime
import io
import re
from decimal import Decimal
from typing import cast

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts.constants import Role
from appraisal.constants import RewardKind, SettlementState
from appraisal.models import AnnualAppraisal, Reward, RewardSettlement
from archive.kinds import ARCHIVE_EXTRACT
from archive.selectors import person_archive
from archive.services import archive_extract_issue
from audit.models import AuditEntry
from contracts.constants import CaseDecision, ContractOrigin, EndReason
from contracts.kinds import CONTRACT
from contracts.models import Contract, DismissalGround, Vacancy
from contracts.services.dismissal import case_decide, case_hear, case_open
from contracts.services.endings import contract_terminate
from contracts.services.renewal import renewal_decide, renewal_review_open
from contracts.services.vacancies import vacancy_designate_acting
from paperwork.models import Document
from people.models import Person
from policy.selectors import policy_in_force
from recruitment.models import Application
from tests.appraisal_support import confirmed
from tests.archive_support import NAME, hired_history, registered, staff_of
from tests.builders import at, contract_in_force, moment
from tests.endings_support import seed_grounds
from tests.factories import CountyFactory, PersonFactory, UserFactory
from tests.test_ui_links import assert_every_link_opens

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def staff(township):
    return staff_of(township)


@pytest.fixture
def history(township, staff):
    return hired_history(township, staff)


def lines(archive) -> list[tuple[datetime.date, str, str]]:
    return [(event.on, event.text, event.by) for event in archive.events]


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


# The events ---------------------------------------------------------------------------------


def test_the_archive_tells_the_whole_history_in_order(history):
    with translation.override("zh-hans"):
        archive = person_archive(history.person, viewer=history.staff.hr)
    assert lines(archive) == history.expected
    assert archive.contract == history.contract


def test_every_document_about_the_person_is_listed_with_its_version(history):
    archive = person_archive(history.person, viewer=history.staff.hr)
    listed = [item.document for item in archive.documents]
    applications = ContentType.objects.get_for_model(Application)
    # The applicant's papers, printed before there was a person record, are among them.
    about = Document.objects.filter(person=history.person) | Document.objects.filter(
        content_type=applications, object_id=history.application.pk
    )
    assert set(listed) == set(about)
    assert listed == sorted(listed, key=lambda d: (d.issued_at, d.pk))
    assert {"registration_form", "eligibility_result", "admission_ticket", "hiring_notice"} <= {
        d.kind for d in listed
    }
    contracts = [item for item in archive.documents if item.document.kind == CONTRACT]
    # Drafted, then signed: the signed print supersedes the draft.
    assert [(c.version, c.current) for c in contracts] == [(1, False), (2, True)]
    assert contracts[1].document.supersedes == contracts[0].document


def test_the_steps_of_other_records_read_as_a_clerk_says_them(township, staff):
    """A director imported in post since 2024: appraisals (one on part of a year), rewards
    (one settled, one not), a dismissal case closed after the hearing, an acting designation
    for a vacant post of the township, a renewal review that decided not to renew."""
    seed_grounds()
    hr, committee = staff.hr, staff.committee
    with at(moment(D(2024, 1, 1))):
        contract = contract_in_force(
            township, start=D(2024, 1, 1), birth=D(1980, 2, 2), name="黄美玲", with_user=False
        )
    Contract.objects.filter(pk=contract.pk).update(origin=ContractOrigin.IMPORT, created_by=hr)
    contract.refresh_from_db()
    person = contract.person
    policy = policy_in_force(county=township.county, on=D(2024, 12, 31))

    first = confirmed(contract, 2024, "excellent", "91.50")
    second = confirmed(contract, 2025, "competent", "84.00")
    AnnualAppraisal.objects.filter(pk=first.pk).update(
        confirmed_at=moment(D(2025, 1, 20)), confirmed_by=hr
    )
    AnnualAppraisal.objects.filter(pk=second.pk).update(
        confirmed_at=moment(D(2026, 1, 22)), confirmed_by=hr, months_counted=10
    )
    settled = RewardSettlement.objects.create(
        township=township,
        year=2024,
        policy=policy,
        due_on=D(2025, 2, 28),
        state=SettlementState.SETTLED,
        settled_on=D(2025, 2, 20),
        settled_by=committee,
    )
    pending = RewardSettlement.objects.create(
        township=township, year=2025, policy=policy, due_on=D(2026, 2, 28)
    )
    Reward.objects.create(
        person=person, contract=contract, township=township, settlement=settled, year=2024,
        kind=RewardKind.COMMENDATION, policy=policy, basis="年度考核优秀", granted_by=committee,
    )  # fmt: skip
    with time_machine.travel(moment(D(2026, 2, 10)), tick=False):
        Reward.objects.create(
            person=person, contract=contract, township=township, settlement=pending, year=2025,
            kind=RewardKind.PENSION, policy=policy, amount=Decimal("200"), full_years=2,
            basis="服务满2年", granted_by=committee,
        )  # fmt: skip

    ground = DismissalGround.objects.get(code="major_error")
    with at(moment(D(2026, 3, 2))):
        case = case_open(
            contract=contract,
            grounds=[ground],
            period=2026,
            summary="2月统计数据严重失实",
            by=committee,
            on=D(2026, 3, 2),
        )
    with at(moment(D(2026, 3, 5))):
        case = case_hear(
            case=case, statement="已如实更正数据。", declined=False, by=committee, on=D(2026, 3, 5)
        )
    with at(moment(D(2026, 3, 10))):
        case_decide(
            case=case,
            decision=CaseDecision.CLOSE,
            reasons="已整改",
            by=committee,
            on=D(2026, 3, 10),
        )

    leaving = contract_in_force(
        township, start=D(2024, 1, 1), birth=D(1979, 3, 3), name="赵敏", with_user=False
    )
    with at(moment(D(2026, 4, 1))):
        contract_terminate(
            contract=leaving,
            reason=EndReason.HEALTH,
            on=D(2026, 4, 1),
            note="因病不能履职",
            by=committee,
        )
    with at(moment(D(2026, 4, 2))):
        vacancy = Vacancy.objects.get(post=leaving.post_id)
        vacancy_designate_acting(vacancy=vacancy, person=person, on=D(2026, 4, 2), by=committee)

    with at(moment(D(2026, 10, 10))):
        review = renewal_review_open(contract=contract, today=D(2026, 10, 10))
    with at(moment(D(2026, 10, 12))):
        renewal_decide(
            review=review,
            renew=False,
            reasons="本人不再参加续聘",
            by=committee,
            on=D(2026, 10, 12),
        )

    with translation.override("zh-hans"):
        archive = person_archive(person, viewer=hr)
    acting_post = f"{leaving.post.village.name} {leaving.post.number} 号岗位"
    own_post = f"{contract.post.village.name} {contract.post.number} 号岗位"
    assert lines(archive) == [
        (
            D(2024, 1, 1),
            f"聘用合同生效：{own_post}，聘期2024年1月1日至2026年12月31日"
            "（系统启用前已在岗，由县级导入）",
            "罗敏",
        ),
        (D(2025, 1, 20), "2024年度考核：91.50分，优秀", "罗敏"),
        (D(2025, 2, 20), "获2024年度表彰", "吴兴华"),
        (D(2026, 1, 22), "2025年度考核：84.00分，合格（按10个月计）", "罗敏"),
        (D(2026, 2, 10), "2025年度城乡居民养老保险缴费200.00元，尚未兑现", "吴兴华"),
        (D(2026, 3, 2), "辞退立案：在工作中出现重大失误的", "吴兴华"),
        (D(2026, 3, 5), "听取本人陈述申辩", "吴兴华"),
        (D(2026, 3, 10), "决定不予辞退，结案（已整改）", "吴兴华"),
        (D(2026, 4, 2), f"被指定代行{acting_post}村级人口主任职责", "吴兴华"),
        (D(2026, 10, 10), "启动续聘审核（聘期2026年12月31日届满）", "系统"),
        (D(2026, 10, 12), "决定不再续聘（本人不再参加续聘）", "吴兴华"),
    ]


def test_an_applicant_who_was_never_hired_has_an_archive_of_their_application(township, staff):
    application = registered(township, staff)
    person = PersonFactory(
        name="韦春燕", id_number=application.id_number, township=township, village=None
    )
    with translation.override("zh-hans"):
        archive = person_archive(person, viewer=staff.hr)
    assert [event.text for event in archive.events] == [
        "报名参加“2026年关索街道村级人口主任公开选聘”，报考新寨村（报名序号1）"
    ]
    assert archive.contract is None
    assert [item.document.kind for item in archive.documents] == ["registration_form"]


# Links --------------------------------------------------------------------------------------


def urls(archive, text: str) -> str:
    (event,) = [e for e in archive.events if e.text.startswith(text)]
    return event.url


def test_links_only_where_the_reader_may_open_the_record(history):
    hr, office, director = history.staff.hr, history.staff.office, history.director
    contract_page = reverse("contracts:detail", args=[history.contract.pk])
    application_page = reverse("recruitment:review_application", args=[history.application.pk])
    with translation.override("zh-hans"):
        for_hr = person_archive(history.person, viewer=hr)
        for_office = person_archive(history.person, viewer=office)
        for_director = person_archive(history.person, viewer=director)
        printed = person_archive(history.person)
    assert urls(for_hr, "资格审查") == application_page
    assert urls(for_hr, "签订聘用合同") == contract_page
    assert urls(for_hr, "预警") == reverse("earlywarnings:detail", args=[history.warning.pk])
    # The office reads contracts but not the review of applications; the director neither
    # the review nor the appraisal pages, but their own contract and warning.
    assert urls(for_office, "资格审查") == ""
    assert urls(for_office, "签订聘用合同") == contract_page
    assert urls(for_director, "资格审查") == ""
    assert urls(for_director, "签订聘用合同") == contract_page
    assert urls(for_director, "预警") != ""
    assert all(event.url == "" for event in printed.events)

    def downloads(archive) -> dict[str, bool]:
        return {item.document.verification_code: bool(item.url) for item in archive.documents}

    contract_codes = {
        item.document.verification_code
        for item in for_hr.documents
        if item.document.kind == CONTRACT
    }
    assert all(downloads(for_hr).values())
    # The contract prints the full ID number: its own person and those who may see full
    # numbers download it, not the township office.
    assert all(downloads(for_director)[code] for code in contract_codes)
    assert not any(downloads(for_office)[code] for code in contract_codes)
    assert downloads(for_office)[Document.objects.get(kind="hiring_notice").verification_code]
    # The applicant's papers are the township's, not the director's own documents.
    registration = Document.objects.get(kind="registration_form").verification_code
    assert not downloads(for_director)[registration]


def test_every_link_of_the_page_opens_for_its_reader(client, history):
    """The links follow the pages' own rules: none leads to a 403 or a 404, for any reader."""
    village = UserFactory(
        role=Role.VILLAGE_COMMITTEE,
        county=history.township.county,
        township=history.township,
        village=history.person.village,
    )
    staff = history.staff
    url = reverse("people:archive", args=[history.person.pk])
    followed = {}
    for user in (staff.hr, staff.committee, staff.office, village, history.director):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        followed[user.role] = set(assert_every_link_opens(client, response.content.decode()))
    application_page = reverse("recruitment:review_application", args=[history.application.pk])
    assert application_page in followed[Role.COUNTY_HR]
    assert application_page not in followed[Role.TOWNSHIP_OFFICE]
    assert reverse("contracts:detail", args=[history.contract.pk]) in followed[Role.DIRECTOR]


# Queries --------------------------------------------------------------------------------------


def queries_of(person, viewer) -> int:
    person_archive(person, viewer=viewer)  # content types and permissions cached, as in use
    with CaptureQueriesContext(connection) as captured:
        person_archive(person, viewer=viewer)
    return len(captured)


@pytest.fixture
def applicant(history, staff) -> Person:
    """A short history beside the long one: 陈晓 registered for the campaign, no more."""
    application = registered(history.township, staff, name="陈晓")
    return cast(
        Person,
        PersonFactory(
            name="陈晓", id_number=application.id_number, township=history.township, village=None
        ),
    )


def test_the_queries_are_as_many_for_a_short_and_a_long_history(history, staff, applicant):
    for viewer in (staff.hr, staff.office, history.director):
        long = queries_of(history.person, viewer)
        assert long == queries_of(applicant, viewer), viewer.role
        assert long <= 20
    assert len(person_archive(history.person).events) > 20


def test_the_page_runs_as_many_queries_for_a_short_and_a_long_history(
    client, history, staff, applicant
):
    client.force_login(staff.hr)
    counts = []
    for person in (history.person, applicant, history.person):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("people:archive", args=[person.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[1] == counts[2], counts


# The page and who sees it ---------------------------------------------------------------------


def test_the_page_shows_the_events_and_documents_in_chinese(client, history):
    client.force_login(history.staff.hr)
    response = client.get(reverse("people:archive", args=[history.person.pk]))
    page = response.content.decode()
    assert f"{NAME}的人事信息档案" in page
    for day, text, by in history.expected:
        assert text in page and by in page
        assert f'<time datetime="{day.isoformat()}">' in page
    assert ">出具档案摘录</button>" in page
    assert "尚未出具档案摘录" in page
    assert history.person.masked_id_number in page
    assert history.person.id_number not in page
    assert "2026年5月25日" in page


def test_who_reads_an_archive(client, history, other_township):
    person = history.person
    url = reverse("people:archive", args=[person.pk])
    foreign = UserFactory(
        role=Role.TOWNSHIP_COMMITTEE, county=history.township.county, township=other_township
    )
    other_director_contract = contract_in_force(
        history.township, start=D(2025, 1, 1), birth=D(1985, 5, 5), name="王芳"
    )
    other_director = other_director_contract.person.user
    village = UserFactory(
        role=Role.VILLAGE_COMMITTEE,
        county=history.township.county,
        township=history.township,
        village=person.village,
    )
    far_county_hr = UserFactory(
        role=Role.COUNTY_HR, county=CountyFactory(name="镇宁布依族苗族自治县", short_name="镇宁")
    )
    for user, status in (
        (history.staff.hr, 200),
        (history.staff.committee, 200),
        (history.staff.office, 200),
        (village, 200),
        (history.director, 200),
        (foreign, 404),
        (other_director, 404),
        (far_county_hr, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.role
    # Only county HR sees the button.
    client.force_login(history.staff.committee)
    assert ">出具档案摘录</button>" not in client.get(url).content.decode()


def test_the_person_and_contract_pages_lead_to_the_archive(client, history):
    client.force_login(history.staff.hr)
    archive = reverse("people:archive", args=[history.person.pk])
    person_page = client.get(reverse("people:detail", args=[history.person.pk])).content.decode()
    assert f'href="{archive}"' in person_page and "人事信息档案" in person_page
    contract_page = client.get(
        reverse("contracts:detail", args=[history.contract.pk])
    ).content.decode()
    assert f'href="{archive}"' in contract_page and f"{NAME}的人事信息档案" in contract_page


# The extract ----------------------------------------------------------------------------------


def test_county_hr_issues_the_extract_and_it_reads_back(client, history):
    person = history.person
    client.force_login(history.staff.hr)
    with time_machine.travel(moment(D(2026, 11, 20)), tick=False):
        response = client.post(reverse("people:archive_issue", args=[person.pk]), {"seen": ""})
    assert response.status_code == 302
    assert response.url == reverse("people:archive", args=[person.pk])
    document = Document.objects.get(kind=ARCHIVE_EXTRACT)
    assert document.person == person
    assert document.township == history.township
    assert document.issuing_body == history.township.county.hr_office
    assert document.produced_by == history.staff.hr
    assert document.transition == "issue_archive_extract"
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=document.pk,
        action=AuditEntry.Action.CREATE,
        transition="issue_archive_extract",
    ).exists()

    text = pdf_text(document)
    assert "村级人口主任人事信息档案摘录" in text
    assert document.verification_code in text
    assert "截至2026年11月20日" in text
    assert person.masked_id_number in text
    assert person.id_number not in text
    assert person.phone not in text
    for piece in (
        "资格审查：符合报名条件",
        "参加笔试，成绩82.50分",
        "确定聘用为新寨村村级人口主任",
        "聘用合同生效，到岗履职",
        "确认收到预警通知",
        "辞职，聘用合同解除",
    ):
        assert piece in text, piece
    # Every document with its code and version, the superseded draft of the contract too.
    for item in person_archive(person).documents:
        if item.document != document:
            assert item.document.verification_code in text
    assert "已被取代" in text

    page = client.get(reverse("people:archive", args=[person.pk])).content.decode()
    assert f"已出具{NAME}的档案摘录（核验码{document.verification_code}）" in page
    assert reverse("paperwork:download", args=[document.pk]) in page


def test_issuing_again_supersedes_and_a_stale_page_issues_nothing(client, history):
    person = history.person
    url = reverse("people:archive_issue", args=[person.pk])
    client.force_login(history.staff.hr)
    client.post(url, {"seen": ""})
    first = Document.objects.get(kind=ARCHIVE_EXTRACT)

    # A second click from the page that showed no extract (or a second tab): refused, with
    # who issued the one there is.
    response = client.post(url, {"seen": ""}, follow=True)
    assert Document.objects.filter(kind=ARCHIVE_EXTRACT).count() == 1
    page = response.content.decode()
    assert "罗敏已于" in page and first.verification_code in page and "本次未再出具" in page

    # From the page showing the current extract: version 2, superseding the first.
    client.post(url, {"seen": str(first.pk)})
    second = Document.objects.filter(kind=ARCHIVE_EXTRACT).exclude(pk=first.pk).get()
    assert second.supersedes == first
    archive = person_archive(person)
    extracts = [d for d in archive.documents if d.document.kind == ARCHIVE_EXTRACT]
    assert [(d.version, d.current) for d in extracts] == [(1, False), (2, True)]
    assert archive.current_extract is not None and archive.current_extract.document == second
    assert first.verification_code in pdf_text(second)

    # A page value that is not an extract's id changes nothing.
    response = client.post(url, {"seen": "abc"}, follow=True)
    assert "页面已过期" in response.content.decode()
    assert Document.objects.filter(kind=ARCHIVE_EXTRACT).count() == 2


def test_only_county_hr_issues_the_extract(client, history):
    url = reverse("people:archive_issue", args=[history.person.pk])
    for user in (history.staff.committee, history.staff.office, history.director):
        client.force_login(user)
        assert client.post(url, {"seen": ""}).status_code == 403
    assert not Document.objects.filter(kind=ARCHIVE_EXTRACT).exists()
    with pytest.raises(Exception, match="县级人事管理员"), translation.override("zh-hans"):
        archive_extract_issue(person=history.person, by=history.staff.committee, seen=None)


def test_a_failed_issue_leaves_nothing(history, monkeypatch):
    """One transaction: when the render fails, no document, no audit row, no file."""
    from paperwork import services as paperwork_services

    def broken(html, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(paperwork_services, "html_to_pdf", broken)
    audits = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        archive_extract_issue(person=history.person, by=history.staff.hr, seen=None)
    assert not Document.objects.filter(kind=ARCHIVE_EXTRACT).exists()
    assert AuditEntry.objects.count() == audits
