"""The monthly assessment (月督查、月通报、月考核、月排序, seed 001) and its scoring scheme.

The county sets a scoring scheme per year (``ScoringScheme``, versioned; the version is kept
on every score). A township opens a month (``AssessmentMonth``), its office scores each
director in post (``MonthlyScore``: points per item, a total of 0–100 with two decimals
rounded half-up, the rank in the township and the pay after the policy's deduction), then
publishes the bulletin and settles the pay. A correction reopens the month with a reason.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from assessment.constants import ItemBasis, ItemKind, ItemNature, MonthState
from core.fields import user_field
from core.scoping import COUNTY_WIDE, ScopePaths


class ScoringScheme(models.Model):
    """The county's monthly scoring items for one year, in the 四并 spirit (seed 002).

    A version is never edited once a month has used it: a change is a new version. The
    version in use for a year is the highest one.
    """

    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="scoring_schemes",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = COUNTY_WIDE
    audit_name_related = ("county",)

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["county", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                "county",
                "year",
                "version",
                name="scheme_unique_version",
                violation_error_message=_("This year already has a scheme of this version."),
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s scoring scheme, version %(version)s") % {
            "year": self.year,
            "version": self.version,
        }


class ScoringItem(models.Model):
    """One item of a scheme: its most points (scored items), or its limit (bonus and deduction
    items)."""

    scheme = models.ForeignKey(
        ScoringScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("item"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    nature = models.CharField(_("nature"), max_length=16, choices=ItemNature.choices)
    basis = models.CharField(_("basis"), max_length=16, choices=ItemBasis.choices)
    max_points = models.DecimalField(_("most points"), max_digits=5, decimal_places=2)
    guidance = models.TextField(_("how it is scored"), blank=True)

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["scheme", "order"]
        constraints = [
            models.UniqueConstraint("scheme", "order", name="scoring_item_unique_order"),
            models.UniqueConstraint("scheme", "name", name="scoring_item_unique_name"),
            models.CheckConstraint(
                condition=models.Q(max_points__gt=0), name="scoring_item_positive_max"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentMonth(ConcurrentTransitionMixin, models.Model):
    """One township's month: open → scored → published → settled.

    The transitions change fields only; ``assessment.services`` calls them in one
    transaction with the scores, the ranking, the audit row and the paperwork. A correction
    (``reopen``) takes a published or settled month back to open with a reason and raises
    ``revision``; the documents issued after it supersede the earlier ones.
    """

    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="assessment_months",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    scheme = models.ForeignKey(
        ScoringScheme,
        verbose_name=_("scoring scheme"),
        on_delete=models.PROTECT,
        related_name="months",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="assessment_months",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=MonthState.choices,
        default=MonthState.OPEN,
        protected=True,
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    opened_by = user_field(_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    scored_by = user_field(_("scoring finished by"))
    scored_at = models.DateTimeField(_("scoring finished at"), null=True, blank=True)
    published_by = user_field(_("published by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    settled_by = user_field(_("settled by"))
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    # The month's figures as published (``assessment.services.months``): how many directors
    # were scored and the mean of their totals (two decimals, half-up). The dashboards'
    # monthly ranking reads them instead of every score.
    scored_count = models.PositiveIntegerField(
        _("directors scored"), null=True, blank=True, editable=False
    )
    mean_total = models.DecimalField(
        _("mean score"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    # The revision whose bulletin has been issued (the background job checks it, so that a
    # retried job never issues a second bulletin for the same revision).
    bulletin_revision = models.PositiveSmallIntegerField(
        _("bulletin issued for revision"), null=True, blank=True, editable=False
    )

    scope_paths = ScopePaths(
        county="township__county",
        township="township",
        village="township__villages",
        self="scores__person",
    )
    transition_labels = {
        "open": _("Open the month"),
        "finish_scoring": _("Finish scoring"),
        "resume_scoring": _("Resume scoring"),
        "publish": _("Publish the monthly bulletin"),
        "settle": _("Settle the month's pay"),
        "reopen": _("Reopen the month for a correction"),
    }
    audit_name_related = ("township",)

    class Meta:
        verbose_name = _("assessment month")
        verbose_name_plural = _("assessment months")
        ordering = ["-year", "-month", "township"]
        permissions = [
            ("score_month", "Can open a month, record inspections and enter scores"),
            ("publish_month", "Can publish, settle and correct a month"),
        ]
        constraints = [
            models.UniqueConstraint(
                "township",
                "year",
                "month",
                name="assessment_month_unique",
                violation_error_message=_("This township has already opened this month."),
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="assessment_month_valid"
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "state"])]

    def __str__(self) -> str:
        return _("%(township)s, %(year)s年%(month)s月") % {
            "township": self.township.name,
            "year": self.year,
            "month": self.month,
        }

    # --- transitions: fields only; assessment.services does the rest --------------------

    @transition(field=state, source=MonthState.OPEN, target=MonthState.SCORED)
    def finish_scoring(self, *, by, at) -> None:
        self.scored_by, self.scored_at = by, at

    @transition(field=state, source=MonthState.SCORED, target=MonthState.OPEN)
    def resume_scoring(self) -> None:
        self.scored_by, self.scored_at = None, None

    @transition(field=state, source=MonthState.SCORED, target=MonthState.PUBLISHED)
    def publish(self, *, by, at) -> None:
        self.published_by, self.published_at = by, at

    @transition(field=state, source=MonthState.PUBLISHED, target=MonthState.SETTLED)
    def settle(self, *, by, at) -> None:
        self.settled_by, self.settled_at = by, at

    @transition(
        field=state, source=[MonthState.PUBLISHED, MonthState.SETTLED], target=MonthState.OPEN
    )
    def reopen(self) -> None:
        self.revision += 1
        self.scored_by = self.published_by = self.settled_by = None
        self.scored_at = self.published_at = self.settled_at = None


class MonthCorrection(models.Model):
    """Why a published or settled month was reopened (a reason is required)."""

    month = models.ForeignKey(
        AssessmentMonth,
        verbose_name=_("month"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    revision = models.PositiveSmallIntegerField(_("revision opened"))
    reason = models.TextField(_("reason"))
    by = user_field(_("reopened by"))
    at = models.DateTimeField(_("reopened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("month correction")
        verbose_name_plural = _("month corrections")
        ordering = ["month", "revision"]
        constraints = [
            models.UniqueConstraint("month", "revision", name="month_correction_unique"),
        ]

    def __str__(self) -> str:
        return str(self.month)

    @property
    def audit_township(self):
        return self.month.township


class MonthlyScore(models.Model):
    """One director's score for one month: points per item of the scheme (``points``, keyed
    by the item's id as text, values as decimal strings), the total (0–100, two decimals
    half-up), the rank in the township once published, and the pay after the deduction of
    the score's band (to the fen, half-up)."""

    month = models.ForeignKey(
        AssessmentMonth, verbose_name=_("month"), on_delete=models.CASCADE, related_name="scores"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        related_name="monthly_scores",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="monthly_scores",
    )
    village = models.ForeignKey(
        "organisation.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="monthly_scores",
    )
    scheme = models.ForeignKey(
        ScoringScheme,
        verbose_name=_("scoring scheme"),
        on_delete=models.PROTECT,
        related_name="scores",
    )
    points = models.JSONField(_("points per item"), default=dict)
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)
    rank = models.PositiveIntegerField(_("rank in the township"), null=True, blank=True)
    base_pay = models.DecimalField(_("monthly pay (yuan)"), max_digits=9, decimal_places=2)
    deduction_percent = models.DecimalField(
        _("deduction (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    deduction = models.DecimalField(
        _("deduction (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    pay = models.DecimalField(
        _("pay after deduction (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    recorded_by = user_field(_("scored by"))
    recorded_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    # The month's revision whose slip has been issued (see AssessmentMonth.bulletin_revision).
    slip_revision = models.PositiveSmallIntegerField(
        _("slip issued for revision"), null=True, blank=True, editable=False
    )

    scope_paths = ScopePaths(
        county="month__township__county",
        township="month__township",
        village="village",
        self="person",
    )
    audit_name_related = ("person", "month")

    class Meta:
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        ordering = ["month", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                "month",
                "person",
                name="monthly_score_one_per_person",
                violation_error_message=_("This director already has a score for this month."),
            ),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(total__gte=0),
                name="monthly_score_total_not_negative",
                violation_error_message=_("A monthly score cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["person", "month"])]

    def __str__(self) -> str:
        return _("%(name)s, %(month)s") % {"name": self.person.name, "month": self.month}


class CountyMonth(models.Model):
    """The county's ranking of one month across its townships (月排序), the subject of the
    county bulletin that county HR issues once the townships have published the month."""

    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="assessment_months",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    issued_by = user_field(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    scope_paths = ScopePaths(county="county")
    audit_name_related = ("county",)

    class Meta:
        verbose_name = _("county month")
        verbose_name_plural = _("county months")
        ordering = ["-year", "-month", "county"]
        constraints = [
            models.UniqueConstraint("county", "year", "month", name="county_month_unique"),
        ]

    def __str__(self) -> str:
        return _("%(county)s, %(year)s年%(month)s月") % {
            "county": self.county.name,
            "year": self.year,
            "month": self.month,
        }
