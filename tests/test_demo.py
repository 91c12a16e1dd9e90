"""The demo county: what ``load_demo`` builds, that it is idempotent and that its accounts work;
and the two demo recruitment campaigns it replays on their real dates."""

import datetime
import io
import random
import re
from collections import Counter

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone, translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accounts.constants import Role
from accounts.models import User
from audit.models import AuditEntry
from core.education import Education
from core.identity import parse_id_number, validate_mobile
from demo import data
from demo import recruitment as demo_recruitment
from demo.recruitment import demo_campaigns_load
from demo.services import demo_load, demo_plan
from organisation.constants import PostStatus, TownshipKind, VillageKind
from organisation.models import County, Post, Township, Village
from paperwork.models import Document, DocumentKind
from people.models import Person
from policy.models import Policy
from policy.selectors import policy_in_force
from recruitment.constants import (
    ApplicationState,
    AttachmentKind,
    CampaignState,
    ObjectionDecision,
)
from recruitment.models import Application, Campaign, Objection
from workdays.calendar import add_working_days, is_working_day
from workflows.flows import CampaignFlow

pytestmark = pytest.mark.django_db


def _login(username: str, password: str) -> bool:
    """``Client.login`` with a request: the login throttling's backend (django-axes) refuses
    to authenticate without one."""
    return Client().login(request=HttpRequest(), username=username, password=password)


