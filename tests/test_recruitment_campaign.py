"""Campaign lifecycle, public notice and objections, hiring and draft contracts, with their
documents read back from the PDFs.

Applicants register and sit the exams through the services (``tests.builders``), each step on
its day of the campaign's timetable.
"""

import datetime
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import include, path, reverse
from pypdf import PdfReader

from accounts.constants import Role
from audit.models import AuditEntry
from config import urls as project_urls
from contracts.models import Contract
from contracts.services import contract_end_date
from core.education import Education
from organisation.constants import PostStatus
from paperwork.models import Document, DocumentKind
from paperwork.selectors import document_current
from people.models import Person
from recruitment.constants import (
    ApplicationState,
    CampaignKind,
    CampaignState,
    EligibilityRule,
    ObjectionDecision,
)
from recruitment.forms_campaign import CampaignForm
from recruitment.models import Application, Campaign, Objection
from recruitment.services.campaigns import (
    campaign_announce,
    campaign_cancel,
    campaign_close_registration,
    campaign_create,
    vacant_posts,
)
from recruitment.services.hiring import campaign_confirm_hires
from recruitment.services.interview import campaign_finish_exams, interview_absent
from recruitment.services.notice import (
    campaign_confirm_ranking,
    campaign_publicise,
    objection_decide,
    objection_record,
)
from recruitment.services.review import campaign_finish_review, waiver_decide
from tests.builders import ABSENT, CampaignBuilder, build
from tests.factories import (
    PersonFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)

# The staff site mounts recruitment at /recruitment/ (web.site); this module's URLconf mounts
# it too, so that the page tests do not depend on the site's sections.
urlpatterns = [path("recruitment/", include("recruitment.urls")), *project_urls.urlpatterns]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
    pytest.mark.usefixtures("english_messages"),
]

SH = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), SH), tick=False)


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def documents(kind: str, subject=None):
    found = Document.objects.filter(kind=kind)
    if subject is not None:
        found = found.filter(object_id=subject.pk)
    return found


# --- the world --------------------------------------------------------------------------------


class World:
    pass


@pytest.fixture
def world(county, policy):
    w = World()
    w.county, w.policy = county, policy
    w.township = TownshipFactory(county=county, name="永宁镇", government="永宁镇人民政府")
    w.village_a = VillageFactory(township=w.township, name="坝湾村", registered_population=3000)
    w.village_b = VillageFactory(township=w.township, name="木城村")
    w.posts_a = [
        PostFactory(village=w.village_a, number=1),
        PostFactory(village=w.village_a, number=2),
    ]
    w.post_b = PostFactory(village=w.village_b, number=1)
    w.holder = PersonFactory(township=w.township, name="罗敏")
    w.occupied_b = PostFactory(village=w.village_b, number=2, holder=w.holder)
    w.foreign_township = TownshipFactory(county=county, name="花江镇")
    w.foreign_village = VillageFactory(township=w.foreign_township, name="和平村")
    PostFactory(village=w.foreign_village, number=1)

    def user(role, township=None, **kw):
        return UserFactory(role=role, county=county, township=township, **kw)

    w.committee = user(Role.TOWNSHIP_COMMITTEE, w.township, first_name="敏", last_name="周")
    w.head = user(Role.TOWNSHIP_COMMITTEE, w.township, first_name="强", last_name="李")
    w.township.leading_group_head = w.head
    w.township.save()
    w.office = user(Role.TOWNSHIP_OFFICE, w.township)
    w.hr = user(Role.COUNTY_HR)
    w.foreign_committee = user(Role.TOWNSHIP_COMMITTEE, w.foreign_township)
    w.village_user = user(Role.VILLAGE_COMMITTEE, w.township, village=w.village_a)
    return w


def create_kwargs(w, **overrides):
    kwargs = {
        "township": w.township,
        "title": "永宁镇2026年村级人口主任公开选聘",
        "kind": CampaignKind.REGULAR,
        "offers": [(w.village_a, 2), (w.village_b, 1)],
        "registration_start": D(2026, 8, 5),
        "registration_end": D(2026, 8, 20),
        "written_exam_at": datetime.datetime(2026, 9, 5, 9, 0, tzinfo=SH),
        "interview_at": datetime.datetime(2026, 9, 12, 9, 0, tzinfo=SH),
        "venue": "永宁镇中学",
        "contact": "永宁镇计生办 0851-36012345",
        "interview_panel_size": 5,
        "by": w.committee,
    }
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def campaign(world):
    with at(D(2026, 8, 3)):
        return campaign_create(**create_kwargs(world))


@pytest.fixture
def run(world, campaign) -> CampaignBuilder:
    """The campaign taken forward by its committee member, head and county officer."""
    return build(campaign, committee=world.committee, head=world.head, hr=world.hr)


