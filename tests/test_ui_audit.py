"""Change logs read as plain language: steps and states by their names, records by name,
local times, lists as text, hashes shortened, identity numbers masked, and the audit page's
queries do not grow with what its entries name."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_fsm import FSMField

from audit.display import all_transition_labels, describe_entries, transition_labels
from audit.models import AuditEntry
from audit.services import audit_record, audit_trail, audited_transition
from recruitment.constants import CampaignState
from recruitment.models import Application, Campaign, CampaignPost
from tests.builders import committee_member, county_officer, make_campaign
from tests.factories import PersonFactory, VillageFactory, make_id_number
from tests.matrix_support import make_document

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def committee(township):
    return committee_member(township, first_name="志强", last_name="伍")


@pytest.fixture
def campaign(township, policy, committee):
    return make_campaign(township, policy, committee, state=CampaignState.RANKED)


def rows(entries, language="zh-hans"):
    with translation.override(language):
        return {
            view.entry.pk: (view.what, [(c.label, c.before, c.after) for c in view.changes])
            for view in describe_entries(entries)
        }


def test_a_transition_reads_by_its_name_states_by_label_and_dates_in_local_format(
    campaign, committee
):
    with audited_transition(campaign, "publicise", by=committee):
        campaign.publicise(
            starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 16)
        )
    entry = audit_trail(campaign).get(transition="publicise")
    what, changes = rows([entry], "en")[entry.pk]
    assert what == "State change · Publicise the proposed hires"
    assert ("State", "Ranked", "Proposed hires publicised") in changes
    assert ("Public notice ends", "", "Oct. 16, 2026") in changes
    what, changes = rows([entry])[entry.pk]
    assert "publicise" not in what and "ranked" not in str(changes)
    assert ("公示截止日期", "", "2026年10月16日") in changes


def test_references_read_by_name_and_times_in_shanghai(campaign, committee):
    entry = audit_record(
        obj=campaign,
        action=AuditEntry.Action.UPDATE,
        by=committee,
        before={"approved_by_id": None},
        after={"approved_by_id": committee.pk, "announced_at": "2026-10-16T07:45:00Z"},
    )
    _what, changes = rows([entry])[entry.pk]
    assert ("公告审批人", "", "伍志强") in changes
    assert ("公告发布时间", "", "2026年10月16日 15:45") in changes


def test_offers_read_as_villages_and_posts(township, policy, committee):
    campaign = make_campaign(township, policy, committee, state=CampaignState.DRAFT)
    north = VillageFactory(township=township, name="北口村")
    foot = VillageFactory(township=township, name="关脚村")
    entry = audit_record(
        obj=campaign,
        action=AuditEntry.Action.CREATE,
        by=committee,
        after={
            "offers": [
                {"village": north.pk, "seats": 2, "posts": [1, 2]},
                {"village": foot.pk, "seats": 1, "posts": [3]},
            ],
            "min_education": "junior_college",
        },
    )
    _what, changes = rows([entry], "en")[entry.pk]
    assert ("Posts offered", "", "北口村 2 posts, 关脚村 1 post") in changes
    assert ("Minimum education", "", "Junior college (大专)") in changes
    _what, changes = rows([entry])[entry.pk]
    offers = dict((label, after) for label, _before, after in changes)["选聘岗位"]
    assert offers == "北口村 2 个岗位、关脚村 1 个岗位"


def test_choices_identity_and_hashes(open_campaign):
    application = open_campaign().apply("王堃", education="junior_college")
    entry = audit_record(
        obj=application,
        action=AuditEntry.Action.CREATE,
        by=None,
        transition="submit",
        after={
            "sex": "M",
            "education": "junior_college",
            "id_number": application.id_number,
            "phone": "13812345678",
            "birth_date": "1995-06-01",
            "attachments": [
                {"kind": "photo", "size": 7121, "sha256": "ec" * 32},
                {"kind": "education_certificate", "size": 44010, "sha256": "36" * 32},
            ],
        },
    )
    what, changes = rows([entry])[entry.pk]
    text = str(changes)
    assert what == "新建 · 报名"
    assert ("性别", "", "男") in changes and ("学历", "", "大专") in changes
    assert ("手机号码", "", "138****5678") in changes
    assert ("出生日期", "", "1995-**-**") in changes
    assert application.id_number not in text and application.masked_id_number in text
    assert ("上传材料", "", "照片、学历证书") in changes
    assert "ecec" not in text and "7121" not in text


def test_a_document_entry_leaves_out_the_storage_and_shortens_the_hash(campaign, committee):
    person = PersonFactory(township=campaign.township)
    document = make_document(person, title="拟聘用人员公示")
    audit_record(
        obj=document,
        action=AuditEntry.Action.CREATE,
        by=committee,
        transition="publicise",
        after={
            "kind": "public_notice",
            "sha256": "c2aada40320463926b51356cc7d263510cdcb4cbf371cb292f7a8b55e484aa7d",
            "file": "documents/2026/11/public_notice-K19Q9EJH1T.pdf",
            "template_version": "1",
        },
    )
    entry = AuditEntry.objects.filter(transition="publicise").get()
    what, changes = rows([entry])[entry.pk]
    assert what.endswith("公示拟聘用人员")
    text = str(changes)
    assert "c2aada4032…" in text and "c2aada40320463926b" not in text
    assert ".pdf" not in text and "模板" not in text


def test_the_flow_keys_of_an_escalation_read_as_people_say_them(campaign, committee):
    entry = audit_record(
        obj=campaign,
        action=AuditEntry.Action.UPDATE,
        by=None,
        transition="escalate",
        before={"task": "review_applications", "task_id": 9, "owner_id": committee.pk},
        after={
            "task": "review_applications",
            "task_id": 9,
            "owner_id": None,
            "owner_permission": f"workflows.county_hr@{campaign.township.county_id}",
            "status": "NEW",
        },
    )
    what, changes = rows([entry], "en")[entry.pk]
    assert what == "Changed · Overdue task handed to the county"
    assert ("Assigned to", "伍志强", "") in changes
    assert ("Waiting for", "", "the county's HR officers") in changes
    assert "9" not in str(changes)


# Every step has a name -----------------------------------------------------------------------


def recorded_step_names() -> set[str]:
    """Every step name the code records in an audit entry or on a document."""
    names: set[str] = set()
    for app in (
        "audit",
        "paperwork",
        "organisation",
        "people",
        "policy",
        "contracts",
        "recruitment",
        "workdays",
        "workflows",
    ):
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                for keyword in node.keywords:
                    if keyword.arg == "transition":
                        for value in ast.walk(keyword.value):
                            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                                names.add(value.value)
                if (
                    name in ("audited_transition", "transition", "issue_for")
                    and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                ):
                    names.add(node.args[1].value)
    names.discard("")
    return names


def fsm_transition_names(model) -> set[str]:
    names = set()
    for field in model._meta.fields:
        if isinstance(field, FSMField):
            names |= {t.name for t in field.get_all_transitions(model)}
    return names


def test_every_recorded_step_and_every_transition_has_a_label():
    labels = all_transition_labels()
    missing = sorted(name for name in recorded_step_names() if name not in labels)
    assert not missing, missing
    for model in apps.get_models():
        own = transition_labels(model)
        unlabelled = sorted(fsm_transition_names(model) - set(own))
        assert not unlabelled, f"{model.__name__}: {unlabelled}"
    assert {"publicise", "keep_in_reserve", "submit", "escalate"} <= set(labels)


# Pages ------------------------------------------------------------------------------------------


def fill_log(campaign, committee, count: int, start: int = 0) -> None:
    """Entries naming different villages, users and offers. The records are only there to
    be named: they are made directly, and only the entries below speak of them."""
    for index in range(start, start + count):
        village = VillageFactory.create(township=campaign.township, name=f"第{index}村")
        offer = CampaignPost.objects.create(campaign=campaign, village=village, seats=1)
        user = committee_member(campaign.township, first_name=f"{index}", last_name="李")
        audit_record(
            obj=campaign,
            action=AuditEntry.Action.UPDATE,
            by=user,
            before={"approved_by_id": committee.pk},
            after={
                "approved_by_id": user.pk,
                "offers": [{"village": village.pk, "seats": 1, "posts": []}],
            },
        )
        application = Application.objects.create(
            campaign=campaign,
            offer=offer,
            name=f"申请人{index}",
            id_number=make_id_number(),
            birth_date=datetime.date(1990, 5, 17),
            sex="M",
            phone="13812345678",
            education="high_school",
            school="关岭民族中学",
            graduation_year=2008,
            household_registration="贵州省关岭自治县关索街道",
            age_at_deadline=35,
        )
        audit_record(
            obj=application,
            action=AuditEntry.Action.UPDATE,
            by=user,
            before={"offer_id": None},
            after={"offer_id": offer.pk, "campaign_id": campaign.pk},
        )


def test_the_audit_page_names_records_with_a_constant_number_of_queries(
    client, county, campaign, committee
):
    officer = county_officer(county)
    client.force_login(officer)
    fill_log(campaign, committee, 2)
    client.get(reverse("audit:list"))
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("audit:list"))
    assert "第1村" in response.content.decode()
    fill_log(campaign, committee, 12, start=2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("audit:list"))
    html = response.content.decode()
    assert "第13村" in html and "李13" in html
    assert len(large) == len(small)


def test_campaign_page_change_log_speaks_chinese(client, campaign, committee):
    with audited_transition(campaign, "publicise", by=committee):
        campaign.publicise(
            starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 16)
        )
    client.force_login(committee)
    html = client.get(reverse("recruitment:campaign_detail", args=[campaign.pk])).content.decode()
    assert "公示拟聘用人员" in html
    assert "已排名 → 拟聘用人员公示中" in html
    assert not re.search(r"\b(publicise|ranked|publicised)\b", html.split("<main", 1)[-1])


def test_entries_of_many_records_take_one_query_per_referenced_model(campaign, committee):
    opened = AuditEntry.objects.count()  # the campaign's own trail, before the log is filled
    fill_log(campaign, committee, 5)
    entries = list(AuditEntry.objects.order_by("pk")[opened:])
    with CaptureQueriesContext(connection) as queries:
        views = describe_entries(entries)
    # users, villages, offers, campaigns (content types are cached)
    assert len(queries) <= 4
    assert all(isinstance(c.after, str) for v in views for c in v.changes)
    assert Application.objects.count() == 5 and Campaign.objects.count() == 1


def test_an_application_names_the_village_it_applied_for(campaign, committee):
    fill_log(campaign, committee, 3)
    entries = list(AuditEntry.objects.filter(content_type__model="application"))
    with CaptureQueriesContext(connection) as queries:
        views = describe_entries(entries)
    assert len(queries) == 2  # one for the offers (with their villages), one for the campaigns
    assert {c.after for v in views for c in v.changes} >= {"第0村", "第2村"}


def test_a_user_record_is_named_by_display_name_not_username(client, county, committee):
    officer = county_officer(county)
    audit_record(obj=committee, action=AuditEntry.Action.CREATE, by=None, after={"role": "x"})
    client.force_login(officer)
    html = client.get(reverse("audit:list")).content.decode()
    assert "伍志强" in html and committee.username not in html.split("<main", 1)[-1]