def _counts() -> dict[str, int]:
    return {
        "counties": County.objects.count(),
        "policies": Policy.objects.count(),
        "townships": Township.objects.count(),
        "villages": Village.objects.count(),
        "posts": Post.objects.count(),
        "occupied": Post.objects.filter(holder__isnull=False).count(),
        "people": Person.objects.count(),
        "users": User.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


class TestLoadedCounty(TestCase):
    """Facts about a loaded demo county. The county is loaded once for the class (loading
    takes most of a second) and every test runs in its own transaction, rolled back after."""

    @classmethod
    def setUpTestData(cls):
        demo_load()

    def test_county_has_the_real_townships_and_the_2014_policy(self):
        county = County.objects.get()
        assert (county.name, county.short_name, county.hr_office) == (
            "关岭布依族苗族自治县",
            "关岭自治县",
            "关岭自治县卫生健康局",
        )
        townships = {t.name: t for t in county.townships.all()}
        assert set(townships) == {
            "关索街道", "顶云街道", "龙潭街道", "百合街道", "永宁镇", "岗乌镇", "上关镇",
            "坡贡镇", "白水镇", "新铺镇", "沙营镇", "花江镇", "断桥镇", "普利乡",
        }  # fmt: skip
        assert townships["关索街道"].kind == TownshipKind.SUBDISTRICT
        assert townships["关索街道"].issuing_body == "关索街道办事处"
        assert townships["花江镇"].kind == TownshipKind.TOWN
        assert townships["花江镇"].issuing_body == "花江镇人民政府"
        assert townships["普利乡"].kind == TownshipKind.TOWNSHIP
        policy = policy_in_force(county=county, on=data.POPULATION_DATE)
        assert policy.title == "关岭自治县进一步加强村级人口计生队伍职业化建设实施方案"
        assert str(policy.effective_from) == "2014-07-09"
        assert policy.version == 1
        assert policy.posts_for_population(2000) == 1

    def test_the_change_logs_give_the_demo_as_the_reason_in_chinese(self):
        reasons = set(AuditEntry.objects.values_list("reason", flat=True))
        assert "演示县数据（manage.py load_demo 载入）" in reasons
        assert "政策第1版：户籍人口2685人，设2个岗位" in reasons  # a post of 北口村
        english = {r for r in reasons if re.search(r"[A-Za-z]{3,}", r.replace("manage.py", ""))}
        assert english == {"演示县数据（manage.py load_demo 载入）"}

    def test_villages_have_the_posts_their_population_gives(self):
        policy = Policy.objects.get()
        villages = list(Village.objects.prefetch_related("posts"))
        assert 140 <= len(villages) <= 160
        assert all(800 <= v.registered_population <= 6500 for v in villages)
        assert {v.kind for v in villages} == set(VillageKind.values)
        for village in villages:
            active = [p for p in village.posts.all() if p.status == PostStatus.ACTIVE]
            assert len(active) == policy.posts_for_population(village.registered_population)
            assert [p.number for p in active] == list(range(1, len(active) + 1))

    def test_villages_on_the_quota_boundaries_get_1_2_2_and_3_posts(self):
        on_boundary = {
            village.registered_population: village.posts.filter(status=PostStatus.ACTIVE).count()
            for village in Village.objects.filter(
                registered_population__in=[2000, 2001, 4999, 5000]
            )
        }
        assert on_boundary == {2000: 1, 2001: 2, 4999: 2, 5000: 3}

    def test_about_two_thirds_of_the_posts_have_a_director_from_their_village(self):
        posts = Post.objects.filter(status=PostStatus.ACTIVE).select_related("holder")
        occupied = [p for p in posts if p.holder_id]
        assert 0.6 < len(occupied) / posts.count() < 0.72
        for post in occupied:
            holder = post.holder
            assert holder is not None
            assert (holder.township_id, holder.village_id) == (
                post.village.township_id,
                post.village_id,
            )
        holders = [p.holder_id for p in occupied]
        assert len(holders) == len(set(holders))

    def test_people_have_valid_identities_and_live_in_their_village(self):
        people = list(Person.objects.select_related("township", "village"))
        assert len(people) > len(Post.objects.filter(holder__isnull=False))  # and some applicants
        assert len({p.id_number for p in people}) == len(people)
        for person in people:
            village = person.village
            assert village is not None
            facts = parse_id_number(person.id_number)
            assert person.id_number.startswith("520424")
            assert (facts.birth_date, facts.sex) == (person.birth_date, person.sex)
            assert 1975 <= person.birth_date.year <= 2002
            validate_mobile(person.phone)
            assert person.education in Education.values
            assert person.household_registration.endswith(
                tuple(f"{village.name}{n}组" for n in range(1, 13))
                + tuple(f"{village.name}第{n}居民小组" for n in range(1, 13))
            )
            assert person.household_registration.startswith("贵州省安顺市关岭布依族苗族自治县")
            assert village.township_id == person.township_id
        names = "".join(p.name for p in people)
        assert all(char in names for char in "堃喆昇䶮")
        assert {p.sex for p in people} == {"M", "F"}

    def test_every_role_has_a_valid_account_with_its_scope(self):
        users = list(User.objects.select_related("township", "village", "person"))
        assert {u.role for u in users} == set(Role.values)
        for user in users:
            user.full_clean()
            assert user.last_name and user.first_name
        scopes = {
            u.username: (
                u.role,
                u.township.name if u.township else "",
                u.village.name if u.village else "",
                u.person.name if u.person else "",
            )
            for u in users
        }
        assert scopes == {
            "admin": (Role.ADMINISTRATOR, "", "", ""),
            "county_hr": (Role.COUNTY_HR, "", "", ""),
            "county_hr2": (Role.COUNTY_HR, "", "", ""),
            "guansuo_head": (Role.TOWNSHIP_COMMITTEE, "关索街道", "", ""),
            "guansuo_committee": (Role.TOWNSHIP_COMMITTEE, "关索街道", "", ""),
            "guansuo_office": (Role.TOWNSHIP_OFFICE, "关索街道", "", ""),
            "huajiang_head": (Role.TOWNSHIP_COMMITTEE, "花江镇", "", ""),
            "huajiang_committee": (Role.TOWNSHIP_COMMITTEE, "花江镇", "", ""),
            "huajiang_office": (Role.TOWNSHIP_OFFICE, "花江镇", "", ""),
            "gangwu_committee": (Role.TOWNSHIP_COMMITTEE, "岗乌镇", "", ""),
            "shangguan_committee": (Role.TOWNSHIP_COMMITTEE, "上关镇", "", ""),
            "pogong_committee": (Role.TOWNSHIP_COMMITTEE, "坡贡镇", "", ""),
            "baishui_committee": (Role.TOWNSHIP_COMMITTEE, "白水镇", "", ""),
            "xinpu_committee": (Role.TOWNSHIP_COMMITTEE, "新铺镇", "", ""),
            "yongning_office": (Role.TOWNSHIP_OFFICE, "永宁镇", "", ""),
            "yongning_committee": (Role.TOWNSHIP_COMMITTEE, "永宁镇", "", ""),
            "longtan_office": (Role.TOWNSHIP_OFFICE, "龙潭街道", "", ""),
            "longtan_committee": (Role.TOWNSHIP_COMMITTEE, "龙潭街道", "", ""),
            "village_chengnei": (Role.VILLAGE_COMMITTEE, "关索街道", "城内村", ""),
            "village_heping": (Role.VILLAGE_COMMITTEE, "花江镇", "和平村", ""),
            "director_wang": (Role.DIRECTOR, "关索街道", "城内村", "王堃"),
            "director_wei": (Role.DIRECTOR, "花江镇", "和平村", "韦春燕"),
        }
        assert User.objects.get(username="admin").is_superuser

    def test_townships_with_accounts_have_their_leading_group_head(self):
        heads = dict(
            Township.objects.filter(leading_group_head__isnull=False).values_list(
                "name", "leading_group_head__username"
            )
        )
        assert heads == {"关索街道": "guansuo_head", "花江镇": "huajiang_head"}
        for username in heads.values():
            user = User.objects.get(username=username)
            assert user.has_perm(f"workflows.township_head@{user.township_id}")
        committee = User.objects.get(username="guansuo_committee")
        assert not committee.has_perm(f"workflows.township_head@{committee.township_id}")

    def test_a_head_chosen_since_is_kept(self):
        township = Township.objects.get(name="关索街道")
        member = User.objects.get(username="guansuo_committee")
        township.leading_group_head = member
        township.save(update_fields=["leading_group_head"])
        assert not demo_load().changed
        township.refresh_from_db()
        assert township.leading_group_head == member

    def test_director_accounts_belong_to_directors_holding_a_post_in_their_village(self):
        for user in User.objects.filter(role=Role.DIRECTOR):
            assert user.person is not None
            assert (user.person.township_id, user.person.village_id) == (
                user.township_id,
                user.village_id,
            )
            assert Post.objects.filter(
                holder=user.person, village=user.village, status=PostStatus.ACTIVE
            ).exists()

    def test_demo_accounts_log_in_with_the_printed_passwords(self):
        for account in data.ACCOUNTS:
            user = User.objects.get(username=account.username)
            validate_password(account.password, user)
            assert _login(account.username, account.password), account.username

    def test_second_load_creates_and_changes_nothing(self):
        before = _counts()
        users = list(User.objects.values_list("username", "password", "township", "person"))
        with CaptureQueriesContext(connection) as queries:
            again = demo_load()
        assert len(queries) <= 12
        assert not again.changed
        assert _counts() == before
        assert list(User.objects.values_list("username", "password", "township", "person")) == (
            users
        )

    def test_second_load_keeps_a_changed_password_unless_asked_to_reset(self):
        user = User.objects.get(username="county_hr")
        user.set_password("My-own-Secret-42")
        user.save()
        demo_load()
        assert _login("county_hr", "My-own-Secret-42")
        result = demo_load(reset_passwords=True)
        assert result.passwords_reset == len(data.ACCOUNTS)
        assert _login("county_hr", "Cunpin-2026-hr1")

    def test_load_recreates_only_what_is_missing(self):
        User.objects.get(username="huajiang_office").delete()
        audit_before = AuditEntry.objects.count()
        result = demo_load()
        assert dict(result.created) == {"users": 1}
        assert AuditEntry.objects.count() == audit_before + 1
        assert _login("huajiang_office", "Cunpin-2026-huajiang2")


def test_failed_load_leaves_nothing_behind(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("demo.services.person_create", broken)
    with pytest.raises(RuntimeError):
        demo_load()
    assert not County.objects.exists()
    assert not Village.objects.exists()
    assert not AuditEntry.objects.exists()


def test_plan_is_the_same_whatever_the_global_random_state():
    random.seed(1)
    first = demo_plan()
    random.seed(2)
    second = demo_plan()
    assert first == second
    assert len({p.id_number for p in first}) == len(first)


def _campaign_counts() -> dict[str, int]:
    return {
        "campaigns": Campaign.objects.count(),
        "applications": Application.objects.count(),
        "documents": Document.objects.count(),
        "tasks": Task.objects.count(),
        "audit": AuditEntry.objects.count(),
        "objections": Objection.objects.count(),
    }


def _documents(obj, kind: str):
    return Document.objects.filter(
        content_type__model=type(obj).__name__.lower(), object_id=obj.pk, kind=kind
    )


def _open_tasks(campaign: Campaign):
    return Task.objects.filter(
        process=campaign.workflow_process,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
    )


class TestDemoCampaigns(TestCase):
    """The two demo campaigns, replayed once for the class by ``manage.py load_demo`` (run
    twice: the second run creates nothing). Each test runs in a transaction rolled back
    after, so the committees can go on with the campaigns as they would in the browser."""

    @classmethod
    def setUpTestData(cls):
        cls.today = timezone.localdate()
        cls.out, cls.again = io.StringIO(), io.StringIO()
        with translation.override("en"):
            call_command("load_demo", stdout=cls.out)
            cls.counts_after_first = _campaign_counts()
            call_command("load_demo", stdout=cls.again)
        cls.guansuo = Campaign.objects.get(township__name="关索街道")
        cls.huajiang = Campaign.objects.get(township__name="花江镇")

    def setUp(self):
        assert get_resolver().url_patterns  # task.reverse() needs the flow's URLs loaded

    # Both campaigns ---------------------------------------------------------------------

    def test_both_campaigns_are_replayed_through_the_flow(self):
        for campaign, committee, head, status in (
            (self.guansuo, "guansuo_committee", "guansuo_head", PROCESS.NEW),
            (self.huajiang, "huajiang_committee", "huajiang_head", PROCESS.DONE),
        ):
            process = campaign.workflow_process
            assert process.status == status
            tasks = Task.objects.filter(process=process)
            owners = {t.flow_task.name: t.owner.username for t in tasks if t.owner}
            assert owners["start"] == committee
            assert owners["approve_announcement"] == head
            assert campaign.created_by.username == committee
            assert campaign.approved_by.username == head
            assert not tasks.filter(status=STATUS.ERROR).exists()
            # Nothing is overdue: every armed time limit lies ahead.
            for timer in tasks.filter(status=STATUS.SCHEDULED):
                assert timer.scheduled > timezone.now(), timer.flow_task.name
        # Only the term's overdue vacancy (白水镇, ``demo.term``) went to the county.
        escalated = AuditEntry.objects.filter(transition="escalate")
        assert set(escalated.values_list("township__name", flat=True)) == {"白水镇"}

    def test_guansuo_registration_ended_yesterday_and_the_review_waits(self):
        campaign, today = self.guansuo, self.today
        opened = today - datetime.timedelta(days=25)
        assert campaign.title == f"{opened.year}年关索街道村级人口主任公开选聘"
        assert campaign.state == CampaignState.REGISTRATION_CLOSED
        assert campaign.registration_end == today - datetime.timedelta(days=1)
        assert timezone.localdate(campaign.created_at) == today - datetime.timedelta(days=25)
        assert timezone.localdate(campaign.announced_at) == today - datetime.timedelta(days=25)
        assert timezone.localdate(campaign.written_exam_at) == today + datetime.timedelta(days=5)
        assert timezone.localdate(campaign.interview_at) == today + datetime.timedelta(days=8)
        assert 2 <= campaign.offers.count() <= 3
        task = _open_tasks(campaign).get()
        assert task.flow_task == CampaignFlow.review_applications
        assert task.status == STATUS.ASSIGNED and task.owner.username == "guansuo_committee"
        closed = AuditEntry.objects.get(object_id=campaign.pk, transition="close_registration")
        assert closed.actor is None and timezone.localdate(closed.at) == today

    def test_guansuo_applicants_registered_during_the_window(self):
        campaign = self.guansuo
        applications = list(campaign.applications.select_related("offer__village"))
        assert 12 <= len(applications) <= 16
        assert len({a.id_number for a in applications}) == len(applications)
        people = set(Person.objects.values_list("id_number", flat=True))
        outside = []
        for application in applications:
            assert application.state == ApplicationState.SUBMITTED
            facts = parse_id_number(application.id_number)
            assert application.id_number.startswith("520424")
            assert application.id_number not in people
            assert facts.birth_date == application.birth_date
            assert application.age_at_deadline <= campaign.max_age
            submitted = timezone.localdate(application.submitted_at)
            assert campaign.registration_start <= submitted <= campaign.registration_end
            kinds = sorted(application.attachments.values_list("kind", flat=True))
            assert kinds == sorted([AttachmentKind.EDUCATION_CERTIFICATE, AttachmentKind.PHOTO])
            assert _documents(application, DocumentKind.REGISTRATION_FORM).count() == 1
            if "关索街道" not in application.household_registration:
                outside.append(application)
        assert len(outside) == 2  # for the reviewer to notice
        types = set(
            campaign.applications.filter(attachments__kind=AttachmentKind.EDUCATION_CERTIFICATE)
            .values_list("attachments__content_type", flat=True)
            .distinct()
        )
        assert {"application/pdf", "image/jpeg"} <= types
        assert _documents(campaign, DocumentKind.RECRUITMENT_ANNOUNCEMENT).count() == 1

    def test_huajiang_notice_ended_three_weeks_ago_and_the_hires_were_confirmed(self):
        campaign = self.huajiang
        notice_end = self.today - datetime.timedelta(days=21)
        opened = timezone.localdate(campaign.created_at)
        assert campaign.title == f"{opened.year}年花江镇村级人口主任公开选聘"
        assert campaign.state == CampaignState.CONCLUDED
        # The notice ended three weeks ago, or on the last working day before it.
        last_working_day = notice_end
        while not is_working_day(last_working_day):
            last_working_day -= datetime.timedelta(days=1)
        assert campaign.notice_ends_on == last_working_day
        published = campaign.notice_starts_on - datetime.timedelta(days=1)
        assert add_working_days(published, campaign.notice_working_days) == last_working_day
        publicised = AuditEntry.objects.get(object_id=campaign.pk, transition="publicise")
        assert timezone.localdate(publicised.at) == published
        assert not _open_tasks(campaign).exists()
        done = Task.objects.filter(process=campaign.workflow_process, flow_task_type="HUMAN")
        assert {t.flow_task.name for t in done.filter(status=STATUS.DONE)} == {
            "approve_announcement",
            "review_applications",
            "enter_written_scores",
            "enter_interview_marks",
            "confirm_ranking",
            "handle_objections",
            "confirm_hires",
        }
        hires_day = add_working_days(last_working_day, 1)
        assert timezone.localdate(campaign.concluded_at) == hires_day

    def test_huajiang_hires_are_signed_filed_and_in_force_with_their_posts_occupied(self):
        from contracts.kinds import CONTRACT, COUNTY_FILING_FORM, INDUCTION_CERTIFICATE
        from contracts.models import Contract
        from workflows.flows_contract import ContractFlow

        contracts = list(
            Contract.objects.filter(application__campaign=self.huajiang).select_related(
                "post", "person", "signed_by", "filed_by"
            )
        )
        assert len(contracts) == 3
        for contract in contracts:
            assert contract.state == "active"
            assert contract.post.holder_id == contract.person_id
            assert contract.signed_by.username == "huajiang_committee"
            assert contract.township_signatory == "梁文斌"  # the leading group's head
            assert contract.filed_by.username == "county_hr"
            assert contract.filing_number.startswith("关卫健备〔")
            assert contract.induction_on is not None and contract.activated_on <= self.today
            signed = _documents(contract, CONTRACT)
            assert signed.count() == 2  # drafted, then signed (superseding it)
            assert signed.filter(transition="sign", superseded_by__isnull=True).exists()
            assert _documents(contract, COUNTY_FILING_FORM).count() == 1
            assert _documents(contract, INDUCTION_CERTIFICATE).count() == 1
            process = contract.workflow_process
            assert process.status == PROCESS.DONE
            steps = {t.flow_task for t in process.task_set.filter(status=STATUS.DONE)}
            assert {ContractFlow.sign, ContractFlow.file, ContractFlow.record_induction} <= steps

    def test_huajiang_was_reviewed_examined_ranked_with_one_objection_dismissed(self):
        campaign = self.huajiang
        states = Counter(campaign.applications.values_list("state", flat=True))
        assert states == {
            ApplicationState.HIRED: 3,  # the best of each village
            ApplicationState.RESERVE: 5,  # ranked above the pass line
            ApplicationState.NOT_HIRED: 2,  # below the written pass line, not shortlisted
            ApplicationState.ABSENT: 2,  # from the written exam, from the interview
            ApplicationState.INELIGIBLE: 2,  # household registered elsewhere
        }
        for application in campaign.applications.filter(state=ApplicationState.INELIGIBLE):
            failed = [c["rule"] for c in application.checks if not c["passed"]]
            assert failed == ["household"] and application.review_note
        hired = campaign.applications.filter(state=ApplicationState.HIRED)
        assert {a.offer_id for a in hired} == set(campaign.offers.values_list("pk", flat=True))
        assert all(a.rank == 1 for a in hired)
        objection = Objection.objects.get(application__campaign=campaign)
        assert objection.decision == ObjectionDecision.DISMISSED
        assert objection.application.state == ApplicationState.HIRED
        assert campaign.notice_starts_on <= objection.received_on <= campaign.notice_ends_on
        assert objection.decided_by is not None
        assert objection.decided_by.username == "huajiang_committee"

    def test_huajiang_documents_of_every_step(self):
        campaign = self.huajiang
        for kind in (
            DocumentKind.RECRUITMENT_ANNOUNCEMENT,
            DocumentKind.SCORE_RANKING_LIST,
            DocumentKind.PUBLIC_NOTICE,
        ):
            assert _documents(campaign, kind).count() == 1, kind
        applications = list(campaign.applications.all())
        for application in applications:
            assert _documents(application, DocumentKind.REGISTRATION_FORM).count() == 1
            assert _documents(application, DocumentKind.ELIGIBILITY_RESULT).count() == 1
            ticket = _documents(application, DocumentKind.ADMISSION_TICKET).count()
            assert ticket == (application.state != ApplicationState.INELIGIBLE)
        for document in Document.objects.all():
            assert document.file.size > 1000, document

    def test_guansuo_committee_reviews_in_the_browser_today(self):
        campaign = self.guansuo
        client = Client()
        client.force_login(User.objects.get(username="guansuo_committee"))
        task = _open_tasks(campaign).get()
        page = client.get(task.reverse("execute"))
        assert page.status_code == 200 and not page.context["can_finish"]
        application = campaign.applications.first()
        review = client.get(reverse("recruitment:review_application", args=[application.pk]))
        assert review.status_code == 200
        for attachment in application.attachments.all():
            url = reverse("recruitment:application_attachment", args=[attachment.pk])
            assert client.get(url).status_code == 200

    # Training ----------------------------------------------------------------------------

    def test_training_over_two_years_and_the_director_who_missed_both_refreshers(self):
        from contracts.constants import IN_FORCE_STATES
        from contracts.models import Contract, DismissalCase
        from training.constants import CourseKind
        from training.models import Course
        from training.selectors import MissedRefresher

        last = self.today.year - 1
        years = set(Course.objects.filter(kind=CourseKind.REFRESHER).values_list("year", flat=True))
        assert years == {last - 1, last, self.today.year}
        sessions = Course.objects.filter(kind=CourseKind.TOWNSHIP_SESSION, year=last)
        assert sessions.exists() and sessions.filter(attendances__isnull=True).count() == 0
        in_post = dict(
            Contract.objects.filter(state__in=IN_FORCE_STATES).values_list(
                "person_id", "person__name"
            )
        )
        missed = MissedRefresher().years(person_ids=in_post, until=self.today.year)
        assert {in_post[p] for p in missed} == {"伍德明"}
        assert {last - 1, last} <= next(iter(missed.values()))
        # The detector opened his case; he stays in post until the committee decides.
        case = DismissalCase.objects.get(contract__person__name="伍德明")
        assert case.grounds.filter(ground__detector="missed_refresher").exists()
        assert "伍德明" in in_post.values()
        assert "training courses" in self.out.getvalue()

    # The year: agreements, months, appraisal, rewards, warnings (issue 8) -------------------

    def test_the_year_in_the_demo(self):
        from agreements.selectors import overdue
        from appraisal.constants import AppraisalState, RewardKind
        from appraisal.models import AnnualAppraisal, Reward, RewardSettlement
        from assessment.constants import MonthState
        from assessment.models import AssessmentMonth, MonthlyScore
        from earlywarnings.models import Warning, YellowCard

        this, last = self.today.year, self.today.year - 1
        # 24 months of two townships published and settled with their slips; this month open.
        for name in ("永宁镇", "龙潭街道"):
            months = AssessmentMonth.objects.filter(township__name=name)
            assert months.filter(state=MonthState.SETTLED).count() == 24
            current = months.get(year=this, month=self.today.month)
            assert (
                current.state == MonthState.OPEN and not current.scores.exclude(total=None).exists()
            )
        scores = MonthlyScore.objects.filter(month__state=MonthState.SETTLED)
        slips = Document.objects.filter(kind="monthly_pay_slip", superseded_by__isnull=True)
        assert scores.count() == slips.count() > 0
        # Agreements: all signed but one, overdue.
        [late] = overdue(today=self.today, county=County.objects.get())
        assert late.person.name == "罗志刚"
        # Appraisals of two years; 永宁镇's last year waits for county HR to confirm.
        confirmed = AnnualAppraisal.objects.filter(state=AppraisalState.CONFIRMED)
        assert set(confirmed.exclude(scheme=None).values_list("year", flat=True)) == {
            last - 1,
            last,
        }
        # …and the two earlier years of the long-service director, from the paper archive.
        assert set(confirmed.filter(scheme=None).values_list("person__name", "year")) == {
            ("陈永福", last - 3),
            ("陈永福", last - 2),
        }
        waiting = AnnualAppraisal.objects.filter(township__name="永宁镇", year=last)
        assert waiting.exists() and not waiting.filter(state=AppraisalState.CONFIRMED).exists()
        assert not RewardSettlement.objects.filter(township__name="永宁镇", year=last).exists()
        assert RewardSettlement.objects.filter(township__name="龙潭街道", year=last).exists()
        # One long-service reward, to the director whose account the demo prints.
        [reward] = Reward.objects.filter(kind=RewardKind.LONG_SERVICE)
        assert reward.person.name == "陈永福"
        assert User.objects.get(username="director_chen").person == reward.person
        # Warnings from the published months, one yellow card.
        assert Warning.objects.exists()
        assert YellowCard.objects.count() == 1

    # The command ---------------------------------------------------------------------------

    def test_command_prints_summary_accounts_and_campaigns(self):
        out, again = self.out.getvalue(), self.again.getvalue()
        assert "150 villages" in out
        assert "recruitment campaigns: 2" in out
        for account in data.ACCOUNTS:
            row = next(line for line in out.splitlines() if line.startswith(account.username + " "))
            assert account.password in row
            with translation.override("en"):
                assert str(Role(account.role).label) in row
        assert "Nothing to create" in again
        assert "Cunpin-2026-admin" in again
        assert "directors imported: 8" in out  # three in post two years, five of the term
        for output in (out, again):
            term = output.split("The contract term in the demo\n", 1)[1]
            for state, place, username in (
                ("Hired, signed and filed", "花江镇", "huajiang_committee"),
                ("In force, two years behind them", "永宁镇第二村", "county_hr"),
                ("Ending soon, renewal review open", "岗乌镇", "gangwu_committee"),
                ("Resignation in its notice period", "上关镇", "shangguan_committee"),
                ("Dismissal case awaiting the statement", "坡贡镇", "pogong_committee"),
                ("Vacancy with an acting person, overdue", "白水镇", "county_hr"),
                ("Vacancy with an acting person ", "新铺镇", "xinpu_committee"),
                ("Vacancy just opened, no acting person", "顶云街道", "county_hr"),
            ):
                row = next(line for line in term.splitlines() if line.startswith(state))
                assert place in row and row.endswith(username), row
        for output in (out, again):
            lines = output.rstrip().splitlines()[-2:]
            assert lines[0].startswith(f"关索街道 · {self.guansuo.title} · ")
            assert "Registration closed" in lines[0]
            assert "guansuo_committee" in lines[0] and "Review the applications" in lines[0]
            assert lines[1].startswith(f"花江镇 · {self.huajiang.title} · ")
            assert "Concluded" in lines[1] and "nothing waits" in lines[1]

    def test_second_load_creates_nothing(self):
        assert _campaign_counts() == self.counts_after_first
        # One query, whatever the machine's speed: tests never assert timings.
        with CaptureQueriesContext(connection) as queries:
            result = demo_campaigns_load()
        assert not result.created and not result.skipped
        assert len(queries) == 1
        assert _campaign_counts() == self.counts_after_first

    def test_a_campaign_that_exists_is_left_alone_and_a_missing_one_replayed(self):
        campaign = self.guansuo
        Campaign.objects.filter(pk=campaign.pk).update(title="关索街道另一次选聘")
        result = demo_campaigns_load()
        assert result.skipped == []
        assert [c.township.name for c in result.created] == ["关索街道"]
        assert Campaign.objects.filter(township__name="花江镇").count() == 1


def test_a_refused_step_leaves_no_campaign_behind_and_is_reported(monkeypatch):
    demo_load()

    def refused(*args, **kwargs):
        raise demo_recruitment.DemoReplayError("POST /apply/1/ answered 400: 报名已截止")

    monkeypatch.setattr(demo_recruitment, "_register", refused)
    documents = Document.objects.count()
    result = demo_campaigns_load()
    assert result.created == []
    year = timezone.localdate().year
    assert [line.split(":")[0] for line in result.skipped] == [
        f"关索街道 {year}年关索街道村级人口主任公开选聘",
        f"花江镇 {year}年花江镇村级人口主任公开选聘",
    ]
    assert "answered 400" in result.skipped[0]
    assert not Campaign.objects.exists()
    assert not Task.objects.exists()
    assert Document.objects.count() == documents
    assert not AuditEntry.objects.filter(content_type__model="campaign").exists()


def test_a_campaign_takes_the_year_it_is_opened_in(monkeypatch):
    """Replayed on 20 January 2025, 关索街道's campaign is opened 25 days earlier, in 2024: its
    title says 2024年. (Only its opening is replayed here: no applicants, no 花江镇.)"""
    monkeypatch.setattr(demo_recruitment, "CAMPAIGNS", (demo_recruitment.GUANSUO,))
    monkeypatch.setattr(demo_recruitment, "_register", lambda *args, **kwargs: {})
    shanghai = timezone.get_default_timezone()
    with time_machine.travel(datetime.datetime(2025, 1, 20, 10, tzinfo=shanghai), tick=False):
        demo_load()
        result = demo_campaigns_load()
        lines = demo_recruitment.demo_campaign_lines()
    assert [c.title for c in result.created] == ["2024年关索街道村级人口主任公开选聘"]
    assert [line.title for line in lines] == ["2024年关索街道村级人口主任公开选聘"]
    # A later load, in another year, finds it and replays nothing.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=shanghai), tick=False):
        again = demo_campaigns_load()
    assert again.created == [] and again.skipped == []


def test_publication_day_counts_back_on_the_working_day_calendar():
    # 2026-10-15 (Thursday): 7 working days after 2026-09-30, across National Day.
    assert demo_recruitment.publication_day(datetime.date(2026, 10, 15), 7) == datetime.date(
        2026, 9, 30
    )
    # A Sunday: the notice ends on the Friday before.
    sunday = datetime.date(2026, 11, 22)
    published = demo_recruitment.publication_day(sunday, 7)
    assert add_working_days(published, 7) == datetime.date(2026, 11, 20)
    assert is_working_day(published)


# The contract term ------------------------------------------------------------------------


def _term_counts() -> dict[str, int]:
    from contracts.models import (
        Contract,
        DismissalCase,
        RenewalReview,
        Resignation,
        Vacancy,
    )
    from notifications.models import Notification

    return {
        "contracts": Contract.objects.count(),
        "vacancies": Vacancy.objects.count(),
        "resignations": Resignation.objects.count(),
        "reviews": RenewalReview.objects.count(),
        "cases": DismissalCase.objects.count(),
        "documents": Document.objects.count(),
        "tasks": Task.objects.count(),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
        "occupied": Post.objects.filter(holder__isnull=False).count(),
    }


OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


class TestDemoTerm(TestCase):
    """A director in every state of the contract term (``demo.term``), made by the services
    with their flows started; loaded once for the class, then loaded again."""

    @classmethod
    def setUpTestData(cls):
        from demo.directors import demo_directors_load
        from demo.term import demo_term_load

        cls.today = timezone.localdate()
        demo_load()
        demo_directors_load()
        cls.imported = demo_term_load()
        cls.counts = _term_counts()
        cls.again = demo_term_load()

    def _contract(self, name: str):
        from contracts.models import Contract

        return Contract.objects.select_related("township", "post", "person").get(
            person__name=name, township__county__name=data.COUNTY["name"]
        )

    def _sees(self, username: str, task: Task) -> bool:
        return User.objects.get(username=username).has_perm(task.owner_permission)

    def test_five_directors_imported_and_a_second_load_changes_nothing(self):
        from demo.term import demo_term_load

        assert (self.imported.imported, self.imported.account_created) == (5, True)
        assert (self.again.imported, self.again.account_created) == (0, False)
        assert _term_counts() == self.counts
        with CaptureQueriesContext(connection) as queries:
            assert demo_term_load().imported == 0
        assert len(queries) == 1

    def test_three_directors_in_force_with_two_years_behind_them(self):
        from contracts.models import Contract

        contracts = Contract.objects.filter(
            origin="import", state="active", person__name__in=["岑国华", "黄美玲", "伍德明"]
        )
        assert {c.township.name for c in contracts} == {"顶云街道", "龙潭街道", "永宁镇"}
        for contract in contracts:
            assert (self.today - contract.start_date).days >= 2 * 365
            assert contract.post.holder_id == contract.person_id

    def test_a_contract_near_its_end_has_its_renewal_review_and_task(self):
        from workflows.flows_renewal import RenewalFlow

        contract = self._contract("王明英")
        assert contract.township.name == "岗乌镇"
        assert contract.state == "expiring"
        assert 0 <= (contract.end_date - self.today).days <= 90
        review = contract.renewal_review
        assert (review.state, review.opened_on) == ("open", self.today)
        task = Task.objects.get(
            process__renewalprocess__review=review, flow_task=RenewalFlow.decide, status__in=OPEN
        )
        assert self._sees("gangwu_committee", task)
        assert not self._sees("xinpu_committee", task)

    def test_a_resignation_in_its_notice_period_waits_for_the_township(self):
        from workflows.flows_endings import ResignationFlow

        contract = self._contract("吴秀芬")
        assert (contract.township.name, contract.state) == ("上关镇", "active")
        resignation = contract.resignations.get()
        assert resignation.state == "requested"
        assert resignation.requested_on == self.today - datetime.timedelta(days=4)
        assert resignation.notice_ends_on > self.today
        assert resignation.requested_by.username == "director_wu"  # on her own account
        task = Task.objects.get(
            process__resignationprocess__resignation=resignation,
            flow_task=ResignationFlow.answer,
            status__in=OPEN,
        )
        assert self._sees("shangguan_committee", task)

    def test_a_dismissal_case_waits_for_the_directors_statement(self):
        from workflows.flows_endings import DismissalFlow

        contract = self._contract("罗志刚")
        assert (contract.township.name, contract.state) == ("坡贡镇", "active")
        case = contract.cases.get()
        assert case.state == "opened"
        assert case.opened_by.username == "pogong_committee"
        assert not case.detected
        assert [g.ground.code for g in case.grounds.all()] == ["major_error"]
        assert case.summary and case.evidence.get().text
        assert case.statement_due >= self.today
        task = Task.objects.get(
            process__dismissalprocess__case=case, flow_task=DismissalFlow.hear, status__in=OPEN
        )
        assert self._sees("pogong_committee", task)

    def test_vacancies_with_acting_persons_one_overdue_and_escalated(self):
        from contracts.models import Vacancy
        from notifications.models import Notification
        from workflows.flows_vacancy import VacancyFlow

        overdue = Vacancy.objects.get(ended_contract=self._contract("赵光明"))
        acting = Vacancy.objects.get(ended_contract=self._contract("胡丽萍"))
        assert (overdue.township.name, acting.township.name) == ("白水镇", "新铺镇")
        for vacancy in (overdue, acting):
            assert vacancy.state == "acting"
            assert vacancy.acting_person.township_id == vacancy.township_id
            assert vacancy.ended_contract.state == "terminated"
            assert vacancy.post.holder_id is None
            task = Task.objects.get(
                process__vacancyprocess__vacancy=vacancy,
                flow_task=VacancyFlow.refill,
                status__in=OPEN,
            )
            assert not Task.objects.filter(
                process__vacancyprocess__vacancy=vacancy,
                flow_task=VacancyFlow.designate_acting,
                status__in=OPEN,
            ).exists()
        assert (self.today - overdue.opened_on).days > 62
        assert overdue.refill_due < self.today and overdue.escalated_on == self.today
        overdue_task = Task.objects.get(
            process__vacancyprocess__vacancy=overdue, flow_task=VacancyFlow.refill, status__in=OPEN
        )
        assert self._sees("county_hr", overdue_task)
        assert Notification.objects.filter(
            user__username="county_hr", key=f"vacancy-overdue-{overdue.pk}"
        ).exists()
        assert acting.refill_due > self.today and acting.escalated_on is None
        assert self._sees("xinpu_committee", task)

    def test_a_vacancy_just_opened_has_no_acting_person_and_its_task_is_open(self):
        from contracts.models import Vacancy
        from workflows.flows_vacancy import VacancyFlow

        vacancy = Vacancy.objects.get(township__name="顶云街道")
        assert (vacancy.state, vacancy.opened_on, vacancy.acting_person) == (
            "open",
            self.today,
            None,
        )
        assert Task.objects.filter(
            process__vacancyprocess__vacancy=vacancy,
            flow_task=VacancyFlow.designate_acting,
            status__in=OPEN,
        ).exists()

    def test_the_summary_names_each_example_its_place_and_account(self):
        from demo.term import demo_term_lines

        with translation.override("zh-hans"):
            lines = {(line.state, line.place, line.username) for line in demo_term_lines()}
        assert ("即将到期，续聘审核中", "岗乌镇新场坝居委会", "gangwu_committee") in lines
        states = [state for state, _place, _user in lines]
        assert len(states) == 9
        for state, _place, username in lines:
            assert User.objects.filter(username=username).exists(), state

    def test_the_resigning_director_signs_in_and_reads_her_term(self):
        account = data.TERM_DIRECTOR_ACCOUNT
        client = Client()
        assert client.login(
            request=HttpRequest(), username=account.username, password=account.password
        )
        contract = self._contract("吴秀芬")
        with translation.override("zh-hans"):
            page = client.get(reverse("my_term:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200
        text = page.content.decode()
        assert "吴秀芬" in text and "上关村" in text
        assert (
            f"{contract.end_date.year}年{contract.end_date.month}月{contract.end_date.day}日"
            in text
        )

    def test_her_password_is_kept_unless_asked_to_reset(self):
        from demo.term import demo_term_account

        account = data.TERM_DIRECTOR_ACCOUNT
        user = User.objects.get(username=account.username)
        user.set_password("Changed-by-her-2026")
        user.save()
        assert demo_term_account() == (user, False)
        assert not _login(account.username, account.password)
        assert demo_term_account(reset_passwords=True) == (user, True)
        assert _login(account.username, account.password)