def rank(world, run, *, withdrawn=()) -> dict[str, Application]:
    """Take the campaign to ranked: 坝湾村 (2 posts) has four candidates above the pass line,
    one below, one below the written pass line and one absent from the written exam; 木城村
    (1 post) two above. The candidates named in ``withdrawn`` withdraw while registration is
    open."""
    a, b = world.village_a, world.village_b
    run.announce()

    def applicant(name, village, written, interview=ABSENT, **kwargs):
        return run.apply(
            name, village=village, written=written, interview=interview, phone="13800138000",
            **kwargs,
        )  # fmt: skip

    applicants = {
        "wang": applicant("王芳", a, "88", "86", female=True),
        "zhang": applicant("张伟", a, "84", "82"),
        "liu": applicant("刘洋", a, "80", "78"),
        "chen": applicant("陈静", a, "75", "71", female=True),
        "low": applicant("杨磊", a, "62", "50"),
        "notlisted": applicant("赵军", a, "55"),
        "absent": applicant("吴刚", a, ABSENT),
        "huang": applicant("黄丽", b, "90", "80", female=True),
        "zhou": applicant("周杰", b, "70", "70"),
    }
    for key in withdrawn:
        run.withdraw(applicants[key])
    run.to(CampaignState.RANKED)
    return applicants


@pytest.fixture
def ranked(world, run):
    """A ranked campaign (``rank``): the composites are 87, 83, 79, 73 and 56 (below the
    pass line) in 坝湾村, 85 and 70 in 木城村."""
    return rank(world, run)


def refresh(application):
    return Application.objects.get(pk=application.pk)


# --- opening a campaign ---------------------------------------------------------------------


def test_create_copies_the_policy_and_links_vacant_posts(world, campaign, policy):
    assert campaign.state == CampaignState.DRAFT
    assert campaign.policy == policy
    assert campaign.max_age == policy.first_hire_max_age == 40
    assert campaign.min_education == policy.min_education
    assert (campaign.written_weight, campaign.interview_weight) == (50, 50)
    assert campaign.written_pass_line == policy.written_pass_line
    assert campaign.composite_pass_line == policy.composite_pass_line
    assert campaign.shortlist_ratio == policy.interview_shortlist_ratio
    assert campaign.notice_working_days == policy.public_notice_working_days == 7
    assert campaign.reserve_months == policy.reserve_list_months == 12
    assert campaign.interview_panel_size == 5
    offers = {o.village.name: o for o in campaign.offers.all()}
    assert offers["坝湾村"].seats == 2
    assert set(offers["坝湾村"].posts.all()) == set(world.posts_a)
    assert list(offers["木城村"].posts.all()) == [world.post_b]  # never the occupied post
    entry = AuditEntry.objects.get(object_id=campaign.pk, action=AuditEntry.Action.CREATE)
    assert entry.actor == world.committee
    assert len(entry.after["offers"]) == 2


def test_offered_posts_are_not_vacant_for_another_campaign(world, campaign):
    assert list(vacant_posts(world.township)) == []
    with at(D(2026, 8, 3)), pytest.raises(ValidationError) as excinfo:
        campaign_create(**create_kwargs(world, offers=[(world.village_b, 1)]))
    assert "offers" in excinfo.value.error_dict
    assert "木城村" in str(excinfo.value)
    with at(D(2026, 8, 4)):
        campaign_cancel(campaign=campaign, reason="重新安排", by=world.committee)
    assert set(vacant_posts(world.township)) == {*world.posts_a, world.post_b}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"registration_end": D(2026, 8, 4)}, "registration_end"),
        ({"registration_start": D(2026, 7, 1), "registration_end": D(2026, 7, 31)},
         "registration_end"),
        ({"written_exam_at": datetime.datetime(2026, 8, 20, 9, 0, tzinfo=SH)}, "written_exam_at"),
        ({"interview_at": datetime.datetime(2026, 9, 4, 9, 0, tzinfo=SH)}, "interview_at"),
        ({"interview_at": None}, "interview_at"),
        ({"interview_panel_size": 4}, "interview_panel_size"),
        ({"title": "  "}, "title"),
        ({"venue": ""}, "venue"),
        ({"offers": []}, "offers"),
        ({"offers": [("foreign", 1)]}, "offers"),
        ({"offers": [("a", 3)]}, "offers"),
        ({"offers": [("a", 0)]}, "offers"),
        ({"offers": [("a", 1), ("a", 1)]}, "offers"),
    ],
)  # fmt: skip
def test_create_refuses_bad_input(world, overrides, field):
    villages = {"a": world.village_a, "foreign": world.foreign_village}
    if "offers" in overrides:
        overrides["offers"] = [(villages[k], n) for k, n in overrides["offers"]]
    with at(D(2026, 8, 3)), pytest.raises(ValidationError) as excinfo:
        campaign_create(**create_kwargs(world, **overrides))
    assert field in excinfo.value.error_dict
    assert not Campaign.objects.exists()


