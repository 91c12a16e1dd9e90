"""Eligibility review and waivers: the checklist and decision with the eligibility result, the
refusals (wrong state, wrong role, other township), the scoped photo and scans, and the waiver
flow with its audit trail."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, include, path, reverse

from accounts.constants import Role
from audit.models import AuditEntry
from audit.services import audit_trail
from paperwork.models import Document, DocumentKind
from paperwork.selectors import document_current
from recruitment.constants import (
    ApplicationState,
    AttachmentKind,
    CampaignState,
    EligibilityRule,
    WaiverDecision,
)
from recruitment.models import Application, Attachment, Campaign, Waiver
from recruitment.selectors import applications_pending_review
from recruitment.services.applications import eligibility_checks
from recruitment.services.review import application_review, waiver_decide, waiver_request
from tests.builders import CampaignBuilder, build
from tests.factories import TownshipFactory, UserFactory, make_id_number
from tests.test_recruitment_public import (
    PDF_BYTES,
    birth_for_age,
    english,  # noqa: F401  (autouse fixture)
    fresh_cache,  # noqa: F401  (autouse fixture)
    image_bytes,
    make_campaign,
    pdf_text,
)

pytestmark = pytest.mark.django_db

# Until the staff site mounts recruitment.urls at /recruitment/, these tests mount it here.
urlpatterns = [
    path("recruitment/", include("recruitment.urls")),
    path("", include("config.urls")),
]


@pytest.fixture(autouse=True)
def staff_urls(settings):
    try:
        reverse("recruitment:review_list", args=[1])
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__


def grant(user, *codenames: str):
    """Grant a recruitment permission the user's role does not carry."""
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="recruitment", codename=codename)
        )
    # Drop the permission caches.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


class World:
    def __init__(self, policy):
        self.township = TownshipFactory(county=policy.county, name="关索街道")
        self.foreign_township = TownshipFactory(county=policy.county, name="花江镇")
        self.campaign = make_campaign(
            policy=policy, township=self.township, state=CampaignState.REGISTRATION_CLOSED
        )
        self.foreign_campaign = make_campaign(
            policy=policy,
            township=self.foreign_township,
            state=CampaignState.REGISTRATION_CLOSED,
            villages=("和平村",),
        )
        county = policy.county
        # The roles carry recruitment.run_campaign and recruitment.approve_waiver.
        self.committee = self.member("committee", self.township)
        self.committee2 = self.member("committee2", self.township)
        self.foreign_committee = self.member("foreign_committee", self.foreign_township)
        self.office = UserFactory(
            username="office", role=Role.TOWNSHIP_OFFICE, county=county, township=self.township
        )
        self.hr = UserFactory(username="hr", role=Role.COUNTY_HR, county=county)
        self.hr2 = UserFactory(username="hr2", role=Role.COUNTY_HR, county=county)

    def builder(self) -> CampaignBuilder:
        """The campaign taken forward by the committee member (waivers by the county)."""
        return build(self.campaign, committee=self.committee, hr=self.hr)

    @staticmethod
    def member(username: str, township):
        return UserFactory(
            username=username,
            role=Role.TOWNSHIP_COMMITTEE,
            county=township.county,
            township=township,
        )


@pytest.fixture
def world(policy):
    return World(policy)


def make_application(
    campaign: Campaign, *, name: str = "罗昇", age: int = 30, education: str = "high_school"
) -> Application:
    """An application as submitted, made directly on a campaign past its registration: these
    tests are about the review, and some need an applicant the public form refuses (over the
    age limit, below the minimum education), whose failed checks the review pages show."""
    birth = birth_for_age(campaign, age)
    number = make_id_number(birth)
    application = Application.objects.create(
        campaign=campaign,
        offer=campaign.offers.order_by("pk").first(),
        name=name,
        id_number=number,
        birth_date=birth,
        sex="M",
        phone="13987654321",
        education=education,
        school="关岭民族高级中学",
        graduation_year=2014,
        household_registration="贵州省关岭自治县关索街道",
        age_at_deadline=age,
        checks=eligibility_checks(
            campaign=campaign, birth_date=birth, education=education, id_number=number
        ),
    )
    photo = Attachment(
        application=application,
        kind=AttachmentKind.PHOTO,
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
    )
    photo.file.save("photo.jpg", ContentFile(image_bytes()), save=False)
    photo.save()
    scan = Attachment(
        application=application,
        kind=AttachmentKind.EDUCATION_CERTIFICATE,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )
    scan.file.save("diploma.pdf", ContentFile(PDF_BYTES), save=False)
    scan.save()
    return application


