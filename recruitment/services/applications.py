"""Public registration (报名): the eligibility checks and the submission of an application,
and its withdrawal by the applicant (``application_withdraw``).

``eligibility_checks`` is pure and serves both the live check on the registration page and the
submission. ``application_submit`` validates everything again on the server, stores the
application with its photo and certificate scans and its registration number (报名序号: the
next of its campaign, taken under the campaign's row lock), audits it and issues the
registration form, in one transaction: when any step fails, no application, attachment or
stored file remains.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.models import AuditEntry
from audit.services import audit_record, audited_transition
from core.education import Education, education_meets
from core.files import save_on_commit
from core.identity import (
    age_on,
    mask_id_number,
    mask_mobile,
    normalise_mobile,
    parse_id_number,
    validate_mobile,
)
from core.normalise import clean_text, plain_number
from core.uploads import (
    PdfPasswordError,
    UploadError,
    image_header,
    pdf_page_count,
    photo_downscaled,
    scan_image_check,
)
from paperwork.table import issue_for
from recruitment.constants import (
    ApplicationState,
    AttachmentKind,
    CampaignState,
    EligibilityRule,
)
from recruitment.models import Application, Attachment, Campaign, CampaignPost
from recruitment.services.common import campaign_lock

# Upload limits. The photo is a passport-style picture taken with a phone; scans are the
# education certificate and, where asked, the ID card and household register. A picture's
# dimensions are refused from its header, before it is decoded (``core.uploads``).
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MIN_SIDE = 100  # pixels
PHOTO_MAX_SIDE = 6000
PHOTO_MAX_PIXELS = 16_000_000  # a 12-megapixel phone photo (4032 × 3024) fits
SCAN_MAX_BYTES = 5 * 1024 * 1024
SCAN_MAX_SIDE = 12_000
SCAN_MAX_PIXELS = 50_000_000  # an A4 page scanned at 600 dpi is 35 million pixels
SCAN_MAX_PAGES = 20
SCANS_MIN = 1
SCANS_MAX = 5
SCAN_KINDS = (str(AttachmentKind.EDUCATION_CERTIFICATE), str(AttachmentKind.OTHER))
PDF_MAGIC = b"%PDF-"
EARLIEST_GRADUATION_AGE = 10  # nobody finishes even primary school younger
AUDIT_REASON = gettext_noop("registered on the public site")  # stored in the site's language

TEXT_FIELDS = {"name": 64, "school": 128, "household_registration": 200}


def already_applied(campaign: Campaign, id_number: str) -> bool:
    """Whether this ID number has an application in ``campaign`` (the database constraint
    also refuses a second one, for two submissions racing past this check)."""
    return Application.objects.filter(campaign=campaign, id_number=id_number).exists()


def _duplicate_message() -> str:
    return _("This ID number has already applied to this campaign.")


# Eligibility -------------------------------------------------------------------------------


def _check(rule: str, passed: bool, detail: str) -> dict:
    return {"rule": str(rule), "passed": passed, "detail": detail}


def eligibility_checks(
    *,
    campaign: Campaign,
    birth_date: datetime.date | None,
    education: str | None,
    id_number: str | None = None,
) -> list[dict]:
    """One entry per automatic rule (age, education, ID number): rule, passed, detail.

    Pure: reads the campaign's rules and nothing from the database. ``birth_date`` may be left
    out when ``id_number`` is given; the detail messages are in the active language.
    """
    checks: list[dict] = []
    id_check: dict | None = None
    if id_number is not None:
        try:
            facts = parse_id_number(id_number)
        except ValidationError as exc:
            id_check = _check(EligibilityRule.ID_NUMBER, False, " ".join(exc.messages))
        else:
            birth_date = birth_date or facts.birth_date
            id_check = _check(
                EligibilityRule.ID_NUMBER, True, _("The ID number is valid (check digit correct).")
            )

    deadline = campaign.registration_end
    if birth_date is None:
        checks.append(
            _check(
                EligibilityRule.AGE,
                False,
                _("The age cannot be worked out without a valid ID number."),
            )
        )
    else:
        age = age_on(birth_date, deadline)
        params = {"max": campaign.max_age, "deadline": deadline.isoformat(), "age": age}
        if age <= campaign.max_age:
            checks.append(
                _check(
                    EligibilityRule.AGE,
                    True,
                    _(
                        "Age %(age)s on the registration deadline (%(deadline)s); the limit "
                        "is %(max)s."
                    )
                    % params,
                )
            )
        else:
            checks.append(
                _check(
                    EligibilityRule.AGE,
                    False,
                    _(
                        "Applicants must be %(max)s or younger on the registration deadline "
                        "(%(deadline)s); by your ID number you will be %(age)s."
                    )
                    % params,
                )
            )

    minimum = Education(campaign.min_education).label
    if education not in Education.values:
        checks.append(_check(EligibilityRule.EDUCATION, False, _("Choose your highest education.")))
    elif education_meets(education, campaign.min_education):
        checks.append(
            _check(
                EligibilityRule.EDUCATION,
                True,
                _("%(level)s meets the minimum of %(minimum)s or above.")
                % {"level": Education(education).label, "minimum": minimum},
            )
        )
    else:
        checks.append(
            _check(
                EligibilityRule.EDUCATION,
                False,
                _("The minimum education is %(minimum)s or above; %(level)s is below it.")
                % {"level": Education(education).label, "minimum": minimum},
            )
        )
    if id_check is not None:
        checks.append(id_check)
    return checks


# Which form field a failed automatic rule belongs to.
RULE_FIELD = {
    EligibilityRule.AGE: "id_number",
    EligibilityRule.ID_NUMBER: "id_number",
    EligibilityRule.EDUCATION: "education",
}


def live_problems(*, campaign: Campaign, id_number: str = "", education: str = "") -> dict:
    """The problems a half-filled form already shows, as ``{field: message}``.

    Only the rules that need nothing from the database: never whether an ID number has
    applied already, so that the endpoint cannot be used to probe who applied.
    """
    problems: dict[str, str] = {}
    checks = eligibility_checks(
        campaign=campaign,
        birth_date=None,
        education=education or None,
        id_number=id_number if id_number.strip() else None,
    )
    id_valid = all(c["passed"] for c in checks if c["rule"] == EligibilityRule.ID_NUMBER)
    for check in checks:
        rule = check["rule"]
        if check["passed"]:
            continue
        if rule == EligibilityRule.AGE and not (id_number.strip() and id_valid):
            continue  # nothing typed yet, or the ID number's own problem says more
        if rule == EligibilityRule.EDUCATION and not education:
            continue
        problems.setdefault(RULE_FIELD[EligibilityRule(rule)], check["detail"])
    return problems


# Uploads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _read(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    return data if isinstance(data, bytes) else bytes(data)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _file_label(upload) -> str:
    return str(getattr(upload, "name", "") or _("the file"))[:80]


def check_photo(upload) -> CheckedFile:
    """A JPEG or PNG photo (by its content, not its name) of sensible dimensions, checked
    from its header before it is decoded, and stored downscaled (``core.uploads``)."""
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; it may be at most %(max)s MB.")
            % {"size": _megabytes(size), "max": _megabytes(PHOTO_MAX_BYTES)}
        )
    content = _read(upload)
    if len(content) > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; it may be at most %(max)s MB.")
            % {"size": _megabytes(len(content)), "max": _megabytes(PHOTO_MAX_BYTES)}
        )
    not_a_picture = _("%(name)s is not a JPEG or PNG picture that can be opened.") % {
        "name": _file_label(upload)
    }
    header = image_header(content)
    if header is None:
        raise ValidationError(not_a_picture)
    width, height = header.width, header.height
    if (
        min(width, height) < PHOTO_MIN_SIDE
        or max(width, height) > PHOTO_MAX_SIDE
        or header.pixels > PHOTO_MAX_PIXELS
    ):
        raise ValidationError(
            _(
                "The photo is %(width)s × %(height)s pixels; each side must be between "
                "%(min)s and %(max)s pixels, and the photo at most %(megapixels)s million "
                "pixels. A photo taken with a phone fits."
            )
            % {
                "width": width,
                "height": height,
                "min": PHOTO_MIN_SIDE,
                "max": PHOTO_MAX_SIDE,
                "megapixels": PHOTO_MAX_PIXELS // 1_000_000,
            }
        )
    try:
        stored = photo_downscaled(content, header)
    except UploadError as exc:
        raise ValidationError(not_a_picture) from exc
    return CheckedFile(AttachmentKind.PHOTO, "photo.jpg", stored, "image/jpeg")


def check_scan(upload, *, kind: str, number: int) -> CheckedFile:
    """A certificate scan of at most 5 MB: a PDF that parses, with 1 to ``SCAN_MAX_PAGES``
    pages, or a JPEG or PNG picture of bounded dimensions (``core.uploads``)."""
    size = getattr(upload, "size", None)
    label = _file_label(upload)
    too_big = _("%(name)s is %(size)s MB; each scan may be at most %(max)s MB.")
    if size is not None and size > SCAN_MAX_BYTES:
        raise ValidationError(
            too_big % {"name": label, "size": _megabytes(size), "max": _megabytes(SCAN_MAX_BYTES)}
        )
    content = _read(upload)
    if len(content) > SCAN_MAX_BYTES:
        raise ValidationError(
            too_big
            % {"name": label, "size": _megabytes(len(content)), "max": _megabytes(SCAN_MAX_BYTES)}
        )
    if content.startswith(PDF_MAGIC):
        return _checked_pdf(content, label=label, kind=kind, number=number)
    header = image_header(content)
    if header is None:
        raise ValidationError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": label})
    if max(header.width, header.height) > SCAN_MAX_SIDE or header.pixels > SCAN_MAX_PIXELS:
        raise ValidationError(
            _(
                "%(name)s is %(width)s × %(height)s pixels; a scan may have at most %(max)s "
                "pixels a side and %(megapixels)s million pixels in all. Scan it at 300 dpi, "
                "or save it as PDF."
            )
            % {
                "name": label,
                "width": header.width,
                "height": header.height,
                "max": SCAN_MAX_SIDE,
                "megapixels": SCAN_MAX_PIXELS // 1_000_000,
            }
        )
    try:
        scan_image_check(content, header)
    except UploadError as exc:
        raise ValidationError(
            _("%(name)s is damaged and cannot be opened as a picture.") % {"name": label}
        ) from exc
    return CheckedFile(kind, f"{kind}-{number}.{header.extension}", content, header.content_type)


def _checked_pdf(content: bytes, *, label: str, kind: str, number: int) -> CheckedFile:
    try:
        pages = pdf_page_count(content, limit=SCAN_MAX_PAGES)
    except PdfPasswordError as exc:
        raise ValidationError(
            _(
                "%(name)s is protected with a password, so the reviewers could not open it. "
                "Save it without a password and attach it again."
            )
            % {"name": label}
        ) from exc
    except UploadError as exc:
        raise ValidationError(
            _("%(name)s is not a PDF file that can be opened.") % {"name": label}
        ) from exc
    if pages is not None and not 1 <= pages <= SCAN_MAX_PAGES:
        raise ValidationError(
            _("%(name)s has %(pages)s pages; a scan may have 1 to %(max)s pages.")
            % {"name": label, "pages": pages, "max": SCAN_MAX_PAGES}
        )
    return CheckedFile(kind, f"{kind}-{number}.pdf", content, "application/pdf")


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v]
    return [value]


def check_files(files: dict, errors: dict[str, list[str]]) -> list[CheckedFile]:
    """The photo and the scans, checked; problems go into ``errors`` by field."""
    checked: list[CheckedFile] = []
    photo = files.get("photo")
    if not photo:
        errors.setdefault("photo", []).append(_("A photo is required."))
    else:
        try:
            checked.append(check_photo(photo))
        except ValidationError as exc:
            errors.setdefault("photo", []).extend(exc.messages)

    scans = [(kind, upload) for kind in SCAN_KINDS for upload in _as_list(files.get(kind))]
    if not _as_list(files.get(AttachmentKind.EDUCATION_CERTIFICATE)):
        errors.setdefault(str(AttachmentKind.EDUCATION_CERTIFICATE), []).append(
            _("Attach a scan or photo of your education certificate.")
        )
    if len(scans) > SCANS_MAX:
        errors.setdefault(str(AttachmentKind.OTHER), []).append(
            _("Attach at most %(max)s scans in all; you attached %(count)s.")
            % {"max": SCANS_MAX, "count": len(scans)}
        )
        return checked
    for number, (kind, upload) in enumerate(scans, start=1):
        try:
            checked.append(check_scan(upload, kind=kind, number=number))
        except ValidationError as exc:
            errors.setdefault(str(kind), []).extend(exc.messages)
    return checked


# Submission --------------------------------------------------------------------------------


def registration_closed_message(campaign: Campaign, today: datetime.date) -> str | None:
    """Why ``campaign`` takes no application today, or None when it does."""
    if campaign.state != CampaignState.ANNOUNCED:
        return _("This campaign is not open for registration.")
    if today < campaign.registration_start:
        return _("Registration opens on %(date)s.") % {
            "date": campaign.registration_start.isoformat()
        }
    if today > campaign.registration_end:
        return _("Registration closed on %(date)s.") % {
            "date": campaign.registration_end.isoformat()
        }
    return None


APPLICANT_FIELDS = (*TEXT_FIELDS, "id_number", "phone", "education", "graduation_year")


def field_problems(data: dict) -> dict[str, list[str]]:
    """What ``application_submit`` would say of the typed fields alone (lengths, the ID
    number, the mobile number, education, the graduation year), as ``{field: messages}``:
    nothing from the database, so never whether an ID number has applied."""
    errors: dict[str, list[str]] = {}
    _clean_fields(data, errors)
    return errors


def _clean_fields(data: dict, errors: dict[str, list[str]]) -> dict:
    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    cleaned: dict = {}
    for field, max_length in TEXT_FIELDS.items():
        label = capfirst(Application._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
        try:
            value = clean_text(data.get(field), label=label)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            continue
        if not value:
            fail(field, _("This field is required."))
        elif len(value) > max_length:
            fail(
                field,
                _("At most %(max)s characters; this has %(count)s.")
                % {"max": max_length, "count": len(value)},
            )
        cleaned[field] = value

    cleaned["facts"] = None
    try:
        cleaned["facts"] = parse_id_number(str(data.get("id_number") or ""))
    except ValidationError as exc:
        errors.setdefault("id_number", []).extend(exc.messages)

    phone = normalise_mobile(str(data.get("phone") or ""))
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)
    cleaned["phone"] = phone

    education = str(data.get("education") or "")
    if education not in Education.values:
        fail("education", _("Choose your highest education."))
    cleaned["education"] = education

    today = timezone.localdate()
    facts = cleaned["facts"]
    earliest = (facts.birth_date.year if facts else 1900) + EARLIEST_GRADUATION_AGE
    year: int | None = None
    written = plain_number(data.get("graduation_year"))  # digits 0–9 only, not ١٩٩٨ or 1_998
    if written is None or written != written.to_integral_value():
        fail("graduation_year", _("Enter the year you graduated, such as 2008."))
    else:
        year = int(written)
        if not earliest <= year <= today.year:
            fail(
                "graduation_year",
                _("The graduation year must be between %(earliest)s and %(latest)s.")
                % {"earliest": earliest, "latest": today.year},
            )
    cleaned["graduation_year"] = year
    return cleaned


def application_submit(
    *, campaign: Campaign, offer: CampaignPost | None, data: dict, files: dict, by=None
) -> Application:
    """Register one applicant for the village of ``offer`` in ``campaign``.

    ``data`` holds name, id_number, phone, education, school, graduation_year and
    household_registration; ``files`` the photo (``"photo"``) and lists of scans under
    ``"education_certificate"`` and ``"other"``. Raises ValidationError with messages by
    field (``NON_FIELD_ERRORS`` when registration is closed). ``by`` is None for the public.
    """
    closed = registration_closed_message(campaign, timezone.localdate())
    if closed:
        raise ValidationError({NON_FIELD_ERRORS: [closed]})

    errors: dict[str, list[str]] = {}
    if offer is None or offer.campaign_id != campaign.pk:
        errors["offer"] = [_("Choose a village that this campaign offers posts in.")]
    cleaned = _clean_fields(data, errors)
    facts = cleaned["facts"]
    if facts is not None and cleaned["education"] in Education.values:
        for check in eligibility_checks(
            campaign=campaign, birth_date=facts.birth_date, education=cleaned["education"]
        ):
            if not check["passed"]:
                field = RULE_FIELD[EligibilityRule(check["rule"])]
                errors.setdefault(field, []).append(check["detail"])
    checked_files = check_files(files, errors)
    # Whether an ID number has applied is said only to a form that is otherwise valid, so
    # that the form cannot be used to probe who applied (the view is rate-limited).
    if not errors and facts is not None and already_applied(campaign, facts.number):
        errors.setdefault("id_number", []).append(_duplicate_message())
    if errors:
        raise ValidationError(errors)
    assert facts is not None and offer is not None

    # The checks kept on the application are read by the reviewers and printed on the
    # eligibility result: in the office's language, whatever the applicant used.
    with translation.override(settings.LANGUAGE_CODE):
        checks = eligibility_checks(
            campaign=campaign,
            birth_date=facts.birth_date,
            education=cleaned["education"],
            id_number=facts.number,
        )

    try:
        with transaction.atomic():
            # One registration of the campaign at a time takes the next number; registration
            # may have closed while the files were checked.
            campaign = campaign_lock(campaign)
            closed = registration_closed_message(campaign, timezone.localdate())
            if closed:
                raise ValidationError({NON_FIELD_ERRORS: [closed]})
            last = campaign.applications.aggregate(last=Max("number"))["last"]
            application = Application(
                campaign=campaign,
                offer=offer,
                number=(last or 0) + 1,
                name=cleaned["name"],
                id_number=facts.number,
                birth_date=facts.birth_date,
                sex=facts.sex,
                phone=cleaned["phone"],
                education=cleaned["education"],
                school=cleaned["school"],
                graduation_year=cleaned["graduation_year"],
                household_registration=cleaned["household_registration"],
                age_at_deadline=age_on(facts.birth_date, campaign.registration_end),
                checks=checks,
            )
            application.save()
            for checked in checked_files:
                attachment = Attachment(
                    application=application,
                    kind=checked.kind,
                    content_type=checked.content_type,
                    size=len(checked.content),
                    sha256=checked.sha256,
                )
                # Written with the transaction: a rollback leaves no file (core.files).
                save_on_commit(attachment.file, checked.name, checked.content)
                attachment.save()
            audit_record(
                obj=application,
                action=AuditEntry.Action.CREATE,
                by=by,
                transition="submit",
                after={
                    "campaign_id": campaign.pk,
                    "number": application.number,
                    "offer_id": offer.pk,
                    "state": application.state,
                    "name": application.name,
                    "id_number": mask_id_number(application.id_number),
                    "phone": mask_mobile(application.phone),
                    "education": application.education,
                    "age_at_deadline": application.age_at_deadline,
                    "attachments": [
                        {"kind": c.kind, "size": len(c.content), "sha256": c.sha256}
                        for c in checked_files
                    ],
                },
                reason=_(AUDIT_REASON),
            )
            issue_for(application, "submit", by=by)
    except IntegrityError as exc:
        # Two submissions with the same ID number raced past the check above.
        raise ValidationError({"id_number": [_duplicate_message()]}) from exc
    return application


# Withdrawal by the applicant -------------------------------------------------------------------

# An application is withdrawn before the written exam: registered or found eligible. One found
# not eligible is already out of the exam; from the exam on, an absence says the same.
WITHDRAWABLE_STATES = (ApplicationState.SUBMITTED, ApplicationState.ELIGIBLE)
WITHDRAWABLE_CAMPAIGN_STATES = (
    CampaignState.ANNOUNCED,
    CampaignState.REGISTRATION_CLOSED,
    CampaignState.REVIEWED,
)


def withdrawal_refusal(application: Application, campaign: Campaign) -> str | None:
    """Why ``application`` can no longer be withdrawn, or None when it can."""
    if application.state not in WITHDRAWABLE_STATES or (
        campaign.state not in WITHDRAWABLE_CAMPAIGN_STATES
    ):
        return _("This application can no longer be withdrawn (%(state)s).") % {
            "state": application.get_state_display()
        }
    if timezone.now() >= campaign.written_exam_at:
        return _("The written exam has begun; the application can no longer be withdrawn.")
    return None


def application_withdraw(*, application: Application, by=None) -> Application:
    """The applicant withdraws their application on the public status page, before the
    written exam (registered or eligible, the campaign not yet examined).

    Audited with ``by`` (None: the applicant has no account) and the reason "withdrawn by the
    applicant". A withdrawn application leaves the review, the admission numbering, the
    score sheets, the shortlist and the ranking, which all count only the states they work
    on; its admission number, if any, stays unused.
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=application.campaign_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        refusal = withdrawal_refusal(application, campaign)
        if refusal:
            raise ValidationError(refusal)
        with audited_transition(
            application, "withdraw", by=by, reason=_("withdrawn by the applicant")
        ):
            application.withdraw()
        return application