def test_create_messages_name_the_problem(world):
    with at(D(2026, 8, 3)), pytest.raises(ValidationError) as excinfo:
        campaign_create(
            **create_kwargs(
                world,
                offers=[(world.village_a, 3), (world.foreign_village, 1)],
                written_exam_at=datetime.datetime(2026, 8, 10, 9, tzinfo=SH),
            )
        )
    messages = excinfo.value.message_dict
    assert any("坝湾村 has 2 vacant posts" in m for m in messages["offers"])
    assert any("和平村 is not a village of 永宁镇" in m for m in messages["offers"])
    assert "2026-08-20" in messages["written_exam_at"][0]


@pytest.mark.parametrize("who", ["foreign_committee", "hr", "office", "village_user"])
def test_only_the_townships_committee_opens_a_campaign(world, who):
    with at(D(2026, 8, 3)), pytest.raises(PermissionDenied):
        campaign_create(**create_kwargs(world, by=getattr(world, who)))
    assert not Campaign.objects.exists()


def test_campaign_form_offers_villages_with_vacant_posts(world):
    form = CampaignForm(township=world.township)
    assert [v.name for v, _vacant, _field in form.seat_fields()] == ["坝湾村", "木城村"]
    data = {
        "title": "永宁镇补聘",
        "kind": CampaignKind.REFILL,
        "registration_start": "2026-08-05",
        "registration_end": "2026-08-20",
        "written_exam_at": "2026-09-05T09:00",
        "interview_at": "2026-09-12T09:00",
        "venue": "永宁镇中学",
        "contact": "0851-36012345",
        "interview_panel_size": "5",
        f"seats_{world.village_a.pk}": "1",
        f"seats_{world.village_b.pk}": "",
    }
    form = CampaignForm(data, township=world.township)
    assert form.is_valid(), form.errors
    kwargs = form.service_kwargs()
    assert kwargs["offers"] == [(world.village_a, 1)]
    with at(D(2026, 8, 3)):
        campaign = campaign_create(township=world.township, by=world.committee, **kwargs)
    assert campaign.kind == CampaignKind.REFILL
    too_many = CampaignForm({**data, f"seats_{world.village_b.pk}": "2"}, township=world.township)
    assert not too_many.is_valid()


# --- announcing -------------------------------------------------------------------------------


