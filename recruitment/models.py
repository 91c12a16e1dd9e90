"""Recruitment campaigns (选聘), their applications, exams, objections and waivers.

State lives here as django-fsm-2 fields (``protected=True``): a state changes only through the
named transition methods below, which change fields and nothing else. Services in
``recruitment/services/`` call them inside one transaction with the audit row and the paperwork.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from audit.display import AuditValue, Ref, listing
from core.education import Education, Sex
from core.identity import mask_id_number, mask_mobile
from core.scoping import ScopePaths
from recruitment.constants import (
    ApplicationState,
    AttachmentKind,
    CampaignKind,
    CampaignState,
    EligibilityRule,
    ObjectionDecision,
    WaiverDecision,
)


def score_field(verbose_name) -> models.DecimalField:
    """A score of 0–100 with two decimals, empty until recorded."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


# How values that are not plain fields read in the audit trail (audit.display).


def _offers_text(offers) -> list:
    """A campaign's offers as recorded when it was opened: 北口村 2 个岗位、关脚村 1 个岗位."""
    return listing(
        [
            Ref("organisation.village", offer.get("village")),
            " ",
            ngettext("%(count)s post", "%(count)s posts", offer.get("seats") or 0)
            % {"count": offer.get("seats")},
        ]
        for offer in offers
    )


def _checks_text(checks) -> list:
    """The eligibility checklist: 年龄 符合、学历 不符合."""
    return listing(
        f"{_rule_label(check.get('rule'))} {_met(check.get('passed'))}" for check in checks
    )


def _met(passed) -> str:
    return str(_("met") if passed else _("not met"))


def _rule_label(rule) -> str:
    return str(EligibilityRule(rule).label) if rule in EligibilityRule.values else str(rule)


def _attachments_text(attachments) -> list:
    """Uploaded files by kind (their size and hash are in the attachment records)."""
    return listing(
        str(AttachmentKind(item.get("kind")).label)
        if item.get("kind") in AttachmentKind.values
        else str(item.get("kind"))
        for item in attachments
    )


def _marks_text(marks) -> list:
    """The panel's marks: 1号 王正权 86.00、2号 …"""
    return listing(
        _("No. %(seat)s %(examiner)s %(mark)s") % {"seat": seat, "examiner": examiner, "mark": mark}
        for seat, examiner, mark in marks
    )


OPEN_CAMPAIGN_STATES = [
    CampaignState.DRAFT,
    CampaignState.ANNOUNCED,
    CampaignState.REGISTRATION_CLOSED,
    CampaignState.REVIEWED,
    CampaignState.EXAMINED,
    CampaignState.RANKED,
    CampaignState.PUBLICISED,
]


