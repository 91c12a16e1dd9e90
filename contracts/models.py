"""Directors' contracts (聘用合同) and their term."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from contracts.constants import (
    IN_FORCE_STATES,
    PENDING_STATES,
    CaseDecision,
    CaseState,
    ContractOrigin,
    ContractState,
    EndReason,
    GroundDetector,
    InductionSource,
    OfferAnswer,
    RenewalMode,
    RenewalState,
    ResignationState,
    VacancyCause,
    VacancyState,
)
from core.fields import user_field
from core.scoping import ScopePaths


class Contract(ConcurrentTransitionMixin, models.Model):
    """A director's contract for one post and one term.

    States:
    - drafted: created when a hire is confirmed (or a renewal decided); printed for signing.
    - signed: signed by the township and the director, each with a date.
    - active: in force once the county has filed it (县备案) and induction training is
      recorded; the post is occupied and the person is its director.
    - expiring: the renewal review is open before the end date.
    - renewed / expired / terminated / dismissed: how it ended (``end_reason``, ``ended_on``).

    The transitions below change fields and nothing else; ``contracts.services`` calls them in
    one transaction with the post, the vacancy, the audit row and the paperwork. The database
    allows one contract in force per post and per person, and one pending per post.
    """

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    post = models.ForeignKey(
        "organisation.Post",
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    application = models.OneToOneField(
        "recruitment.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=ContractState.choices,
        default=ContractState.DRAFTED,
        protected=True,
    )
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    monthly_pay = models.DecimalField(_("monthly pay (yuan)"), max_digits=9, decimal_places=2)
    origin = models.CharField(
        _("origin"), max_length=16, choices=ContractOrigin.choices, default=ContractOrigin.HIRE
    )
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
    )
    # Signing (both parties, each with a date)
    township_signatory = models.CharField(
        _("signed for the township by"), max_length=64, blank=True
    )
    township_signed_on = models.DateField(_("township signed on"), null=True, blank=True)
    director_signed_on = models.DateField(_("director signed on"), null=True, blank=True)
    signed_by = user_field(_("signing recorded by"))
    # County filing (县备案)
    filing_submitted_on = models.DateField(_("submitted for filing on"), null=True, blank=True)
    filed_on = models.DateField(_("filed with the county on"), null=True, blank=True)
    filed_by = user_field(_("filed by"))
    filing_number = models.CharField(_("filing number"), max_length=32, blank=True)
    # Induction training (初任培训): a dated fact and where it came from
    induction_on = models.DateField(_("induction training completed on"), null=True, blank=True)
    induction_source = models.CharField(
        _("induction recorded from"), max_length=16, choices=InductionSource.choices, blank=True
    )
    induction_note = models.CharField(_("induction note"), max_length=200, blank=True)
    activated_on = models.DateField(_("in force from"), null=True, blank=True)
    # How it ended
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=16, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("end note"), blank=True)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="township__county", township="township", village="post__village", self="person"
    )
    # How its audit trail reads (audit.display).
    transition_labels = {
        "draft": _("Draft the contract"),
        "import": _("Import a director in post"),
        "sign": _("Sign the contract"),
        "submit_filing": _("Submit the contract for county filing"),
        "file": _("File the contract with the county"),
        "record_induction": _("Record induction training"),
        "activate": _("Put the contract in force"),
        "open_renewal": _("Open the renewal review"),
        "renew": _("Renew the contract"),
        "expire": _("Expire the contract"),
        "terminate": _("Terminate the contract"),
        "dismiss": _("Dismiss the director"),
    }
    audit_name_related = ("person",)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "-id"]
        permissions = [
            (
                "manage_term",
                "Can sign contracts and decide on the term of the township's directors",
            ),
            ("file_contract", "Can file contracts with the county and record induction"),
            ("import_directors", "Can import the directors in post"),
        ]
        constraints = [
            models.UniqueConstraint(
                "post",
                condition=models.Q(state__in=IN_FORCE_STATES),
                name="contract_one_in_force_per_post",
                violation_error_message=_("This post already has a contract in force."),
            ),
            models.UniqueConstraint(
                "person",
                condition=models.Q(state__in=IN_FORCE_STATES),
                name="contract_one_in_force_per_person",
                violation_error_message=_("This person already has a contract in force."),
            ),
            models.UniqueConstraint(
                "post",
                condition=models.Q(state__in=PENDING_STATES),
                name="contract_one_pending_per_post",
                violation_error_message=_("This post already has a contract waiting to start."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="contract_ends_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["township", "state", "end_date"]),
            models.Index(fields=["state", "end_date"]),
        ]

    def __str__(self) -> str:
        # Read by people (the audit log's record column keeps it): Chinese dates, no ISO.
        return _("%(name)s, %(start)s to %(end)s") % {
            "name": self.person.name,
            "start": date_format(self.start_date, "DATE_FORMAT"),
            "end": date_format(self.end_date, "DATE_FORMAT"),
        }

    @property
    def is_in_force(self) -> bool:
        return self.state in IN_FORCE_STATES

    def is_filed(self) -> bool:
        return self.filed_on is not None

    def has_induction(self) -> bool:
        """Induction training is recorded, or not required (a renewal)."""
        return (
            self.induction_on is not None or self.induction_source == InductionSource.NOT_REQUIRED
        )

    def days_left(self, today: datetime.date) -> int:
        """Days from ``today`` to the end date, the end date included; 0 once it has passed."""
        return max((self.end_date - today).days + 1, 0)

    # --- transitions: fields only; contracts.services does the rest ----------------------

    @transition(field=state, source=ContractState.DRAFTED, target=ContractState.SIGNED)
    def sign(self, *, signatory: str, township_on, director_on, by) -> None:
        self.township_signatory = signatory
        self.township_signed_on = township_on
        self.director_signed_on = director_on
        self.signed_by = by

    @transition(
        field=state,
        source=ContractState.SIGNED,
        target=ContractState.ACTIVE,
        conditions=[is_filed, has_induction],  # type: ignore[list-item]
    )
    def activate(self, *, on) -> None:
        self.activated_on = on

    @transition(field=state, source=ContractState.ACTIVE, target=ContractState.EXPIRING)
    def open_renewal(self) -> None:
        pass

    @transition(field=state, source=ContractState.EXPIRING, target=ContractState.RENEWED)
    def renew(self) -> None:
        self.ended_on = self.end_date
        self.end_reason = EndReason.RENEWAL

    @transition(field=state, source=IN_FORCE_STATES, target=ContractState.EXPIRED)
    def expire(self) -> None:
        self.ended_on = self.end_date
        self.end_reason = EndReason.EXPIRY

    @transition(field=state, source=IN_FORCE_STATES, target=ContractState.TERMINATED)
    def terminate(self, *, on, reason: str, note: str = "") -> None:
        self.ended_on = on
        self.end_reason = reason
        self.end_note = note

    @transition(field=state, source=IN_FORCE_STATES, target=ContractState.DISMISSED)
    def dismiss(self, *, on, note: str = "") -> None:
        self.ended_on = on
        self.end_reason = EndReason.DISMISSAL
        self.end_note = note


class Vacancy(ConcurrentTransitionMixin, models.Model):
    """A post without a director in force (空岗), from the day it fell vacant until a new
    contract is in force.

    States:
    - open: fell vacant; the township designates an acting person at once.
    - acting: an acting person (代行职责) is designated.
    - refilling: a refill campaign is open or a reserve candidate has accepted.
    - filled: a new contract came into force (``filled_by``).
    - closed: the post was abolished instead of refilled.

    ``refill_due`` is 2 calendar months (policy) after ``opened_on``, clamped to the month's
    end and moved to the next working day (``contracts.dates.refill_due``). ``escalated_on``
    is set when the sweep finds it overdue and hands it to the county.
    """

    post = models.ForeignKey(
        "organisation.Post",
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=VacancyState.choices,
        default=VacancyState.OPEN,
        protected=True,
    )
    cause = models.CharField(_("cause"), max_length=16, choices=VacancyCause.choices)
    ended_contract = models.OneToOneField(
        Contract,
        verbose_name=_("contract that ended"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancy_left",
    )
    opened_on = models.DateField(_("vacant since"))
    refill_due = models.DateField(_("refill due by"))
    acting_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("acting person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acting_for",
    )
    acting_from = models.DateField(_("acting from"), null=True, blank=True)
    refill_campaign = models.ForeignKey(
        "recruitment.Campaign",
        verbose_name=_("refill campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refilled_vacancies",
    )
    escalated_on = models.DateField(_("escalated to the county on"), null=True, blank=True)
    filled_by = models.OneToOneField(
        Contract,
        verbose_name=_("filled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancy_filled",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="township__county",
        township="township",
        village="post__village",
        self="acting_person",
    )
    transition_labels = {
        "open": _("The post fell vacant"),
        "designate_acting": _("Designate an acting person"),
        "start_refill": _("Start refilling the post"),
        "fill": _("The post is filled"),
        "close": _("Close the vacancy"),
        "mark_overdue": _("Not refilled in time; the county is told"),
    }
    audit_name_related = ("post",)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["refill_due", "id"]
        constraints = [
            models.UniqueConstraint(
                "post",
                condition=models.Q(state__in=["open", "acting", "refilling"]),
                name="vacancy_one_open_per_post",
                violation_error_message=_("This post already has an open vacancy."),
            ),
        ]
        indexes = [models.Index(fields=["township", "state", "refill_due"])]

    def __str__(self) -> str:
        return _("Vacancy of %(post)s") % {"post": self.post}

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state in ("open", "acting", "refilling") and today > self.refill_due

    @transition(
        field=state,
        source=[VacancyState.OPEN, VacancyState.ACTING, VacancyState.REFILLING],
        target=GET_STATE(
            lambda self, **kwargs: (
                VacancyState.ACTING if self.state == VacancyState.OPEN else self.state
            ),
            states=[VacancyState.ACTING, VacancyState.REFILLING],
        ),
    )
    def designate_acting(self, *, person, on) -> None:
        """Designate (or replace) the acting person; a refill under way stays under way."""
        self.acting_person = person
        self.acting_from = on

    @transition(
        field=state, source=[VacancyState.OPEN, VacancyState.ACTING], target=VacancyState.REFILLING
    )
    def start_refill(self, *, campaign=None) -> None:
        if campaign is not None:
            self.refill_campaign = campaign

    @transition(
        field=state,
        source=[VacancyState.OPEN, VacancyState.ACTING, VacancyState.REFILLING],
        target=VacancyState.FILLED,
    )
    def fill(self, *, contract, on) -> None:
        self.filled_by = contract
        self.closed_on = on

    @transition(
        field=state,
        source=[VacancyState.OPEN, VacancyState.ACTING, VacancyState.REFILLING],
        target=VacancyState.CLOSED,
    )
    def close(self, *, on) -> None:
        self.closed_on = on


class ReserveOffer(models.Model):
    """The post of a vacancy offered to a reserve candidate (备选名单) of the campaign that
    filled it, in rank order, with the answer recorded."""

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="offers"
    )
    application = models.ForeignKey(
        "recruitment.Application",
        verbose_name=_("reserve candidate"),
        on_delete=models.PROTECT,
        related_name="reserve_offers",
    )
    offered_on = models.DateField(_("offered on"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.CharField(
        _("answer"), max_length=16, choices=OfferAnswer.choices, default=OfferAnswer.PENDING
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = user_field(_("answer recorded by"))

    scope_paths = ScopePaths(
        county="vacancy__township__county",
        township="vacancy__township",
        village="vacancy__post__village",
        self="application__person",
    )
    transition_labels = {
        "offer": _("Offer the post to a reserve candidate"),
        "answer": _("Record the reserve candidate's answer"),
    }
    audit_name_related = ("vacancy",)

    class Meta:
        verbose_name = _("reserve offer")
        verbose_name_plural = _("reserve offers")
        ordering = ["vacancy", "offered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                "vacancy", "application", name="reserve_offer_once_per_candidate"
            ),
            models.UniqueConstraint(
                "vacancy",
                condition=models.Q(answer="pending"),
                name="reserve_offer_one_pending_per_vacancy",
                violation_error_message=_("An offer for this post is still waiting for an answer."),
            ),
        ]

    def __str__(self) -> str:
        return _("Offer of %(post)s to %(name)s") % {
            "post": self.vacancy.post,
            "name": self.application.name,
        }


class Resignation(ConcurrentTransitionMixin, models.Model):
    """A director's request to resign (辞职) and the township's answer.

    The notice period (policy ``contract_notice_days``) counts from the day after the request;
    the township accepts with an end date no earlier than its last day, unless both agree on an
    earlier one (``agreed_earlier``)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="resignations"
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=ResignationState.choices,
        default=ResignationState.REQUESTED,
        protected=True,
    )
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    wished_end_date = models.DateField(_("last day wished"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice period ends on"))
    end_date = models.DateField(_("last day of service"), null=True, blank=True)
    agreed_earlier = models.BooleanField(_("both parties agreed on an earlier end"), default=False)
    decided_on = models.DateField(_("accepted on"), null=True, blank=True)
    decided_by = user_field(_("accepted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="contract__township__county",
        township="contract__township",
        village="contract__post__village",
        self="contract__person",
    )
    transition_labels = {
        "request": _("Request to resign"),
        "accept": _("Accept the resignation"),
        "withdraw": _("Withdraw the resignation"),
    }
    audit_name_related = ("contract__person",)

    class Meta:
        verbose_name = _("resignation")
        verbose_name_plural = _("resignations")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                "contract",
                condition=models.Q(state="requested"),
                name="resignation_one_pending_per_contract",
                violation_error_message=_("A resignation of this contract is already waiting."),
            ),
        ]

    def __str__(self) -> str:
        return _("Resignation of %(name)s") % {"name": self.contract.person.name}

    @property
    def township(self):
        return self.contract.township

    @transition(field=state, source=ResignationState.REQUESTED, target=ResignationState.ACCEPTED)
    def accept(self, *, end_date, agreed_earlier: bool, on, by) -> None:
        self.end_date = end_date
        self.agreed_earlier = agreed_earlier
        self.decided_on = on
        self.decided_by = by

    @transition(field=state, source=ResignationState.REQUESTED, target=ResignationState.WITHDRAWN)
    def withdraw(self, *, on, by) -> None:
        self.decided_on = on
        self.decided_by = by


class RenewalReview(ConcurrentTransitionMixin, models.Model):
    """The township's review before a term ends (续聘), opened by the sweep a policy number of
    days before the end date, with the facts it needs recorded as they stood (``facts``)."""

    contract = models.OneToOneField(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="renewal_review",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField(_("renewal by"), max_length=20, choices=RenewalMode.choices)
    state = FSMField(
        _("state"),
        max_length=16,
        choices=RenewalState.choices,
        default=RenewalState.OPEN,
        protected=True,
    )
    opened_on = models.DateField(_("opened on"))
    facts = models.JSONField(_("facts at the review"), default=dict)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = user_field(_("decided by"))
    reasons = models.TextField(_("reasons"), blank=True)
    # Renewal by re-selection (seed 001: 按选聘条件和选聘程序重新聘用): the committee records
    # that the director was re-selected under the same conditions and procedure.
    reselected = models.BooleanField(
        _("re-selected under the same conditions and procedure"), default=False
    )
    new_contract = models.OneToOneField(
        Contract,
        verbose_name=_("new contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal_decision",
    )

    scope_paths = ScopePaths(
        county="contract__township__county",
        township="contract__township",
        village="contract__post__village",
        self="contract__person",
    )
    transition_labels = {
        "open": _("Open the renewal review"),
        "decide_renew": _("Decide to renew"),
        "decide_not_renew": _("Decide not to renew"),
    }
    audit_name_related = ("contract__person",)

    class Meta:
        verbose_name = _("renewal review")
        verbose_name_plural = _("renewal reviews")
        ordering = ["contract__end_date", "id"]

    def __str__(self) -> str:
        return _("Renewal review of %(name)s") % {"name": self.contract.person.name}

    @property
    def township(self):
        return self.contract.township

    @transition(field=state, source=RenewalState.OPEN, target=RenewalState.RENEW)
    def decide_renew(self, *, on, by, reasons: str) -> None:
        self.decided_on, self.decided_by, self.reasons = on, by, reasons

    @transition(field=state, source=RenewalState.OPEN, target=RenewalState.NOT_RENEW)
    def decide_not_renew(self, *, on, by, reasons: str) -> None:
        self.decided_on, self.decided_by, self.reasons = on, by, reasons


class DismissalGround(models.Model):
    """One of seed 001's nine grounds for dismissal (辞退), its text kept verbatim."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    text = models.CharField(_("text"), max_length=100)
    detector = models.CharField(
        _("shown by"), max_length=20, choices=GroundDetector.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("dismissal ground")
        verbose_name_plural = _("dismissal grounds")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.case_id}/{filename}"


class DismissalCase(ConcurrentTransitionMixin, models.Model):
    """A dismissal case (辞退) against a director: opened (grounds, evidence) → director heard
    → decided by the committee → filed with the county. The contract stays in force until a
    decision to dismiss; nothing is decided before the hearing."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="cases"
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="dismissal_cases",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=CaseState.choices,
        default=CaseState.OPENED,
        protected=True,
    )
    detected = models.BooleanField(_("opened by detection"), default=False)
    opened_on = models.DateField(_("opened on"))
    opened_by = user_field(_("opened by"))
    summary = models.TextField(_("facts"), blank=True)
    # Hearing: the director's statement, or a record that they declined to give one
    statement_due = models.DateField(_("statement due by"), null=True, blank=True)
    statement = models.TextField(_("director's statement"), blank=True)
    statement_declined = models.BooleanField(_("declined to give a statement"), default=False)
    heard_on = models.DateField(_("heard on"), null=True, blank=True)
    # Decision
    decision = models.CharField(
        _("decision"), max_length=16, choices=CaseDecision.choices, blank=True
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = user_field(_("decided by"))
    filed_on = models.DateField(_("filed with the county on"), null=True, blank=True)
    filed_by = user_field(_("filed by"))

    scope_paths = ScopePaths(
        county="township__county",
        township="township",
        village="contract__post__village",
        self="contract__person",
    )
    transition_labels = {
        "open": _("Open a dismissal case"),
        "hear": _("Record the director's statement"),
        "decide": _("Decide the case"),
        "file": _("File the case with the county"),
    }
    audit_name_related = ("contract__person",)

    class Meta:
        verbose_name = _("dismissal case")
        verbose_name_plural = _("dismissal cases")
        ordering = ["-opened_on", "-id"]
        permissions = [
            ("open_dismissalcase", "Can open and decide dismissal cases in the township"),
            ("file_dismissalcase", "Can file dismissal cases with the county"),
        ]

    def __str__(self) -> str:
        return _("Dismissal case of %(name)s") % {"name": self.contract.person.name}

    @transition(field=state, source=CaseState.OPENED, target=CaseState.HEARD)
    def hear(self, *, on, statement: str, declined: bool) -> None:
        self.heard_on, self.statement, self.statement_declined = on, statement, declined

    @transition(field=state, source=CaseState.HEARD, target=CaseState.DECIDED)
    def decide(self, *, decision: str, reasons: str, on, by) -> None:
        self.decision, self.decision_reasons = decision, reasons
        self.decided_on, self.decided_by = on, by

    @transition(field=state, source=CaseState.DECIDED, target=CaseState.FILED)
    def file(self, *, on, by) -> None:
        self.filed_on, self.filed_by = on, by


class CaseGround(models.Model):
    """A ground of a case for a period (a year, or the last of the consecutive years it
    covers). The same ground and period is never opened twice for one person."""

    case = models.ForeignKey(
        DismissalCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="grounds"
    )
    ground = models.ForeignKey(
        DismissalGround, verbose_name=_("ground"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("director"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveSmallIntegerField(_("year"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ground of a case")
        verbose_name_plural = _("grounds of a case")
        ordering = ["case", "ground__position"]
        constraints = [
            models.UniqueConstraint(
                "person",
                "ground",
                "period",
                name="case_ground_once_per_person_period",
                violation_error_message=_(
                    "A case on this ground and period is already opened for this director."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ground} ({self.period})"


class CaseEvidence(models.Model):
    case = models.ForeignKey(
        DismissalCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="evidence"
    )
    text = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    added_by = user_field(_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["case", "added_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.text[:40]


class BirthRecord(models.Model):
    """Births against the family-planning rule counted in a village in a year, recorded by
    the township (one of the grounds data can show)."""

    village = models.ForeignKey(
        "organisation.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="birth_records",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    violations = models.PositiveSmallIntegerField(_("births against the rule"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    scope_paths = ScopePaths(
        county="village__township__county",
        township="village__township",
        village="village",
        self="village__posts__holder",
    )
    audit_name_related = ("village",)

    class Meta:
        verbose_name = _("birth record")
        verbose_name_plural = _("birth records")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint("village", "year", name="birth_record_once_per_village_year")
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"