def test_the_head_announces_and_the_announcement_is_issued(world, campaign):
    with at(D(2026, 8, 4)):
        campaign = campaign_announce(campaign=campaign, by=world.head)
    assert campaign.state == CampaignState.ANNOUNCED
    assert campaign.approved_by == world.head
    document = documents(DocumentKind.RECRUITMENT_ANNOUNCEMENT).get()
    assert document.title == "永宁镇2026年村级人口主任公开选聘公告"  # the campaign's title
    assert document.transition == "announce"
    assert document.township == world.township
    text = pdf_text(document)
    for expected in [
        "永宁镇2026年村级人口主任公开选聘公告",
        "坝湾村",
        "木城村",
        "村级人口主任3名",
        "40周岁以下（含40周岁）",
        "2026年8月20日",
        "高中（中专）及以上",
        "2026年8月5日至2026年8月20日",
        "/apply/",
        "2026年9月5日09:00",
        "2026年9月12日09:00",
        "永宁镇中学",
        "笔试成绩×50%＋面试成绩×50%",
        "笔试合格线为60.00分",
        "综合成绩合格线为60.00分",
        "1∶3",
        "公示7个工作日",
        "聘期3年",
        "1700元",
        "有效期12个月",
        "0851-36012345",
        "永宁镇人民政府",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize("who", ["committee", "hr", "foreign_committee"])
def test_only_the_head_may_announce(world, campaign, who):
    with at(D(2026, 8, 4)), pytest.raises(PermissionDenied) as excinfo:
        campaign_announce(campaign=campaign, by=getattr(world, who))
    assert "李强" in str(excinfo.value)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT
    assert campaign.approved_by is None
    assert not documents(DocumentKind.RECRUITMENT_ANNOUNCEMENT).exists()


def test_announce_without_a_head_on_record(world, campaign):
    world.township.leading_group_head = None
    world.township.save()
    with at(D(2026, 8, 4)), pytest.raises(PermissionDenied, match="no head"):
        campaign_announce(campaign=campaign, by=world.head)


def test_announce_twice_is_refused(world, campaign):
    with at(D(2026, 8, 4)):
        campaign_announce(campaign=campaign, by=world.head)
        with pytest.raises(ValidationError, match="Nothing was changed"):
            campaign_announce(campaign=campaign, by=world.head)
    assert documents(DocumentKind.RECRUITMENT_ANNOUNCEMENT).count() == 1


def test_registration_closes_only_after_the_deadline(world, campaign):
    with at(D(2026, 8, 4)):
        campaign_announce(campaign=campaign, by=world.head)
    with at(D(2026, 8, 20), 23), pytest.raises(ValidationError, match="2026-08-20"):
        campaign_close_registration(campaign=campaign)
    with at(D(2026, 8, 21)):
        campaign = campaign_close_registration(campaign=campaign)  # the timer: by=None
    assert campaign.state == CampaignState.REGISTRATION_CLOSED
    entry = AuditEntry.objects.get(object_id=campaign.pk, transition="close_registration")
    assert entry.actor is None


def test_finish_review_waits_for_results_and_waivers_then_admits(world, campaign, run):
    run.announce()
    waiting = run.apply("孙明", village=world.village_a)
    eligible = run.apply("王芳", village=world.village_a)
    run.close_registration()
    run.review(eligible)
    with pytest.raises(ValidationError, match="1 application has no eligibility result"):
        campaign_finish_review(campaign=campaign, by=world.committee)
    run.review(waiting, failed={EligibilityRule.HOUSEHOLD: "户籍不在本镇"})
    waiver = run.waiver(
        waiting, EligibilityRule.HOUSEHOLD, justification="退伍军人，安置在本镇，户籍正在迁入。"
    )
    with pytest.raises(ValidationError, match="waiver"):
        campaign_finish_review(campaign=campaign, by=world.committee)
    waiver_decide(waiver=waiver, approve=False, note="不予放宽。", by=world.hr)
    with pytest.raises(PermissionDenied):
        campaign_finish_review(campaign=campaign, by=world.office)
    campaign = campaign_finish_review(campaign=campaign, by=world.committee)
    assert campaign.state == CampaignState.REVIEWED
    assert refresh(eligible).admission_number  # admission_assign ran
    assert documents(DocumentKind.ADMISSION_TICKET, eligible).count() == 1
    assert not refresh(waiting).admission_number


def test_finish_exams_needs_every_application_resolved(world, campaign, run):
    run.announce()
    waiting = run.apply("孙明", village=world.village_a)
    interviewed = run.apply("王芳", village=world.village_a)
    run.to(CampaignState.REVIEWED).written().shortlist().interview({interviewed: "80"})
    with pytest.raises(ValidationError, match="孙明"):
        campaign_finish_exams(campaign=campaign, by=world.committee)
    interview_absent(application=waiting, by=world.committee)
    campaign = campaign_finish_exams(campaign=campaign, by=world.committee)
    assert campaign.state == CampaignState.EXAMINED


def test_confirm_ranking_refuses_an_undecided_tie_at_the_cut_off(world, campaign, run):
    run.announce()
    run.apply("黄丽", village=world.village_b, written="80", interview="80")
    run.apply("周杰", village=world.village_b, written="80", interview="80")
    run.to(CampaignState.EXAMINED)
    with pytest.raises(ValidationError, match=r"黄丽(、|, )周杰|周杰(、|, )黄丽"):
        campaign_confirm_ranking(campaign=campaign, by=world.committee)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.EXAMINED


def test_confirm_ranking_issues_the_score_and_ranking_list(world, campaign, run):
    run.announce()
    run.apply("黄丽", village=world.village_b, written="90", interview="80")
    run.to(CampaignState.EXAMINED)
    campaign = campaign_confirm_ranking(campaign=campaign, by=world.committee)
    assert campaign.state == CampaignState.RANKED
    assert documents(DocumentKind.SCORE_RANKING_LIST, campaign).count() == 1


def test_cancel_needs_a_reason_and_an_open_campaign(world, campaign):
    with pytest.raises(ValidationError):
        campaign_cancel(campaign=campaign, reason=" ", by=world.committee)
    with pytest.raises(PermissionDenied):
        campaign_cancel(campaign=campaign, reason="x", by=world.hr)
    campaign = campaign_cancel(campaign=campaign, reason="岗位调整", by=world.committee)
    assert campaign.state == CampaignState.CANCELLED
    assert campaign.cancelled_reason == "岗位调整"
    with pytest.raises(ValidationError):
        campaign_cancel(campaign=campaign, reason="again", by=world.committee)


# --- public notice ------------------------------------------------------------------------------


def test_publicise_across_national_day(world, campaign, ranked):
    with at(D(2026, 9, 30)):
        campaign = campaign_publicise(campaign=campaign, by=world.committee)
    assert campaign.state == CampaignState.PUBLICISED
    # Published Wednesday 30 September 2026: 1–7 October are holidays, Saturday 10 October
    # is worked in lieu; the 7th working day after publication is Thursday 15 October.
    assert campaign.notice_starts_on == D(2026, 10, 1)
    assert campaign.notice_ends_on == D(2026, 10, 15)
    states = {key: refresh(a).state for key, a in ranked.items()}
    assert states["wang"] == states["zhang"] == states["huang"] == ApplicationState.PROPOSED
    assert states["liu"] == states["chen"] == states["zhou"] == ApplicationState.RANKED
    assert states["low"] == ApplicationState.NOT_HIRED
    assert refresh(ranked["wang"]).notice_ends_on == D(2026, 10, 15)

    notice = documents(DocumentKind.PUBLIC_NOTICE).get()
    assert notice.title == "永宁镇拟聘用村级人口主任公示"
    text = pdf_text(notice)
    for expected in ["王芳", "张伟", "黄丽", "87.00", "85.00", "坝湾村", "木城村",
                     ranked["wang"].masked_id_number, "7个工作日",
                     "自2026年10月1日起至2026年10月15日止", "0851-36012345"]:  # fmt: skip
        assert expected in text, expected
    assert "刘洋" not in text
    assert ranked["wang"].id_number not in text


def test_publicise_refuses_a_tie_at_the_cut_off(world, campaign, run):
    run.announce()
    a = run.apply("黄丽", village=world.village_b, written="80", interview="80")
    b = run.apply("周杰", village=world.village_b, written="80", interview="80")
    run.to(CampaignState.EXAMINED).tie_break([a, b]).to(CampaignState.RANKED)
    # Publicising checks ties itself, although confirming the ranking already refuses an
    # undecided one (and no decision can be recorded after it): the services cannot reach
    # this state, so the decision is taken back by hand.
    Application.objects.filter(pk__in=[a.pk, b.pk]).update(tie_break_position=None)
    with at(D(2026, 9, 30)), pytest.raises(ValidationError, match="tied"):
        campaign_publicise(campaign=campaign, by=world.committee)
    assert refresh(a).state == ApplicationState.RANKED
    assert not documents(DocumentKind.PUBLIC_NOTICE).exists()


def test_a_recorded_tie_decision_settles_who_is_proposed(world, campaign, run):
    run.announce()
    first = run.apply("黄丽", village=world.village_b, written="80", interview="80")
    second = run.apply("周杰", village=world.village_b, written="80", interview="80")
    run.to(CampaignState.EXAMINED).tie_break([second, first]).to(CampaignState.RANKED)
    with at(D(2026, 9, 30)):
        campaign_publicise(campaign=campaign, by=world.committee)
    assert refresh(second).state == ApplicationState.PROPOSED
    assert refresh(first).state == ApplicationState.RANKED


def test_written_score_breaks_a_composite_tie(world, campaign, run):
    run.announce()
    better = run.apply("黄丽", village=world.village_b, written="82", interview="78")
    worse = run.apply("周杰", village=world.village_b, written="78", interview="82")
    run.to(CampaignState.RANKED)
    with at(D(2026, 9, 30)):
        campaign_publicise(campaign=campaign, by=world.committee)
    assert refresh(better).state == ApplicationState.PROPOSED
    assert refresh(worse).state == ApplicationState.RANKED


def test_publicise_with_nobody_above_the_pass_line(world, campaign, run):
    run.announce()
    run.apply("周杰", village=world.village_b, written="60", interview="40")  # 50.00
    run.to(CampaignState.RANKED)
    with at(D(2026, 9, 30)), pytest.raises(ValidationError, match="pass line"):
        campaign_publicise(campaign=campaign, by=world.committee)


def publicise(world, campaign):
    with at(D(2026, 9, 30)):
        campaign_publicise(campaign=campaign, by=world.committee)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def publicised(world, campaign, ranked):
    """The ranked campaign published on Wednesday 30 September 2026: the notice runs from 1
    to 15 October (National Day's holidays between)."""
    return publicise(world, campaign)


# --- objections ---------------------------------------------------------------------------------


def test_objections_are_recorded_only_during_the_notice(world, publicised, ranked):
    with at(D(2026, 10, 15)):
        objection = objection_record(
            application=ranked["zhang"], received_on=D(2026, 10, 14), lodged_by="匿名",
            content="反映其户籍不在本村。", by=world.committee,
        )  # fmt: skip
    assert objection.decision == ObjectionDecision.PENDING
    with at(D(2026, 10, 16)), pytest.raises(ValidationError, match="2026-10-15"):
        objection_record(
            application=ranked["wang"], received_on=D(2026, 10, 16), lodged_by="",
            content="迟到的异议", by=world.committee,
        )  # fmt: skip
    with at(D(2026, 10, 12)), pytest.raises(ValidationError, match="not a proposed hire"):
        objection_record(
            application=ranked["liu"], received_on=D(2026, 10, 12), lodged_by="",
            content="x", by=world.committee,
        )  # fmt: skip
    with at(D(2026, 10, 12)), pytest.raises(ValidationError) as excinfo:
        objection_record(
            application=ranked["wang"], received_on=D(2026, 10, 13), lodged_by="", content=" ",
            by=world.committee,
        )  # fmt: skip
    assert set(excinfo.value.error_dict) == {"received_on", "content"}
    with at(D(2026, 10, 12)), pytest.raises(PermissionDenied):
        objection_record(
            application=ranked["wang"], received_on=D(2026, 10, 12), lodged_by="",
            content="x", by=world.office,
        )  # fmt: skip
    assert Objection.objects.count() == 1


def test_upheld_objection_moves_the_next_candidate_up(world, publicised, ranked):
    first_notice = documents(DocumentKind.PUBLIC_NOTICE).get()
    with at(D(2026, 10, 12)):
        objection = objection_record(
            application=ranked["zhang"], received_on=D(2026, 10, 12), lodged_by="村民甲",
            content="反映其学历证书系伪造。", by=world.committee,
        )  # fmt: skip
        decided = objection_decide(
            objection=objection, upheld=True, finding="经向发证学校核实，学历证书系伪造。",
            by=world.committee,
        )  # fmt: skip
    assert decided.decision == ObjectionDecision.UPHELD
    assert [a.pk for a in decided.moved_up] == [ranked["liu"].pk]
    zhang, liu = refresh(ranked["zhang"]), refresh(ranked["liu"])
    assert zhang.state == ApplicationState.NOT_HIRED
    assert "学历证书系伪造" in zhang.outcome_note
    assert liu.state == ApplicationState.PROPOSED
    # Published Monday 12 October: 13, 14, 15, 16, 19, 20, 21 October.
    assert (liu.notice_starts_on, liu.notice_ends_on) == (D(2026, 10, 13), D(2026, 10, 21))
    publicised.refresh_from_db()
    assert publicised.notice_ends_on == D(2026, 10, 21)
    assert refresh(ranked["wang"]).notice_ends_on == D(2026, 10, 15)

    current = document_current(kind=DocumentKind.PUBLIC_NOTICE, subject=publicised)
    assert current is not None and current.supersedes == first_notice
    first_notice.refresh_from_db()
    assert first_notice.successor == current
    text = pdf_text(current)
    assert "刘洋" in text and "（递补）" in text
    assert "张伟" not in text
    assert "递补人员的公示期自2026年10月13日起至2026年10月21日止" in text
    assert "自2026年10月1日起至2026年10月15日止" in text

    letter = documents(DocumentKind.NOT_HIRED_LETTER, zhang).get()
    letter_text = pdf_text(letter)
    assert "张伟" in letter_text and "学历证书系伪造" in letter_text
    assert zhang.masked_id_number in letter_text

    # The moved-up candidate may be objected to until their own notice ends.
    with at(D(2026, 10, 20)):
        objection_record(
            application=liu, received_on=D(2026, 10, 20), lodged_by="", content="x",
            by=world.committee,
        )  # fmt: skip


def test_dismissed_objection_changes_nothing_else(world, publicised, ranked):
    with at(D(2026, 10, 12)):
        objection = objection_record(
            application=ranked["wang"], received_on=D(2026, 10, 12), lodged_by="",
            content="反映其不在本村居住。", by=world.committee,
        )  # fmt: skip
        objection_decide(
            objection=objection, upheld=False, finding="经走访核实，长期在本村居住。",
            by=world.committee,
        )  # fmt: skip
    assert refresh(ranked["wang"]).state == ApplicationState.PROPOSED
    assert refresh(ranked["liu"]).state == ApplicationState.RANKED
    assert documents(DocumentKind.PUBLIC_NOTICE).count() == 1
    publicised.refresh_from_db()
    assert publicised.notice_ends_on == D(2026, 10, 15)
    with at(D(2026, 10, 12)), pytest.raises(ValidationError, match="already decided"):
        objection_decide(objection=objection, upheld=True, finding="x", by=world.committee)


def test_upheld_objection_with_nobody_left_above_the_line(world, campaign, run):
    ranked = rank(world, run, withdrawn=["zhou"])  # 木城村 has no one else
    publicised = publicise(world, campaign)
    with at(D(2026, 10, 12)):
        objection = objection_record(
            application=ranked["huang"], received_on=D(2026, 10, 12), lodged_by="",
            content="x", by=world.committee,
        )  # fmt: skip
        decided = objection_decide(
            objection=objection, upheld=True, finding="属实", by=world.committee
        )
    assert decided.moved_up == []
    publicised.refresh_from_db()
    assert publicised.notice_ends_on == D(2026, 10, 15)
    text = pdf_text(document_current(kind=DocumentKind.PUBLIC_NOTICE, subject=publicised))
    assert "暂无符合条件的人员递补" in text


# --- hiring -------------------------------------------------------------------------------------


def test_hires_wait_for_the_notice_and_the_objections(world, publicised, ranked):
    with at(D(2026, 10, 15)), pytest.raises(ValidationError, match="2026-10-15"):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.committee)
    with at(D(2026, 10, 14)):
        objection = objection_record(
            application=ranked["wang"], received_on=D(2026, 10, 14), lodged_by="",
            content="x", by=world.committee,
        )  # fmt: skip
    with at(D(2026, 10, 16)), pytest.raises(ValidationError, match="not been decided"):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.committee)
    with at(D(2026, 10, 16)):
        objection_decide(objection=objection, upheld=False, finding="不属实", by=world.committee)
    with at(D(2026, 10, 16)), pytest.raises(ValidationError) as excinfo:
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 10, 15), by=world.committee)
    assert "start_date" in excinfo.value.error_dict
    with at(D(2026, 10, 16)), pytest.raises(PermissionDenied):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.hr)
    publicised.refresh_from_db()
    assert publicised.state == CampaignState.PUBLICISED
    assert not Contract.objects.exists()


