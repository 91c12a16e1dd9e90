"""Public registration: the live check, the submission with its uploads and registration form,
the status lookup, the applicant's own downloads and the rate limits, through the test client."""

import datetime
import io
import os
import re
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from audit.models import AuditEntry
from audit.services import audit_trail
from core.files import discard_uncommitted
from core.identity import mask_id_number
from paperwork.models import Document, DocumentKind
from paperwork.services import DocumentIssueError
from people.models import Person
from recruitment.constants import ApplicationState, AttachmentKind, CampaignState
from recruitment.models import Application, Attachment, Campaign, CampaignPost
from recruitment.services import applications as applications_service
from recruitment.services.applications import (
    application_submit,
    eligibility_checks,
    live_problems,
)
from tests.builders import birth_for_age, make_campaign
from tests.factories import (
    PersonFactory,
    TownshipFactory,
    make_id_number,
    make_pdf,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


# Fixtures and helpers (shared with tests/test_recruitment_review.py) ------------------------


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English (the msgids), whatever the Chinese catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (300, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(buffer, format=fmt)
    return buffer.getvalue()


def photo(name: str = "photo.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or image_bytes(), content_type="image/jpeg")


PDF_BYTES = make_pdf()


def pdf_scan(name: str = "diploma.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def applicant_data(campaign: Campaign, **overrides) -> dict:
    data = {
        "offer": campaign.offers.order_by("village__name")[0].pk,
        "name": "罗昇",
        "id_number": make_id_number(birth_for_age(campaign, 30)),
        "phone": "13987654321",
        "education": "high_school",
        "school": "关岭民族高级中学",
        "graduation_year": "2014",
        "household_registration": "贵州省关岭自治县关索街道",
        "pledge": "on",
        "photo": photo(),
        "education_certificate": [pdf_scan()],
    }
    data.update(overrides)
    return data


def submit(client, campaign: Campaign, **overrides):
    return client.post(
        reverse("apply:campaign_detail", args=[campaign.pk]), applicant_data(campaign, **overrides)
    )


def service_submit(campaign: Campaign, **overrides) -> Application:
    """Register through the service, as the public form does."""
    data = applicant_data(campaign, **overrides)
    offer = CampaignPost.objects.get(pk=data.pop("offer"))
    files = {
        "photo": data.pop("photo"),
        "education_certificate": data.pop("education_certificate"),
        "other": data.pop("other", []),
    }
    data.pop("pledge")
    return application_submit(campaign=campaign, offer=offer, data=data, files=files)


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def stored_upload_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "applications"
    if not root.exists():
        return set()
    return {str(p) for p in root.rglob("*") if p.is_file()}


def errors_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def campaign(policy):
    return make_campaign(policy=policy)


# Pages ---------------------------------------------------------------------------------------


def test_open_campaigns_list_shows_announced_ones_only(client, policy):
    open_one = make_campaign(policy=policy)
    draft = make_campaign(
        policy=policy, township=TownshipFactory(county=policy.county), state=CampaignState.DRAFT
    )
    response = client.get(reverse("apply:campaign_list"))
    assert response.status_code == 200
    assert open_one.title in response.content.decode()
    assert draft.title not in response.content.decode()
    # A draft is not public at all.
    assert client.get(reverse("apply:campaign_detail", args=[draft.pk])).status_code == 404


def test_campaign_page_states_the_rules_and_offers_the_form(client, campaign):
    response = client.get(reverse("apply:campaign_detail", args=[campaign.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Aged 40 or younger on the registration deadline" in page
    assert "新寨村" in page and "坡贡村" in page
    assert 'name="id_number"' in page
    assert "recruitment/apply.js" in page
    assert "language" in page  # the switcher


# The live check --------------------------------------------------------------------------------


def check(client, campaign, **fields):
    return client.post(reverse("apply:check", args=[campaign.pk]), fields)


def test_live_check_reports_the_age_rule_with_the_computed_age(client, campaign):
    too_old = make_id_number(birth_for_age(campaign, 41))
    response = check(client, campaign, id_number=too_old, education="high_school")
    assert response.status_code == 200
    deadline = campaign.registration_end.isoformat()
    assert response.json() == {
        "id_number": "Applicants must be 40 or younger on the registration deadline "
        f"({deadline}); by your ID number you will be 41."
    }


def test_live_check_reports_a_wrong_check_digit_and_low_education(client, campaign):
    number = make_id_number(birth_for_age(campaign, 30))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    answer = check(client, campaign, id_number=wrong, education="junior_high").json()
    assert "check digit" in answer["id_number"]
    assert "The minimum education is High school (高中) or above" in answer["education"]


def test_live_check_is_quiet_for_a_good_applicant_and_never_reveals_an_application(
    client, campaign
):
    application = service_submit(campaign)
    answer = check(client, campaign, id_number=application.id_number, education="bachelor")
    assert answer.json() == {}


def test_live_check_ignores_empty_fields(campaign):
    assert live_problems(campaign=campaign, id_number="", education="") == {}


def test_eligibility_checks_give_one_entry_per_rule(campaign):
    checks = eligibility_checks(
        campaign=campaign,
        birth_date=birth_for_age(campaign, 40),
        education="secondary_vocational",
        id_number=make_id_number(birth_for_age(campaign, 40)),
    )
    assert [(c["rule"], c["passed"]) for c in checks] == [
        ("age", True),
        ("education", True),
        ("id_number", True),
    ]


# Submission ------------------------------------------------------------------------------------


def test_registration_issues_a_form_with_the_applicant_and_a_masked_id(client, campaign):
    before = stored_upload_files()
    data = applicant_data(campaign, other=[photo("idcard.png", image_bytes("PNG"))])
    number = data["id_number"]
    response = client.post(reverse("apply:campaign_detail", args=[campaign.pk]), data)
    assert response.status_code == 302
    application = Application.objects.get(id_number=number)
    assert response.url == reverse("apply:submitted", args=[application.pk])
    assert application.state == ApplicationState.SUBMITTED
    assert application.age_at_deadline == 30
    assert [c["rule"] for c in application.checks] == ["age", "education", "id_number"]

    kinds = sorted(application.attachments.values_list("kind", "content_type"))
    assert kinds == [
        (AttachmentKind.EDUCATION_CERTIFICATE, "application/pdf"),
        (AttachmentKind.OTHER, "image/png"),
        (AttachmentKind.PHOTO, "image/jpeg"),
    ]
    pdf = application.attachments.get(kind=AttachmentKind.EDUCATION_CERTIFICATE)
    assert pdf.size == len(PDF_BYTES)
    assert len(pdf.sha256) == 64
    assert len(stored_upload_files() - before) == 3

    entry = audit_trail(application).get()
    assert entry.actor is None
    assert entry.reason == "registered on the public site"  # in the language of the request
    assert entry.after["id_number"] == mask_id_number(number)

    form = Document.objects.get(
        kind=DocumentKind.REGISTRATION_FORM,
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
    )
    assert form.person is None and form.transition == "submit"
    text = pdf_text(form)
    assert "罗昇" in text
    assert mask_id_number(number) in text
    assert number not in text
    assert application.offer.village.name in text
    assert campaign.title in text
    assert "13987654321" not in text and "139****4321" in text
    assert "报名人签名" in text

    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("apply:document", args=[form.pk]) in page.content.decode()
    download = client.get(reverse("apply:document", args=[form.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_after_the_deadline_nothing_is_accepted(client, policy):
    campaign = make_campaign(
        policy=policy,
        registration_start=timezone.localdate() - datetime.timedelta(days=20),
        registration_end=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = submit(client, campaign)
    assert response.status_code == 400
    assert "Registration closed on" in errors_of(response)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("local_time", "accepted"),
    [
        (datetime.datetime(2026, 12, 20, 23, 50, tzinfo=SHANGHAI), True),
        (datetime.datetime(2026, 12, 21, 0, 5, tzinfo=SHANGHAI), False),
    ],
)
def test_the_deadline_day_counts_in_shanghai_time(policy, local_time, accepted):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        campaign = make_campaign(
            policy=policy,
            registration_start=datetime.date(2026, 12, 1),
            registration_end=datetime.date(2026, 12, 20),
        )
    # 23:50 in Shanghai is still 20 December there but 15:50 UTC; 00:05 is the 21st.
    with time_machine.travel(local_time, tick=False):
        if accepted:
            assert service_submit(campaign).pk
        else:
            with pytest.raises(ValidationError, match="Registration closed on 2026-12-20"):
                service_submit(campaign)


def test_a_second_application_with_the_same_id_is_refused(client, campaign):
    number = make_id_number(birth_for_age(campaign, 30))
    assert submit(client, campaign, id_number=number).status_code == 302
    response = submit(client, campaign, id_number=number, phone="13600001111")
    assert response.status_code == 400
    assert "This ID number has already applied to this campaign." in errors_of(response)
    assert Application.objects.filter(id_number=number).count() == 1


def test_a_duplicate_racing_past_the_check_gets_the_same_message(campaign, monkeypatch):
    number = make_id_number(birth_for_age(campaign, 30))
    service_submit(campaign, id_number=number)
    before = stored_upload_files()
    monkeypatch.setattr(applications_service, "already_applied", lambda campaign, number: False)
    with pytest.raises(ValidationError) as caught:
        service_submit(campaign, id_number=number)
    assert caught.value.message_dict["id_number"] == [
        "This ID number has already applied to this campaign."
    ]
    assert stored_upload_files() == before
    assert Application.objects.filter(id_number=number).count() == 1


def test_a_wrong_check_digit_is_refused(client, campaign):
    number = make_id_number(birth_for_age(campaign, 30))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    response = submit(client, campaign, id_number=wrong)
    assert response.status_code == 400
    assert "The check digit of the ID number is wrong" in errors_of(response)
    assert not Application.objects.exists()


def test_an_applicant_over_the_age_rule_is_told_the_rule_and_the_computed_age(client, policy):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        campaign = make_campaign(
            policy=policy,
            registration_start=datetime.date(2026, 12, 1),
            registration_end=datetime.date(2026, 12, 20),
        )
        # Born on 20 December 1985: 41 on the deadline itself.
        response = submit(client, campaign, id_number=make_id_number(datetime.date(1985, 12, 20)))
        assert response.status_code == 400
        assert (
            "Applicants must be 40 or younger on the registration deadline (2026-12-20); by your "
            "ID number you will be 41." in errors_of(response)
        )
        assert not Application.objects.exists()
        # Born a day later: still 40 on the deadline, within the rule (以下 includes 40).
        response = submit(client, campaign, id_number=make_id_number(datetime.date(1985, 12, 21)))
        assert response.status_code == 302
        assert Application.objects.get().age_at_deadline == 40


def test_education_below_the_minimum_is_refused_with_the_rule(client, campaign):
    response = submit(client, campaign, education="junior_high")
    assert response.status_code == 400
    assert (
        "The minimum education is High school (高中) or above; Junior high school (初中) is "
        "below it." in errors_of(response)
    )


def test_rule_problems_show_even_when_the_form_has_other_errors(client, campaign):
    data = applicant_data(campaign, education="junior_high")
    del data["photo"]
    response = client.post(reverse("apply:campaign_detail", args=[campaign.pk]), data)
    assert response.status_code == 400
    page = errors_of(response)
    assert "This field is required." in page
    assert "The minimum education is High school (高中) or above" in page


def test_every_field_problem_shows_in_the_first_answer(client, campaign):
    """A wrong mobile number and graduation year are named together with a missing photo,
    not one round later, when the applicant must choose the files again."""
    data = applicant_data(campaign, phone="12345", graduation_year="1800")
    del data["photo"]
    response = client.post(reverse("apply:campaign_detail", args=[campaign.pk]), data)
    assert response.status_code == 400
    page = errors_of(response)
    assert "This field is required." in page
    assert "A mobile number is 11 digits starting with 13–19" in page
    assert "The graduation year must be between" in page
    assert not Application.objects.exists()


def test_an_oversized_photo_is_refused(client, campaign):
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > 2 * 1024 * 1024
    response = submit(client, campaign, photo=photo("me.png", buffer.getvalue()))
    assert response.status_code == 400
    assert "it may be at most 2.0 MB" in errors_of(response)
    assert not Application.objects.exists()


def test_a_non_image_renamed_jpg_is_refused(client, campaign):
    fake = photo("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00 this is a program, not a picture")
    response = submit(client, campaign, photo=fake)
    assert response.status_code == 400
    assert "photo.jpg is not a JPEG or PNG picture that can be opened." in errors_of(response)


def test_a_photo_too_small_to_see_is_refused(client, campaign):
    response = submit(client, campaign, photo=photo("tiny.jpg", image_bytes(size=(40, 50))))
    assert response.status_code == 400
    assert "each side must be between 100 and 6000 pixels" in errors_of(response)


def test_a_pdf_scan_is_accepted_and_an_exe_scan_refused(client, campaign):
    exe = SimpleUploadedFile(
        "diploma.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 20, content_type="application/octet-stream"
    )
    response = submit(client, campaign, education_certificate=[pdf_scan(), exe])
    assert response.status_code == 400
    assert "diploma.exe is not a PDF, JPEG or PNG file." in errors_of(response)
    assert not Application.objects.exists()
    assert submit(client, campaign, education_certificate=[pdf_scan()]).status_code == 302


def test_an_oversized_scan_and_too_many_scans_are_refused(client, campaign):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = submit(client, campaign, education_certificate=[big])
    assert "big.pdf is 5.0 MB; each scan may be at most 5.0 MB." in errors_of(response)
    response = submit(
        client,
        campaign,
        education_certificate=[pdf_scan(f"d{i}.pdf") for i in range(3)],
        other=[pdf_scan(f"o{i}.pdf") for i in range(3)],
    )
    assert "Attach at most 5 scans in all; you attached 6." in errors_of(response)
    assert not Application.objects.exists()


def test_an_offer_of_another_campaign_is_refused(campaign, policy):
    other = make_campaign(policy=policy, township=TownshipFactory(county=policy.county))
    with pytest.raises(ValidationError) as caught:
        service_submit(campaign, offer=other.offers.all()[0].pk)
    assert "offer" in caught.value.message_dict


def test_a_failing_registration_form_leaves_no_application_and_no_file(campaign, monkeypatch):
    from recruitment.documents import applicant

    def broken(*, subject, **kwargs):
        assert Attachment.objects.filter(application=subject).count() == 2
        raise RuntimeError("printer on fire")

    before = stored_upload_files()
    monkeypatch.setattr(applicant, "document_issue", broken)
    with pytest.raises(RuntimeError):
        service_submit(campaign)
    # The scans were staged, never published; what a request's end does (core.files) removes
    # them.
    assert discard_uncommitted() == 2
    assert not Application.objects.exists()
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application)
    ).exists()
    assert stored_upload_files() == before


def test_an_unprintable_form_is_explained_to_the_applicant(client, campaign, monkeypatch):
    from recruitment.documents import applicant

    def unprintable(**kwargs):
        raise DocumentIssueError("No installed font can print 𠀀")

    before = stored_upload_files()
    monkeypatch.setattr(applicant, "document_issue", unprintable)
    response = submit(client, campaign)
    assert response.status_code == 400
    assert "the registration form could not be printed. Nothing was saved." in errors_of(response)
    assert not Application.objects.exists()
    assert stored_upload_files() == before


# Status lookup and downloads ---------------------------------------------------------------------


def lookup(client, id_number: str, phone: str):
    return client.post(reverse("apply:lookup"), {"id_number": id_number, "phone": phone})


def make_ticket(application: Application) -> Document:
    """An admission ticket as the exam step issues it: about the application, no person."""
    content = b"%PDF-1.4 admission ticket"
    document = Document(
        kind=DocumentKind.ADMISSION_TICKET,
        title="准考证",
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
        subject_repr=application.masked_id_number,
        template_name="paperwork/recruitment/admission_ticket.html",
        template_version="1",
        issuing_body=application.campaign.township.issuing_body,
        county=application.campaign.township.county,
        township=application.campaign.township,
        sha256="0" * 64,
        size=len(content),
        pages=1,
    )
    document.file.save("ticket.pdf", ContentFile(content), save=False)
    document.save()
    return document


def test_lookup_lists_the_applications_with_state_exam_dates_and_documents(client, campaign):
    application = service_submit(campaign)
    ticket = make_ticket(application)
    response = lookup(client, application.id_number, "139 8765 4321")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "罗昇" in page
    assert application.masked_id_number in page
    assert application.id_number not in page
    assert "Registered. Eligibility is reviewed after registration closes on" in page
    assert timezone.localtime(campaign.written_exam_at).strftime("%Y-%m-%d %H:%M") in page
    form = Document.objects.get(kind=DocumentKind.REGISTRATION_FORM)
    assert reverse("apply:document", args=[form.pk]) in page
    assert reverse("apply:document", args=[ticket.pk]) in page
    assert client.get(reverse("apply:document", args=[ticket.pk])).status_code == 200


def test_lookup_does_not_say_which_of_the_two_was_wrong(client, campaign):
    application = service_submit(campaign)
    other = make_id_number(birth_for_age(campaign, 33))
    wrong_phone = lookup(client, application.id_number, "13600000000")
    wrong_id = lookup(client, other, application.phone)
    message = "No application matches this ID number and mobile number."
    assert wrong_phone.status_code == wrong_id.status_code == 400
    assert message in wrong_phone.content.decode() and message in wrong_id.content.decode()
    assert "罗昇" not in wrong_phone.content.decode()


def test_someone_elses_document_is_not_served(client, campaign):
    mine = service_submit(campaign)
    theirs = service_submit(
        campaign, id_number=make_id_number(birth_for_age(campaign, 35)), phone="13711112222"
    )
    their_form = Document.objects.get(object_id=theirs.pk, kind=DocumentKind.REGISTRATION_FORM)
    # Nobody looked up: nothing is served.
    assert client.get(reverse("apply:document", args=[their_form.pk])).status_code == 404
    lookup(client, mine.id_number, mine.phone)
    assert client.get(reverse("apply:document", args=[their_form.pk])).status_code == 404
    my_form = Document.objects.get(object_id=mine.pk, kind=DocumentKind.REGISTRATION_FORM)
    assert client.get(reverse("apply:document", args=[my_form.pk])).status_code == 200
    # Forgetting ends access.
    client.post(reverse("apply:lookup"), {"forget": "1"})
    assert client.get(reverse("apply:document", args=[my_form.pk])).status_code == 404


def test_a_document_about_a_person_is_not_served_even_with_the_application(client, campaign):
    application = service_submit(campaign)
    lookup(client, application.id_number, application.phone)
    person = cast(Person, PersonFactory(township=campaign.township))
    content = b"%PDF-1.4 hiring notice"
    with_person = Document(
        kind=DocumentKind.HIRING_NOTICE,
        title="聘用通知书",
        content_type=ContentType.objects.get_for_model(Application),
        object_id=application.pk,
        subject_repr=person.masked_id_number,
        template_name="paperwork/recruitment/hiring_notice.html",
        template_version="1",
        issuing_body="关索街道办事处",
        county=campaign.township.county,
        township=campaign.township,
        person=person,
        sha256="0" * 64,
        size=len(content),
        pages=1,
    )
    with_person.file.save("notice.pdf", ContentFile(content), save=False)
    with_person.save()
    assert client.get(reverse("apply:document", args=[with_person.pk])).status_code == 404


# Rate limits --------------------------------------------------------------------------------------


def test_lookup_is_rate_limited_with_a_translated_page(client, campaign, settings):
    settings.CUNPIN_RATE_LIMITS = {"apply_lookup": (2, 60)}
    for _ in range(2):
        assert lookup(client, "520424199001011234", "13600000000").status_code == 400
    response = lookup(client, "520424199001011234", "13600000000")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many requests" in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = lookup(client, "520424199001011234", "13600000000")
    assert response.status_code == 429
    assert 'lang="zh-hans"' in response.content.decode()


def test_each_public_endpoint_has_its_own_limit(client, campaign, settings):
    settings.CUNPIN_RATE_LIMITS = {
        "apply_submit": (1, 60),
        "apply_check": (1, 60),
        "apply_download": (1, 60),
    }
    # The clock stands still: a slow run must not cross into the next one-minute window.
    with time_machine.travel(timezone.now(), tick=False):
        _each_endpoint_limited(client, campaign)


def _each_endpoint_limited(client, campaign):
    assert check(client, campaign, education="bachelor").status_code == 200
    limited = check(client, campaign, education="bachelor")
    assert limited.status_code == 429 and "__all__" in limited.json()
    assert submit(client, campaign).status_code == 302
    assert submit(client, campaign).status_code == 429
    form = Document.objects.get(kind=DocumentKind.REGISTRATION_FORM)
    assert client.get(reverse("apply:document", args=[form.pk])).status_code == 200
    assert client.get(reverse("apply:document", args=[form.pk])).status_code == 429
    # Reading the campaign page is not counted against registration.
    assert client.get(reverse("apply:campaign_detail", args=[campaign.pk])).status_code == 200


def test_the_limit_is_per_client_address(client, campaign, settings):
    settings.CUNPIN_RATE_LIMITS = {"apply_check": (1, 60)}
    url = reverse("apply:check", args=[campaign.pk])
    assert client.post(url, {}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.post(url, {}, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(url, {}, REMOTE_ADDR="10.0.0.2").status_code == 200
    # Behind one trusted proxy, the address the proxy saw counts.
    settings.CUNPIN_RATE_LIMIT_PROXIES = 1
    forwarded = {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}
    assert client.post(url, {}, **forwarded).status_code == 200
    assert client.post(url, {}, **forwarded).status_code == 429
    other = {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": "5.6.7.8"}
    assert client.post(url, {}, **other).status_code == 200