class Campaign(ConcurrentTransitionMixin, models.Model):
    """One open selection of a township for its vacant posts.

    States:
    - draft: being prepared by the township committee; nothing public yet.
    - announced: the leading-group head approved it; the announcement is public and
      registration is open until ``registration_end`` (inclusive).
    - registration_closed: no more applications; eligibility review under way.
    - reviewed: every application has an eligibility result; admission tickets issued.
    - examined: written scores (and absences) recorded, interview shortlist drawn,
      interview marks recorded.
    - ranked: composite scores and ranks confirmed; the score and ranking list issued.
    - publicised: proposed hires published for ``notice_working_days`` working days;
      objections may be lodged until ``notice_ends_on``.
    - concluded: hires confirmed, letters issued, reserve list formed.
    - cancelled: stopped with a reason before conclusion.

    The rules that decide eligibility, ranking and the notice period are copied from the
    policy in force when the campaign was created, so a later policy change does not alter
    a running campaign.
    """

    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.REGULAR
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    state = FSMField(
        _("state"),
        max_length=32,
        choices=CampaignState.choices,
        default=CampaignState.DRAFT,
        protected=True,
    )

    # Timetable
    registration_start = models.DateField(_("registration opens"))
    registration_end = models.DateField(
        _("registration deadline"),
        help_text=_("Last day of registration; ages are counted in full years on this day."),
    )
    written_exam_at = models.DateTimeField(_("written exam"))
    interview_at = models.DateTimeField(_("interview"), null=True, blank=True)
    venue = models.CharField(_("exam venue"), max_length=200)
    contact = models.CharField(
        _("enquiries"), max_length=200, help_text=_("Office and telephone for questions.")
    )

    # Rules copied from the policy version in force when the campaign was created
    max_age = models.PositiveSmallIntegerField(_("maximum age (full years)"))
    min_education = models.CharField(
        _("minimum education"), max_length=32, choices=Education.choices
    )
    written_weight = models.PositiveSmallIntegerField(_("written exam weight (%)"))
    interview_weight = models.PositiveSmallIntegerField(_("interview weight (%)"))
    written_pass_line = models.DecimalField(
        _("written exam pass line"), max_digits=5, decimal_places=2
    )
    composite_pass_line = models.DecimalField(
        _("composite score pass line"), max_digits=5, decimal_places=2
    )
    shortlist_ratio = models.PositiveSmallIntegerField(_("interview candidates per post"))
    interview_drop_extremes = models.BooleanField(_("drop the highest and lowest interview marks"))
    interview_panel_size = models.PositiveSmallIntegerField(
        _("interview panel members"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(15)],
        help_text=_("An odd number, so that the panel cannot split evenly."),
    )
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"))
    reserve_months = models.PositiveSmallIntegerField(_("reserve list valid (months)"))

    # What happened
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("announcement approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    notice_starts_on = models.DateField(_("public notice starts"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice ends"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)

    scope_paths = ScopePaths(
        county="township__county", township="township", village="township__villages"
    )
    # The fields whose changes the audit trail records (audit.services.audited_transition).
    audit_fields = (
        "state",
        "approved_by",
        "announced_at",
        "notice_starts_on",
        "notice_ends_on",
        "concluded_at",
        "cancelled_reason",
    )
    # How its audit trail reads (audit.display): every step recorded on a campaign, and the
    # values that are not plain fields.
    transition_labels = {
        "announce": _("Approve the recruitment announcement"),
        "close_registration": _("Close registration"),
        "finish_review": _("Finish the eligibility review"),
        "finish_exams": _("Finish the exams"),
        "confirm_ranking": _("Confirm the scores and ranking"),
        "publicise": _("Publicise the proposed hires"),
        "close_notice": _("Close the public notice"),
        "conclude": _("Confirm the hires"),
        "cancel": _("Cancel the campaign"),
    }
    audit_values = {
        "offers": AuditValue(_("posts offered"), show=_offers_text),
        "objections_upheld": AuditValue(_("objections upheld")),
        "objections_dismissed": AuditValue(_("objections dismissed")),
    }

    class Meta:
        verbose_name = _("recruitment campaign")
        verbose_name_plural = _("recruitment campaigns")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The campaign list of a township, newest first
            models.Index(
                fields=["township", "-created_at", "-id"], name="campaign_township_created"
            )
        ]
        permissions = [
            ("run_campaign", _("Can run recruitment campaigns of the township")),
            ("approve_waiver", _("Can approve eligibility waivers")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_township(self):
        return self.township

    @property
    def is_open_for_registration(self) -> bool:
        today = timezone.localdate()
        return (
            self.state == CampaignState.ANNOUNCED
            and self.registration_start <= today <= self.registration_end
        )

    # Conditions (pure)
    def registration_over(self) -> bool:
        return timezone.localdate() > self.registration_end

    def all_reviewed(self) -> bool:
        return not self.applications.filter(state=ApplicationState.SUBMITTED).exists()

    # Transitions (fields only)
    @transition(field=state, source=CampaignState.DRAFT, target=CampaignState.ANNOUNCED)
    def announce(self, *, by) -> None:
        """The leading-group head approved the announcement; registration opens."""
        self.approved_by = by
        self.announced_at = timezone.now()

    @transition(
        field=state,
        source=CampaignState.ANNOUNCED,
        target=CampaignState.REGISTRATION_CLOSED,
        conditions=[registration_over],  # type: ignore[list-item]  # django-fsm-2 types self as Model
    )
    def close_registration(self) -> None:
        """The deadline has passed; no more applications."""

    @transition(
        field=state,
        source=CampaignState.REGISTRATION_CLOSED,
        target=CampaignState.REVIEWED,
        conditions=[all_reviewed],  # type: ignore[list-item]
    )
    def finish_review(self) -> None:
        """Every application has an eligibility result."""

    @transition(field=state, source=CampaignState.REVIEWED, target=CampaignState.EXAMINED)
    def finish_exams(self) -> None:
        """Written scores, absences, shortlist and interview marks are recorded."""

    @transition(field=state, source=CampaignState.EXAMINED, target=CampaignState.RANKED)
    def confirm_ranking(self) -> None:
        """Composite scores and ranks are confirmed and published."""

    @transition(field=state, source=CampaignState.RANKED, target=CampaignState.PUBLICISED)
    def publicise(self, *, starts_on: datetime.date, ends_on: datetime.date) -> None:
        """The proposed hires are published for the notice period."""
        self.notice_starts_on = starts_on
        self.notice_ends_on = ends_on

    @transition(field=state, source=CampaignState.PUBLICISED, target=CampaignState.CONCLUDED)
    def conclude(self) -> None:
        """Hires confirmed after the notice period."""
        self.concluded_at = timezone.now()

    @transition(field=state, source=OPEN_CAMPAIGN_STATES, target=CampaignState.CANCELLED)
    def cancel(self, *, reason: str) -> None:
        self.cancelled_reason = reason


class CampaignPost(models.Model):
    """The posts a campaign offers in one village: applicants apply for the village and the
    best ``seats`` of its ranking are proposed."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="offers"
    )
    village = models.ForeignKey(
        "organisation.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="campaign_offers",
    )
    posts = models.ManyToManyField(
        "organisation.Post", verbose_name=_("posts"), related_name="campaign_offers"
    )
    seats = models.PositiveSmallIntegerField(_("posts offered"), validators=[MinValueValidator(1)])

    scope_paths = ScopePaths(
        county="campaign__township__county",
        township="campaign__township",
        village="village",
    )

    audit_name_related = ("village",)  # named by its village in audit entries

    class Meta:
        verbose_name = _("posts offered in a village")
        verbose_name_plural = _("posts offered")
        ordering = ["campaign", "village__name_pinyin"]
        constraints = [
            models.UniqueConstraint("campaign", "village", name="campaign_post_unique_village")
        ]

    def __str__(self) -> str:
        return f"{self.village.name} × {self.seats}"

    @property
    def audit_name(self) -> str:
        """How an application's audit entry names the village it applied for."""
        return self.village.name


def attachment_path(instance, filename: str) -> str:
    return f"applications/{instance.application.campaign_id}/{instance.application_id}/{filename}"


class Application(ConcurrentTransitionMixin, models.Model):
    """One person's registration (报名) for a village in a campaign.

    States:
    - submitted: registered; waiting for eligibility review.
    - eligible / ineligible: review result (a waiver may turn ineligible into eligible).
    - absent: did not sit the written exam or the interview (a written absence recorded by
      mistake is mended into "scored" until the ranking is confirmed).
    - scored: written score recorded.
    - shortlisted: called to the interview (policy ratio per post).
    - ranked: composite score and rank computed.
    - proposed: among the top of the village's ranking; published in the public notice.
    - hired / not_hired / reserve: the outcome; reserve candidates may be called within
      the reserve period to refill a vacancy (``contracts.services.vacancies``).
    - withdrawn: the applicant withdrew on the public status page before the written exam
      (``recruitment.services.applications.application_withdraw``).

    The applicant's details are kept as submitted; the person record is created or updated
    only when the applicant is hired.
    """

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    offer = models.ForeignKey(
        CampaignPost,
        verbose_name=_("village applied for"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = FSMField(
        _("state"),
        max_length=32,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
        protected=True,
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )

    # As submitted
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("ID number"), max_length=18)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("mobile phone"), max_length=11)
    education = models.CharField(_("education"), max_length=32, choices=Education.choices)
    school = models.CharField(_("school"), max_length=128)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    household_registration = models.CharField(_("household registration"), max_length=200)
    age_at_deadline = models.PositiveSmallIntegerField(_("age at the registration deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    # 报名序号: 1, 2, 3 … in the order of registration within the campaign, printed on the
    # registration form; given under the campaign's row lock when the application is
    # submitted (recruitment.services.applications.application_submit) and never reused.
    number = models.PositiveIntegerField(
        _("registration number"), null=True, blank=True, editable=False
    )

    # Eligibility review
    checks = models.JSONField(
        _("eligibility checks"),
        default=list,
        blank=True,
        help_text=_("One entry per rule: rule, passed, detail."),
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    # Exam
    admission_number = models.CharField(_("admission number"), max_length=20, blank=True)
    exam_room = models.CharField(_("exam room"), max_length=32, blank=True)
    seat_number = models.PositiveSmallIntegerField(_("seat"), null=True, blank=True)
    written_score = score_field(_("written score"))
    written_rank = models.PositiveIntegerField(_("written rank"), null=True, blank=True)
    interview_score = score_field(_("interview score"))
    composite_score = score_field(_("composite score"))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    tie_break_position = models.PositiveSmallIntegerField(
        _("position decided on a tie"), null=True, blank=True
    )
    tie_break_note = models.TextField(_("tie decision"), blank=True)

    # Outcome
    reserve_until = models.DateField(_("on the reserve list until"), null=True, blank=True)
    # The public notice period of this candidate: the campaign's, or for a candidate who moved
    # up after an upheld objection, the period of the supplementary notice.
    notice_starts_on = models.DateField(_("public notice starts"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice ends"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)

    scope_paths = ScopePaths(
        county="campaign__township__county",
        township="campaign__township",
        village="offer__village",
        self="person",
    )
    # The fields whose changes the audit trail records (audit.services.audited_transition).
    audit_fields = (
        "state",
        "person",
        "checks",
        "review_note",
        "admission_number",
        "exam_room",
        "seat_number",
        "written_score",
        "written_rank",
        "interview_score",
        "composite_score",
        "rank",
        "tie_break_position",
        "tie_break_note",
        "notice_starts_on",
        "notice_ends_on",
        "reserve_until",
        "outcome_note",
    )
    transition_labels = {
        "submit": _("Register"),
        "mark_eligible": _("Eligible after review"),
        "mark_ineligible": _("Not eligible after review"),
        "waive": _("Eligible by an approved waiver"),
        "admit": _("Assign the admission number and seat"),
        "record_written": _("Record the written score"),
        "mend_absence": _("Record the written score of an applicant marked absent by mistake"),
        "mark_absent": _("Mark absent"),
        "shortlist": _("Call to the interview"),
        "rank_with": _("Compute the composite score"),
        "propose": _("Propose for hire"),
        "hire": _("Hire"),
        "reject": _("Not hired"),
        "keep_in_reserve": _("Put on the reserve list"),
        "hire_from_reserve": _("Hired from the reserve list"),
        "withdraw": _("Withdrawn by the applicant"),
    }
    audit_values = {
        "checks": AuditValue(show=_checks_text),
        "attachments": AuditValue(_("files uploaded"), show=_attachments_text),
        "interview_marks": AuditValue(_("interview marks"), show=_marks_text),
        "interview_average": AuditValue(_("interview score")),
    }

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["campaign", "offer", "id"]
        constraints = [
            models.UniqueConstraint(
                "campaign", "id_number", name="application_one_per_id_per_campaign"
            ),
            models.UniqueConstraint(
                "campaign", "number", name="application_unique_number_per_campaign"
            ),
            # <year><township><sequence>: one number, one candidate, across campaigns
            # (recruitment.services.review.admission_assign).
            models.UniqueConstraint(
                "admission_number",
                condition=~models.Q(admission_number=""),
                name="application_unique_admission_number",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_id_number})"

    @property
    def audit_township(self):
        return self.campaign.township

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def public_repr(self) -> str:
        """How documents about this application name it on the public verify page: the
        masked ID number only, never the name."""
        return _("Application %(id)s") % {"id": self.masked_id_number}

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)

    # Transitions (fields only)
    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.ELIGIBLE)
    def mark_eligible(self, *, by, checks: list, note: str = "") -> None:
        self._reviewed(by, checks, note)

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.INELIGIBLE)
    def mark_ineligible(self, *, by, checks: list, note: str) -> None:
        self._reviewed(by, checks, note)

    def _reviewed(self, by, checks: list, note: str) -> None:
        self.reviewed_by = by
        self.reviewed_at = timezone.now()
        self.checks = checks
        self.review_note = note

    @transition(field=state, source=ApplicationState.INELIGIBLE, target=ApplicationState.ELIGIBLE)
    def waive(self) -> None:
        """A county HR officer approved a waiver of the failed rule."""

    @transition(field=state, source=ApplicationState.ELIGIBLE, target=ApplicationState.SCORED)
    def record_written(self, *, score: Decimal) -> None:
        self.written_score = score

    @transition(
        field=state,
        source=[ApplicationState.ELIGIBLE, ApplicationState.SHORTLISTED],
        target=ApplicationState.ABSENT,
    )
    def mark_absent(self) -> None:
        """Did not sit the written exam, or did not come to the interview."""

    def absent_from_written(self) -> bool:
        """Marked absent from the written exam (not from the interview: that one has a
        written score)."""
        return self.written_score is None

    @transition(
        field=state,
        source=ApplicationState.ABSENT,
        target=ApplicationState.SCORED,
        conditions=[absent_from_written],  # type: ignore[list-item]
    )
    def mend_absence(self, *, score: Decimal) -> None:
        """Marked absent from the written exam by mistake: the score is recorded after all
        (``recruitment.services.written_exam.written_score_mend``)."""
        self.written_score = score

    @transition(field=state, source=ApplicationState.SCORED, target=ApplicationState.SHORTLISTED)
    def shortlist(self, *, written_rank: int) -> None:
        self.written_rank = written_rank

    @transition(field=state, source=ApplicationState.SHORTLISTED, target=ApplicationState.RANKED)
    def rank_with(self, *, interview: Decimal, composite: Decimal) -> None:
        self.interview_score = interview
        self.composite_score = composite

    @transition(field=state, source=ApplicationState.RANKED, target=ApplicationState.PROPOSED)
    def propose(
        self,
        *,
        notice_starts_on: datetime.date | None = None,
        notice_ends_on: datetime.date | None = None,
    ) -> None:
        """Among the best of the village: published in the public notice (for the period
        given, which the service computes on the working-day calendar)."""
        self.notice_starts_on = notice_starts_on
        self.notice_ends_on = notice_ends_on

    @transition(field=state, source=ApplicationState.PROPOSED, target=ApplicationState.HIRED)
    def hire(self) -> None:
        """Confirmed after the notice period."""

    @transition(
        field=state,
        source=[
            ApplicationState.SCORED,
            ApplicationState.RANKED,
            ApplicationState.PROPOSED,
            ApplicationState.RESERVE,
        ],
        target=ApplicationState.NOT_HIRED,
    )
    def reject(self, *, note: str = "") -> None:
        """Not hired: below a pass line, not shortlisted, an upheld objection, or the
        reserve period ended."""
        self.outcome_note = note

    @transition(
        field=state,
        source=[ApplicationState.SUBMITTED, ApplicationState.ELIGIBLE],
        target=ApplicationState.WITHDRAWN,
    )
    def withdraw(self) -> None:
        """The applicant withdrew before the written exam."""

    @transition(field=state, source=ApplicationState.RANKED, target=ApplicationState.RESERVE)
    def keep_in_reserve(self, *, until: datetime.date) -> None:
        self.reserve_until = until

    @transition(field=state, source=ApplicationState.RESERVE, target=ApplicationState.HIRED)
    def hire_from_reserve(self) -> None:
        """Accepted the post of a vacancy offered from the reserve list
        (``contracts.services.vacancies.reserve_offer_answer``)."""


# The formats an upload is stored in (recruitment.services.applications), as people say them.
ATTACHMENT_FORMATS = {
    "image/jpeg": _("JPEG picture"),
    "image/png": _("PNG picture"),
    "application/pdf": _("PDF document"),
}


class Attachment(models.Model):
    """A photo or certificate scan uploaded with an application."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="application__campaign__township__county",
        township="application__campaign__township",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def format_label(self) -> str:
        """The file's format in words ("PDF document"), not its media type."""
        return str(ATTACHMENT_FORMATS.get(self.content_type, self.content_type))


class InterviewMark(models.Model):
    """One panel member's mark for one interviewed applicant."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="interview_marks",
    )
    panel_seat = models.PositiveSmallIntegerField(_("panel member no."))
    examiner = models.CharField(_("panel member"), max_length=64)
    score = models.DecimalField(
        _("mark"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_paths = ScopePaths(
        county="application__campaign__township__county",
        township="application__campaign__township",
    )

    class Meta:
        verbose_name = _("interview mark")
        verbose_name_plural = _("interview marks")
        ordering = ["application", "panel_seat"]
        constraints = [
            models.UniqueConstraint("application", "panel_seat", name="interview_mark_one_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.panel_seat}: {self.score}"


class DecisionOnApplication(models.Model):
    """What a waiver and an objection share: a decision about one application, by whom and
    when, seen by the application's township. Subclasses define ``application``."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    scope_paths = ScopePaths(
        county="application__campaign__township__county",
        township="application__campaign__township",
    )

    class Meta:
        abstract = True

    @property
    def audit_township(self):
        return self.application.campaign.township  # type: ignore[attr-defined]


class Waiver(DecisionOnApplication):
    """A request to waive a failed eligibility rule: a committee member's written
    justification, decided by a county HR officer. Both steps are audited."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="waivers",
    )
    rule = models.CharField(_("rule"), max_length=32, choices=EligibilityRule.choices)
    justification = models.TextField(_("justification"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=WaiverDecision.choices,
        default=WaiverDecision.PENDING,
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    audit_fields = ("decision", "decided_by", "decided_at", "decision_note")
    transition_labels = {
        "waiver_request": _("Ask the county to waive a rule"),
        "waiver_approve": _("Approve the waiver"),
        "waiver_reject": _("Refuse the waiver"),
    }

    class Meta:
        verbose_name = _("eligibility waiver")
        verbose_name_plural = _("eligibility waivers")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_rule_display()}"


class Objection(DecisionOnApplication):
    """An objection (异议) to a proposed hire, lodged during the public notice period."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("proposed hire"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    received_on = models.DateField(_("received on"))
    lodged_by = models.CharField(
        _("lodged by"),
        max_length=100,
        blank=True,
        help_text=_("Name or description of who raised it; may be anonymous."),
    )
    content = models.TextField(_("content"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=ObjectionDecision.choices,
        default=ObjectionDecision.PENDING,
    )
    finding = models.TextField(_("finding"), blank=True)

    audit_fields = ("decision", "decided_by", "decided_at", "finding")
    transition_labels = {"decide": _("Decide the objection")}

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.application} ({self.received_on})"