def test_confirm_hires(world, publicised, ranked):
    # 王芳 is already on file (a former applicant elsewhere): her record is updated.
    existing = PersonFactory(
        id_number=ranked["wang"].id_number, name="王芳", township=world.foreign_township,
        phone="13900000000", education=Education.JUNIOR_HIGH,
    )  # fmt: skip
    people_before = Person.objects.count()
    with at(D(2026, 10, 16)):
        campaign = campaign_confirm_hires(
            campaign=publicised, start_date=D(2026, 11, 1), by=world.committee
        )
    assert campaign.state == CampaignState.CONCLUDED
    assert Person.objects.count() == people_before + 2  # 张伟 and 黄丽 are new

    wang = refresh(ranked["wang"])
    assert wang.state == ApplicationState.HIRED
    assert wang.person == existing
    existing.refresh_from_db()
    assert (existing.township, existing.village) == (world.township, world.village_a)
    assert existing.education == Education.HIGH_SCHOOL and existing.phone == "13800138000"

    contracts = {c.person.name: c for c in Contract.objects.select_related("person", "post")}
    assert set(contracts) == {"王芳", "张伟", "黄丽"}
    contract = contracts["王芳"]
    assert contract.application == wang
    assert (contract.start_date, contract.end_date) == (D(2026, 11, 1), D(2029, 10, 31))
    assert contract.term_years == 3 and contract.monthly_pay == Decimal("1700.00")
    assert contract.township == world.township
    assert {contracts["王芳"].post, contracts["张伟"].post} == set(world.posts_a)
    assert contracts["黄丽"].post == world.post_b
    for post in [*world.posts_a, world.post_b]:
        post.refresh_from_db()
        assert post.holder is None and post.status == PostStatus.ACTIVE  # occupied at signing

    notice = documents(DocumentKind.HIRING_NOTICE, wang).get()
    assert notice.person == existing
    text = pdf_text(notice)
    for expected in ["王芳同志", wang.masked_id_number, "坝湾村", "2026年11月1日", "2029年10月31日",
                     "1700元", "初任培训", "永宁镇人民政府"]:  # fmt: skip
        assert expected in text, expected
    assert wang.id_number not in text

    contract_doc = documents(DocumentKind.CONTRACT, contract).get()
    assert contract_doc.person == existing
    text = pdf_text(contract_doc)
    for expected in [
        "甲方（聘用单位）：永宁镇人民政府", "王芳", wang.id_number,  # the full number
        "自2026年11月1日起至2029年10月31日止", "坝湾村", "1700元",
        "月督查、月通报，月考核、月排序", "工作责任心不强，人口计生工作连续2年落后的",
        "有贪污、受贿等违法违纪行为的", "连续两年未参加知识更新培训的", "定期入户随访",
        "乙方（签字）", "县级备案", "关岭自治县卫生健康局",
    ]:  # fmt: skip
        assert expected in text, expected

    # Ranked passers not proposed: the reserve list for 12 months from today.
    for key in ["liu", "chen", "zhou"]:
        application = refresh(ranked[key])
        assert application.state == ApplicationState.RESERVE
        assert application.reserve_until == D(2027, 10, 16)
    reserve_letter = pdf_text(documents(DocumentKind.NOT_HIRED_LETTER, ranked["liu"]).get())
    assert "备选名单" in reserve_letter and "2027年10月16日" in reserve_letter

    # Rejected earlier by the exam services: the letter now, with the reason.
    low_letter = pdf_text(documents(DocumentKind.NOT_HIRED_LETTER, ranked["low"]).get())
    assert "综合成绩56.00分，低于综合成绩合格线60.00分" in low_letter
    not_listed = pdf_text(documents(DocumentKind.NOT_HIRED_LETTER, ranked["notlisted"]).get())
    assert "笔试成绩55.00分，低于笔试合格线60.00分" in not_listed
    # Absent candidates stay absent and get the letter too, saying so.
    assert refresh(ranked["absent"]).state == ApplicationState.ABSENT
    absent_letter = pdf_text(documents(DocumentKind.NOT_HIRED_LETTER, ranked["absent"]).get())
    assert "缺考" in absent_letter