def all_passed(**failed: str) -> list[dict]:
    """The checklist with every rule ticked except ``failed`` (rule → reason)."""
    return [
        {"rule": rule, "passed": rule not in failed, "detail": failed.get(rule, "")}
        for rule in EligibilityRule.values
    ]


def review_post(**failed: str) -> dict:
    data = {}
    for rule in EligibilityRule.values:
        if rule not in failed:
            data[f"passed_{rule}"] = "on"
        data[f"reason_{rule}"] = failed.get(rule, "")
    return data


def result_of(application: Application) -> Document:
    document = document_current(kind=DocumentKind.ELIGIBILITY_RESULT, subject=application)
    assert document is not None, "no eligibility result"
    return document


def has_result(application: Application) -> bool:
    return document_current(kind=DocumentKind.ELIGIBILITY_RESULT, subject=application) is not None


# Reviewing through the pages ---------------------------------------------------------------------


def test_the_list_shows_the_campaigns_applications_with_filters(client, world):
    a = make_application(world.campaign, name="罗昇")
    b = make_application(world.campaign, name="王晓燕", education="junior_high")
    client.force_login(world.committee)
    url = reverse("recruitment:review_list", args=[world.campaign.pk])
    page = client.get(url).content.decode()
    assert a.name in page and b.name in page
    assert a.id_number not in page and a.masked_id_number in page
    assert "2 applications wait for review." in page
    filtered = client.get(url, {"q": "王"}).content.decode()
    assert b.name in filtered and a.name not in filtered
    assert list(applications_pending_review(world.campaign)) == [a, b]