def test_hired_after_an_objection_no_second_letter(world, publicised, ranked):
    with at(D(2026, 10, 12)):
        objection = objection_record(
            application=ranked["zhang"], received_on=D(2026, 10, 12), lodged_by="", content="x",
            by=world.committee,
        )  # fmt: skip
        objection_decide(objection=objection, upheld=True, finding="属实", by=world.committee)
    with at(D(2026, 10, 22)):
        campaign_confirm_hires(campaign=publicised, start_date=D(2027, 1, 1), by=world.committee)
    assert documents(DocumentKind.NOT_HIRED_LETTER, ranked["zhang"]).count() == 1
    liu = refresh(ranked["liu"])
    assert liu.state == ApplicationState.HIRED
    assert liu.contract.end_date == D(2029, 12, 31)
    assert refresh(ranked["chen"]).state == ApplicationState.RESERVE


def test_confirm_hires_is_atomic(world, publicised, ranked, monkeypatch):
    from contracts.kinds import CONTRACT
    from recruitment.documents import campaign as campaign_documents

    issue = campaign_documents.document_issue

    def broken(*, kind, **kwargs):
        if kind == CONTRACT:
            raise RuntimeError("printer on fire")
        return issue(kind=kind, **kwargs)

    monkeypatch.setattr(campaign_documents, "document_issue", broken)
    people_before = list(Person.objects.values_list("pk", "name", "township_id"))
    documents_before = Document.objects.count()
    audit_before = AuditEntry.objects.count()
    with at(D(2026, 10, 16)), pytest.raises(RuntimeError):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.committee)
    assert not Contract.objects.exists()
    assert not Application.objects.filter(state=ApplicationState.HIRED).exists()
    assert not Application.objects.filter(state=ApplicationState.RESERVE).exists()
    assert list(Person.objects.values_list("pk", "name", "township_id")) == people_before
    assert Document.objects.count() == documents_before
    assert AuditEntry.objects.count() == audit_before
    publicised.refresh_from_db()
    assert publicised.state == CampaignState.PUBLICISED


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2027, 1, 1), D(2029, 12, 31)),
        (D(2027, 3, 1), D(2030, 2, 28)),
        (D(2028, 2, 29), D(2031, 2, 28)),
        (D(2029, 3, 1), D(2032, 2, 29)),
        (D(2026, 11, 1), D(2029, 10, 31)),
    ],
)
def test_contract_end_date(start, end):
    assert contract_end_date(start, 3) == end


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def concluded(world, publicised):
    with at(D(2026, 10, 16)):
        campaign_confirm_hires(campaign=publicised, start_date=D(2026, 11, 1), by=world.committee)
    publicised.refresh_from_db()
    return publicised


@pytest.mark.parametrize(
    ("who", "status"),
    [("committee", 200), ("office", 200), ("hr", 200), ("foreign_committee", 404),
     ("village_user", 403)],
)  # fmt: skip
def test_campaign_pages_by_role(client, world, campaign, who, status):
    client.force_login(getattr(world, who))
    for name in ["recruitment:campaign_detail", "recruitment:campaign_reserve"]:
        assert client.get(reverse(name, args=[campaign.pk])).status_code == status
    listing = client.get(reverse("recruitment:campaign_list"))
    if status == 403:
        assert listing.status_code == 403
    else:
        assert listing.status_code == 200
        assert (campaign.title in listing.content.decode()) == (status == 200)


def test_anonymous_is_sent_to_login(client, campaign):
    response = client.get(reverse("recruitment:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_campaign_page_shows_offers_notice_and_documents(client, world, concluded, ranked):
    client.force_login(world.committee)
    with at(D(2026, 10, 20)):
        page = client.get(reverse("recruitment:campaign_detail", args=[concluded.pk]))
    body = page.content.decode()
    assert "坝湾村" in body and "木城村" in body
    assert "Oct. 1, 2026" in body and "Oct. 15, 2026" in body
    assert "永宁镇拟聘用村级人口主任公示" in body
    assert page.context["document_count"] >= 3
    assert page.context["coverage_notes"] == []
    reserve = client.get(reverse("recruitment:campaign_reserve", args=[concluded.pk]))
    body = reserve.content.decode()
    assert "刘洋" in body and "Oct. 16, 2027" in body
    assert ranked["liu"].id_number not in body


def test_objection_pages(client, world, publicised, ranked):
    record_url = reverse("recruitment:objection_record", args=[publicised.pk])
    client.force_login(world.office)
    assert client.get(record_url).status_code == 403
    client.force_login(world.foreign_committee)
    assert client.get(record_url).status_code == 404
    client.force_login(world.committee)
    with at(D(2026, 10, 12)):
        assert client.get(record_url).status_code == 200
        response = client.post(
            record_url,
            {"application": ranked["zhang"].pk, "received_on": "2026-10-12",
             "lodged_by": "村民甲", "content": "学历造假"},
        )  # fmt: skip
        assert response.status_code == 302
        objection = Objection.objects.get()
        decide_url = reverse("recruitment:objection_decide", args=[objection.pk])
        response = client.post(decide_url, {"decision": "upheld", "finding": ""})
        assert response.status_code == 400
        response = client.post(decide_url, {"decision": "upheld", "finding": "经核实属实"})
        assert response.status_code == 302
    assert refresh(ranked["liu"]).state == ApplicationState.PROPOSED
    client.force_login(world.foreign_committee)
    assert client.get(decide_url).status_code == 404
    client.force_login(world.hr)
    assert client.get(decide_url).status_code == 403


def test_objection_after_the_notice_is_refused_on_the_page(client, world, publicised, ranked):
    client.force_login(world.committee)
    with at(D(2026, 10, 16)):
        response = client.post(
            reverse("recruitment:objection_record", args=[publicised.pk]),
            {"application": ranked["wang"].pk, "received_on": "2026-10-16", "content": "迟"},
        )
    assert response.status_code == 400
    assert response.content.decode().count("ended on 2026-10-15") == 1
    assert not Objection.objects.exists()