@pytest.mark.parametrize(
    ("who", "status"),
    [("committee", 200), ("hr", 200), ("office", 403), ("foreign_committee", 404)],
)
def test_who_may_open_the_list_and_an_application(client, world, who, status):
    application = make_application(world.campaign)
    client.force_login(getattr(world, who))
    assert client.get(reverse("recruitment:review_list", args=[world.campaign.pk])).status_code == (
        status
    )
    assert (
        client.get(reverse("recruitment:review_application", args=[application.pk])).status_code
        == status
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    application = make_application(world.campaign)
    response = client.get(reverse("recruitment:review_application", args=[application.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_checklist_starts_from_the_automatic_checks(client, world):
    application = make_application(world.campaign)
    client.force_login(world.committee)
    page = client.get(reverse("recruitment:review_application", args=[application.pk]))
    form = page.context["review_form"]
    assert form["passed_age"].value() is True
    assert form["passed_education"].value() is True
    assert form["passed_id_number"].value() is True
    # Household and documents wait for the reviewer to look at the scans.
    assert form["passed_household"].value() is False
    assert form["passed_documents"].value() is False
    photo = application.attachments.get(kind=AttachmentKind.PHOTO)
    assert reverse("recruitment:application_attachment", args=[photo.pk]) in page.content.decode()


def test_a_committee_member_marks_an_application_eligible(client, world):
    application = make_application(world.campaign)
    client.force_login(world.committee)
    url = reverse("recruitment:review_application", args=[application.pk])
    response = client.post(url, {**review_post(), "decision": "eligible", "note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE
    assert application.reviewed_by == world.committee
    assert all(c["passed"] for c in application.checks)
    assert len(application.checks) == len(EligibilityRule.values)
    result = result_of(application)
    assert result.transition == "mark_eligible"
    assert result.person is None
    text = pdf_text(result)
    assert "符合报考资格条件" in text and "不符合报考资格条件" not in text
    assert application.masked_id_number in text and application.id_number not in text
    entry = audit_trail(application).get(transition="mark_eligible")
    assert entry.actor == world.committee
    assert entry.before["state"] == "submitted" and entry.after["state"] == "eligible"


def test_a_committee_member_marks_an_application_ineligible_with_reasons(client, world):
    application = make_application(world.campaign)
    client.force_login(world.committee)
    url = reverse("recruitment:review_application", args=[application.pk])
    data = {
        **review_post(household="户籍不在本乡镇，户口簿显示为花江镇"),
        "decision": "ineligible",
        "note": "户籍不符合公告条件",
    }
    assert client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.INELIGIBLE
    assert application.review_note == "户籍不符合公告条件"
    text = pdf_text(result_of(application))
    assert "不符合报考资格条件" in text
    assert "户籍不在本乡镇，户口簿显示为花江镇" in text
    assert "户籍不符合公告条件" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {**review_post(documents="学历证书模糊"), "decision": "eligible", "note": ""},
            "An eligible application passes every rule",
        ),
        (
            {**review_post(), "decision": "ineligible", "note": "不符合"},
            "An ineligible application fails at least one rule",
        ),
        (
            {**review_post(documents="学历证书为伪造"), "decision": "ineligible", "note": ""},
            "Write a note explaining the decision.",
        ),
        (
            {**review_post(documents=""), "decision": "ineligible", "note": "材料不全"},
            "Give the reason for each failed rule",
        ),
    ],
    ids=["eligible-with-a-failed-rule", "ineligible-without-a-failed-rule", "no-note", "no-reason"],
)
def test_inconsistent_decisions_are_refused_and_change_nothing(client, world, data, message):
    application = make_application(world.campaign)
    client.force_login(world.committee)
    url = reverse("recruitment:review_application", args=[application.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert not has_result(application)


def test_review_waits_for_registration_to_close(world):
    open_campaign = make_campaign(
        policy=world.campaign.policy, township=world.township, villages=("板贵村",)
    )
    application = make_application(open_campaign)
    with pytest.raises(ValidationError, match="after registration closes"):
        application_review(
            application=application,
            by=world.committee,
            eligible=True,
            checks=all_passed(),
            note="",
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_an_application_is_reviewed_once(world):
    application = make_application(world.campaign)
    application_review(
        application=application, by=world.committee, eligible=True, checks=all_passed(), note=""
    )
    with pytest.raises(ValidationError, match="already been reviewed"):
        application_review(
            application=application,
            by=world.committee2,
            eligible=False,
            checks=all_passed(age="x"),
            note="改判",
        )


@pytest.mark.parametrize(("who", "status"), [("office", 403), ("foreign_committee", 404)])
def test_the_wrong_role_or_township_cannot_review(client, world, who, status):
    application = make_application(world.campaign)
    client.force_login(getattr(world, who))
    url = reverse("recruitment:review_application", args=[application.pk])
    response = client.post(url, {**review_post(), "decision": "eligible", "note": ""})
    assert response.status_code == status
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_a_county_officer_without_the_committee_permission_cannot_review(world):
    application = make_application(world.campaign)
    officer = UserFactory(username="plain_hr", role=Role.COUNTY_HR, county=world.township.county)
    assert not officer.has_perm("recruitment.run_campaign")
    with pytest.raises(PermissionDenied):
        application_review(
            application=application, by=officer, eligible=True, checks=all_passed(), note=""
        )


def test_a_failing_result_letter_leaves_the_application_unreviewed(world, monkeypatch):
    from recruitment.documents import applicant

    def broken(**kwargs):
        raise RuntimeError("printer on fire")

    application = make_application(world.campaign)
    monkeypatch.setattr(applicant, "document_issue", broken)
    with pytest.raises(RuntimeError):
        application_review(
            application=application,
            by=world.committee,
            eligible=True,
            checks=all_passed(),
            note="",
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.reviewed_by is None
    assert not audit_trail(application).exists()


# Photo and scans ----------------------------------------------------------------------------


def test_photo_and_scans_are_served_only_in_scope(client, world):
    application = make_application(world.campaign)
    photo = application.attachments.get(kind=AttachmentKind.PHOTO)
    scan = application.attachments.get(kind=AttachmentKind.EDUCATION_CERTIFICATE)
    client.force_login(world.committee)
    response = client.get(reverse("recruitment:application_attachment", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in response.get("Content-Disposition", "")
    response = client.get(reverse("recruitment:application_attachment", args=[scan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(world.foreign_committee)
    url = reverse("recruitment:application_attachment", args=[photo.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.office)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    # Never under the public media URL.
    assert not photo.file.url.startswith("/apply/")


# Waivers ------------------------------------------------------------------------------------


def ineligible(world, **failed: str) -> Application:
    application = make_application(world.campaign)
    application_review(
        application=application,
        by=world.committee,
        eligible=False,
        checks=all_passed(**failed),
        note="不符合公告条件",
    )
    application.refresh_from_db()
    return application


def test_waiver_flow_through_the_pages_with_its_audit_trail(client, world):
    application = ineligible(world, household="户籍在邻县，婚后迁入手续正在办理")
    first_result = result_of(application)

    client.force_login(world.committee)
    detail = client.get(reverse("recruitment:review_application", args=[application.pk]))
    assert reverse("recruitment:waiver_request", args=[application.pk]) in detail.content.decode()
    url = reverse("recruitment:waiver_request", args=[application.pk])
    short = client.post(url, {"rule": "household", "justification": "请批准"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()
    justification = "申请人已与本村村民结婚并长期居住，户口迁移手续正在办理，村两委出具了证明。"
    assert (
        client.post(url, {"rule": "household", "justification": justification}).status_code == 302
    )
    waiver = Waiver.objects.get(application=application)
    assert waiver.decision == WaiverDecision.PENDING

    client.force_login(world.hr)
    listing = client.get(reverse("recruitment:waiver_list")).content.decode()
    assert reverse("recruitment:waiver_decide", args=[waiver.pk]) in listing
    decide = reverse("recruitment:waiver_decide", args=[waiver.pk])
    assert client.get(decide).status_code == 200
    note = "情况属实，同意放宽户籍条件。"
    assert client.post(decide, {"decision": "approve", "note": note}).status_code == 302

    application.refresh_from_db()
    waiver.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE
    assert waiver.decision == WaiverDecision.APPROVED
    assert waiver.decided_by == world.hr and waiver.decided_at is not None

    # The new result supersedes the old one and says the county waived the rule.
    new_result = result_of(application)
    assert new_result.pk != first_result.pk and new_result.supersedes_id == first_result.pk
    assert new_result.transition == "waive"
    text = pdf_text(new_result)
    county = application.campaign.township.county.hr_office
    assert "符合报考资格条件" in text
    assert f"经{county}批准予以放宽" in text
    assert "经县批准放宽" in text

    # Who asked, who approved, when and why.
    requested = audit_trail(waiver).get(transition="waiver_request")
    decided = audit_trail(waiver).get(transition="waiver_approve")
    waived = audit_trail(application).get(transition="waive")
    assert (requested.actor, requested.reason) == (world.committee, justification)
    assert (decided.actor, decided.reason) == (world.hr, note)
    assert (waived.actor, waived.reason) == (world.hr, note)
    assert requested.at <= decided.at <= waived.at
    assert waived.before == {"state": "ineligible"} and waived.after["state"] == "eligible"
    # Both show on the application's page.
    client.force_login(world.committee)
    page = client.get(reverse("recruitment:review_application", args=[application.pk]))
    assert justification in page.content.decode() and note in page.content.decode()


def test_a_waiver_approved_after_the_tickets_asks_for_an_admission_number(client, world):
    application = ineligible(world, household="户籍在邻县")
    world.builder().finish_review()  # the tickets are issued
    waiver = waiver_request(
        application=application,
        rule="household",
        justification="长期在本村居住，请予放宽。",
        by=world.committee,
    )
    client.force_login(world.hr)
    decide = reverse("recruitment:waiver_decide", args=[waiver.pk])
    response = client.post(decide, {"decision": "approve", "note": "同意。"}, follow=True)
    assert "must give this applicant an admission number" in response.content.decode()
    client.force_login(world.committee)
    page = client.get(reverse("recruitment:review_application", args=[application.pk]))
    assert "must give this applicant an admission number" in page.content.decode()


def test_a_rejected_waiver_leaves_the_application_ineligible(world):
    application = ineligible(world, household="户籍在邻县")
    waiver = waiver_request(
        application=application,
        rule="household",
        justification="长期在本村居住，请予放宽。",
        by=world.committee,
    )
    waiver_decide(waiver=waiver, approve=False, note="户籍条件不宜放宽。", by=world.hr)
    application.refresh_from_db()
    assert application.state == ApplicationState.INELIGIBLE
    assert Document.objects.filter(kind=DocumentKind.ELIGIBILITY_RESULT).count() == 1
    assert audit_trail(waiver).filter(transition="waiver_reject", actor=world.hr).exists()


def test_every_failed_rule_must_be_waived_before_the_application_is_eligible(world):
    application = ineligible(world, household="户籍在邻县", documents="缺少户口簿")
    first = waiver_request(
        application=application,
        rule="household",
        justification="长期在本村居住，请予放宽。",
        by=world.committee,
    )
    waiver_decide(waiver=first, approve=True, note="同意。", by=world.hr)
    application.refresh_from_db()
    assert application.state == ApplicationState.INELIGIBLE
    second = waiver_request(
        application=application,
        rule="documents",
        justification="户口簿已遗失，派出所证明在案。",
        by=world.committee2,
    )
    waiver_decide(waiver=second, approve=True, note="同意。", by=world.hr2)
    application.refresh_from_db()
    assert application.state == ApplicationState.ELIGIBLE


def test_nobody_decides_their_own_waiver(client, world):
    application = ineligible(world, household="户籍在邻县")
    grant(world.committee, "approve_waiver")
    waiver = waiver_request(
        application=application,
        rule="household",
        justification="长期在本村居住，请予放宽。",
        by=world.committee,
    )
    with pytest.raises(PermissionDenied, match="another officer must decide it"):
        waiver_decide(waiver=waiver, approve=True, note="同意。", by=world.committee)
    client.force_login(world.committee)
    decide = reverse("recruitment:waiver_decide", args=[waiver.pk])
    assert client.post(decide, {"decision": "approve", "note": "同意。"}).status_code == 403
    waiver.refresh_from_db()
    application.refresh_from_db()
    assert waiver.decision == WaiverDecision.PENDING
    assert application.state == ApplicationState.INELIGIBLE


def test_a_committee_member_cannot_decide_waivers(client, world):
    application = ineligible(world, household="户籍在邻县")
    waiver = waiver_request(
        application=application,
        rule="household",
        justification="长期在本村居住，请予放宽。",
        by=world.committee,
    )
    assert not world.committee2.has_perm("recruitment.approve_waiver")
    with pytest.raises(PermissionDenied):
        waiver_decide(waiver=waiver, approve=True, note="同意。", by=world.committee2)
    client.force_login(world.committee2)
    assert client.get(reverse("recruitment:waiver_list")).status_code == 403


def test_waiver_refusals_in_the_wrong_state(world):
    eligible = make_application(world.campaign, name="韦春燕")
    application = ineligible(world, household="户籍在邻县")
    application_review(
        application=eligible, by=world.committee, eligible=True, checks=all_passed(), note=""
    )
    run = world.builder().finish_review()  # waivers are possible until the exams
    with pytest.raises(ValidationError, match="Only an ineligible application"):
        waiver_request(
            application=eligible,
            rule="age",
            justification="这是一段足够长的理由说明。",
            by=world.committee,
        )

    with pytest.raises(ValidationError, match="Only a rule the application failed"):
        waiver_request(
            application=application,
            rule="education",
            justification="这是一段足够长的理由说明。",
            by=world.committee,
        )
    waiver = waiver_request(
        application=application,
        rule="household",
        justification="这是一段足够长的理由说明。",
        by=world.committee,
    )
    with pytest.raises(ValidationError, match="already waiting"):
        waiver_request(
            application=application,
            rule="household",
            justification="这是另一段足够长的理由。",
            by=world.committee2,
        )
    with pytest.raises(ValidationError, match="Write a note"):
        waiver_decide(waiver=waiver, approve=True, note=" ", by=world.hr)

    waiver_decide(waiver=waiver, approve=False, note="不同意。", by=world.hr)
    with pytest.raises(ValidationError, match="already been decided"):
        waiver_decide(waiver=waiver, approve=True, note="同意。", by=world.hr2)

    # After the exams nothing can be waived any more.
    again = waiver_request(
        application=application,
        rule="household",
        justification="补充了村两委的居住证明。",
        by=world.committee,
    )
    run.to(CampaignState.EXAMINED)  # 韦春燕 sat both exams
    with pytest.raises(ValidationError, match="between the close of registration and the exams"):
        waiver_decide(waiver=again, approve=True, note="同意。", by=world.hr)
    again.refresh_from_db()
    assert again.decision == WaiverDecision.PENDING


def test_a_waiver_of_another_township_is_out_of_reach(client, world):
    application = ineligible(world, household="户籍在邻县")
    client.force_login(world.foreign_committee)
    url = reverse("recruitment:waiver_request", args=[application.pk])
    assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        waiver_request(
            application=application,
            rule="household",
            justification="这是一段足够长的理由说明。",
            by=world.foreign_committee,
        )
    assert not Waiver.objects.exists()


def test_documents_are_about_the_application_without_a_person(world):
    application = ineligible(world, household="户籍在邻县")
    document = result_of(application)
    assert document.content_type == ContentType.objects.get_for_model(Application)
    assert document.object_id == application.pk
    assert document.township == world.township
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id=document.pk
    ).exists()
