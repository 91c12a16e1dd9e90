"""The county policy, versioned by effective date. Every rule's number lives here.

Defaults come from seed 001 (the Guanling scheme of 2014) and the table in DESIGN.md.
A version is never edited: a change is saved as a new version with its own effective date,
so decisions taken under an older version can still show the numbers they applied.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from audit.display import AuditValue, listing
from core.education import Education
from core.scoping import COUNTY_WIDE
from policy.constants import Grade, RenewalMode
from policy.validation import validate_policy


def default_quota_tiers() -> list[dict]:
    """Seed 001: ≤2000 → 1 post; 2001–4999 → 2; ≥5000 → 3 (以内/以上 include the number)."""
    return [
        {"min": 0, "max": 2000, "posts": 1},
        {"min": 2001, "max": 4999, "posts": 2},
        {"min": 5000, "max": None, "posts": 3},
    ]


def default_pay_deduction_bands() -> list[dict]:
    """Monthly deduction from pay by score band. Seed 001 says pay is deducted by the monthly
    assessment but gives no figures: these bands are a starting point for the county to set."""
    return [
        {"min_score": 90, "deduction_percent": 0},
        {"min_score": 80, "deduction_percent": 5},
        {"min_score": 70, "deduction_percent": 10},
        {"min_score": 60, "deduction_percent": 20},
        {"min_score": 0, "deduction_percent": 40},
    ]


def default_grade_thresholds() -> dict:
    """Lowest annual score for each grade; below the last one the grade is 不合格."""
    return {"excellent": 90, "competent": 75, "basically_competent": 60}


def tier_text(tier: dict) -> str:
    """One quota tier as people say it: 2001 to 4999 people: 2 posts."""
    posts = ngettext("%(n)s post", "%(n)s posts", tier["posts"]) % {"n": tier["posts"]}
    if tier["max"] is None:
        return gettext("%(min)s people or more: %(posts)s") % {"min": tier["min"], "posts": posts}
    return gettext("%(min)s to %(max)s people: %(posts)s") % {
        "min": tier["min"],
        "max": tier["max"],
        "posts": posts,
    }


def band_text(band: dict) -> str:
    """One pay-deduction band as people say it."""
    return gettext("score %(score)s or more: %(percent)s%% of the pay deducted") % {
        "score": band["min_score"],
        "percent": band["deduction_percent"],
    }


GRADE_NAMES = {
    "excellent": _("Excellent"),
    "competent": _("Competent"),
    "basically_competent": _("Basically competent"),
}


def grades_text(thresholds: dict) -> list:
    """The lowest annual score of each grade: 优秀 90、合格 75、基本合格 60."""
    return listing(f"{GRADE_NAMES.get(key, key)} {value}" for key, value in thresholds.items())


def default_appraisal_weights() -> dict:
    """Weights (per cent, summing to 100) of the year-end ratings that make the appraisal
    score: 德、能、勤、绩、廉 and residents' satisfaction (seed 001 names them; the weights are a
    starting point for the county to set)."""
    return {
        "ethics": 15,
        "ability": 15,
        "diligence": 15,
        "performance": 25,
        "integrity": 10,
        "satisfaction": 20,
    }


APPRAISAL_RATINGS = {
    "ethics": _("Ethics (德)"),
    "ability": _("Ability (能)"),
    "diligence": _("Diligence (勤)"),
    "performance": _("Performance (绩)"),
    "integrity": _("Integrity (廉)"),
    "satisfaction": _("Residents' satisfaction"),
}


def weights_text(weights: dict) -> list:
    """The year-end ratings' weights: 德 15%、能 15%…"""
    return listing(f"{APPRAISAL_RATINGS.get(key, key)} {value}%" for key, value in weights.items())


def _percent(**kwargs):
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)], **kwargs
    )


def _working_days(verbose_name, default: int):
    return models.PositiveSmallIntegerField(
        verbose_name, default=default, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )


class Policy(models.Model):
    """One version of a county's rules, in force from ``effective_from``.

    The version in force on a date is the one with the latest ``effective_from`` on or before
    that date; of two versions with the same date the higher version number wins (a
    correction). Use ``policy.selectors.policy_in_force``.
    """

    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="policies",
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    effective_from = models.DateField(_("effective from"))
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The document this version implements.")
    )
    note = models.TextField(_("note"), blank=True, help_text=_("What changed and why."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Posts and hiring conditions
    quota_tiers = models.JSONField(
        _("posts per village by registered population"), default=default_quota_tiers
    )
    first_hire_max_age = models.PositiveSmallIntegerField(
        _("maximum age at first hire (full years)"), default=40
    )
    min_education = models.CharField(
        _("minimum education"),
        max_length=32,
        choices=Education.choices,
        default=Education.HIGH_SCHOOL,
    )
    # The directors' stability targets (seed 001: 85% with 高中 (中专) or above; open
    # selection of every director), which the dashboards' measures are read against.
    education_target = _percent(
        verbose_name=_("target: directors in post with the minimum education or above (%)"),
        default=85,
    )
    open_selection_target = _percent(
        verbose_name=_("target: directors in post hired by open selection (%)"), default=100
    )
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), default=3, validators=[MinValueValidator(1)]
    )
    new_hire_min_service_years = models.PositiveSmallIntegerField(
        _("years a new hire is expected to serve"), default=3
    )
    renewal_max_age = models.PositiveSmallIntegerField(
        _("maximum age for renewal (full years)"),
        default=60,
        help_text=_("Over this age a director is not renewed (超过续聘年龄)."),
    )
    vacancy_refill_months = models.PositiveSmallIntegerField(
        _("months to refill a vacancy"), default=2, validators=[MinValueValidator(1)]
    )

    # Training
    induction_required = models.BooleanField(
        _("induction training before taking up duties"), default=True
    )
    refresher_per_year = models.PositiveSmallIntegerField(
        _("county refresher trainings per year"), default=1
    )
    refresher_min_days = models.PositiveSmallIntegerField(
        _("minimum days of a refresher training"), default=3
    )
    township_sessions_min = models.PositiveSmallIntegerField(
        _("township sessions per year, at least"), default=4
    )
    township_sessions_max = models.PositiveSmallIntegerField(
        _("township sessions per year, at most"), default=6
    )
    township_session_min_days = models.PositiveSmallIntegerField(
        _("minimum days of a township session"), default=1
    )

    # Monthly assessment and pay
    monthly_score_max = models.PositiveSmallIntegerField(
        _("maximum monthly score"), default=100, validators=[MinValueValidator(1)]
    )
    monthly_pay = models.DecimalField(
        _("monthly pay (yuan)"), max_digits=9, decimal_places=2, default=Decimal("1700.00")
    )
    pay_deduction_bands = models.JSONField(
        _("monthly pay deduction by score"), default=default_pay_deduction_bands
    )
    spot_check_villages = models.PositiveSmallIntegerField(
        _("villages drawn for an unannounced inspection day"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    due_month_scoring_days = _working_days(_("scoring an open month (working days)"), 10)
    due_month_publishing_days = _working_days(_("publishing a scored month (working days)"), 3)
    due_month_settling_days = _working_days(_("settling a published month (working days)"), 5)

    # Target-responsibility agreements (目标管理责任书)
    agreement_due_month = models.PositiveSmallIntegerField(
        _("annual agreement signed by: month"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    agreement_due_day = models.PositiveSmallIntegerField(
        _("annual agreement signed by: day"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )

    # Early warnings (预警)
    warning_pass_line = models.DecimalField(
        _("monthly score below which a warning opens"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(0)],
    )
    warning_bottom_count = models.PositiveSmallIntegerField(
        _("warning: the bottom of the township's ranking (directors)"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    warning_bottom_months = models.PositiveSmallIntegerField(
        _("warning: months running at the bottom"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    # Annual appraisal and rewards
    annual_monthly_weight = _percent(
        verbose_name=_("annual score: weight of the monthly mean (%)"), default=30
    )
    annual_appraisal_weight = _percent(
        verbose_name=_("annual score: weight of the year-end appraisal (%)"), default=70
    )
    grade_thresholds = models.JSONField(
        _("lowest annual score per grade"), default=default_grade_thresholds
    )
    appraisal_weights = models.JSONField(
        _("year-end appraisal: weight of each rating (%)"), default=default_appraisal_weights
    )
    annual_bonus_max = models.DecimalField(
        _("annual score: most bonus points"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(0)],
    )
    annual_deduction_max = models.DecimalField(
        _("annual score: most deduction points"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(0)],
    )
    excellent_share_max = models.PositiveSmallIntegerField(
        _("most directors graded Excellent in a township (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for no limit."),
    )
    lagging_grade = models.CharField(
        _("a year counts as lagging when graded at or below"),
        max_length=20,
        choices=Grade.choices,
        default=Grade.INCOMPETENT,
    )
    long_service_min_grade = models.CharField(
        _("long-service reward: lowest grade of each year"),
        max_length=20,
        choices=Grade.choices,
        default=Grade.COMPETENT,
    )
    due_appraisal_days = _working_days(_("completing the annual appraisal (working days)"), 20)
    long_service_reward = models.DecimalField(
        _("long-service reward (yuan)"), max_digits=9, decimal_places=2, default=Decimal("3000")
    )
    long_service_years = models.PositiveSmallIntegerField(
        _("consecutive years for the long-service reward"), default=3
    )
    pension_per_year = models.DecimalField(
        _("pension contribution per year of service (yuan)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("100"),
    )
    recommendation_excellent_years = models.PositiveSmallIntegerField(
        _("consecutive 优秀 years for a recommendation"), default=3
    )
    recommendation_max_age = models.PositiveSmallIntegerField(
        _("maximum age for a recommendation"), default=40
    )
    recommendation_bonus_points = models.PositiveSmallIntegerField(
        _("bonus points on the public-institution written exam"), default=10
    )
    settlement_deadline_month = models.PositiveSmallIntegerField(
        _("rewards and penalties settled by this month of the next year"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    # Exams
    exam_max_score = models.PositiveSmallIntegerField(
        _("full marks of the written exam and interview"), default=100
    )
    written_weight = _percent(verbose_name=_("composite: written exam weight (%)"), default=50)
    interview_weight = _percent(verbose_name=_("composite: interview weight (%)"), default=50)
    written_pass_line = models.DecimalField(
        _("written exam pass line"), max_digits=5, decimal_places=2, default=Decimal("60")
    )
    composite_pass_line = models.DecimalField(
        _("composite score pass line"), max_digits=5, decimal_places=2, default=Decimal("60")
    )
    interview_shortlist_ratio = models.PositiveSmallIntegerField(
        _("interview candidates per post"), default=3, validators=[MinValueValidator(1)]
    )
    interview_drop_extremes = models.BooleanField(
        _("drop the highest and lowest interview marks"), default=False
    )
    reserve_list_months = models.PositiveSmallIntegerField(
        _("months the reserve list stays valid"), default=12
    )

    # Notices and deadlines
    public_notice_working_days = models.PositiveSmallIntegerField(
        _("public notice of proposed hires (working days)"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    contract_notice_days = models.PositiveSmallIntegerField(_("contract notice (days)"), default=30)

    # Time limits of the recruitment tasks, in working days from the day the task opens
    # (handling objections: from the day after the public notice ends). An overdue task is
    # escalated to the county (workflows.flows.CampaignFlow).
    due_announcement_approval_days = _working_days(
        _("approving the announcement (working days)"), 3
    )
    due_application_review_days = _working_days(
        _("reviewing applications after registration closes (working days)"), 5
    )
    due_score_entry_days = _working_days(_("entering exam scores (working days)"), 5)
    due_ranking_confirmation_days = _working_days(_("confirming the ranking (working days)"), 3)
    due_objection_handling_days = _working_days(
        _("handling objections after the notice period (working days)"), 5
    )
    due_hire_confirmation_days = _working_days(_("confirming hires (working days)"), 5)

    # The contract term (聘期管理)
    renewal_review_days = models.PositiveSmallIntegerField(
        _("renewal review opens (days before the term ends)"),
        default=90,
        validators=[MinValueValidator(1)],
    )
    renewal_mode = models.CharField(
        _("renewal by"),
        max_length=20,
        choices=RenewalMode.choices,
        default=RenewalMode.RESELECTION,
    )
    expiry_reminder_first_days = models.PositiveSmallIntegerField(
        _("first reminder before the term ends (days)"), default=90
    )
    expiry_reminder_second_days = models.PositiveSmallIntegerField(
        _("second reminder before the term ends (days)"), default=30
    )
    expiry_reminder_last_days = models.PositiveSmallIntegerField(
        _("last reminder before the term ends (days)"), default=7
    )
    hearing_statement_days = models.PositiveSmallIntegerField(
        _("time for the director's statement in a dismissal case (days)"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    # Time limits of the term's tasks, in working days from the day the task opens; an
    # overdue task is escalated to the county like the recruitment tasks.
    due_signing_days = _working_days(_("signing a drafted contract (working days)"), 10)
    due_filing_days = _working_days(_("filing a signed contract with the county (working days)"), 5)
    due_acting_days = _working_days(_("designating an acting person (working days)"), 2)
    due_resignation_days = _working_days(_("answering a resignation (working days)"), 10)
    due_renewal_decision_days = _working_days(_("deciding a renewal review (working days)"), 30)
    due_case_decision_days = _working_days(
        _("deciding a dismissal case after the hearing (working days)"), 10
    )
    due_case_filing_days = _working_days(_("filing a decided dismissal case (working days)"), 5)

    # Grounds for a dismissal case that data can show
    dismissal_lagging_years = models.PositiveSmallIntegerField(
        _("consecutive years lagging behind"), default=2
    )
    dismissal_missed_refresher_years = models.PositiveSmallIntegerField(
        _("consecutive years without refresher training"), default=2
    )
    dismissal_illegal_birth_years = models.PositiveSmallIntegerField(
        _("consecutive years with illegal births"), default=2
    )
    dismissal_illegal_births_in_year = models.PositiveSmallIntegerField(
        _("illegal births within one year"), default=2
    )

    # How its audit trail reads (audit.display).
    audit_values = {
        "quota_tiers": AuditValue(show=lambda tiers: listing(tier_text(t) for t in tiers)),
        "pay_deduction_bands": AuditValue(show=lambda bands: listing(band_text(b) for b in bands)),
        "grade_thresholds": AuditValue(show=grades_text),
        "appraisal_weights": AuditValue(show=weights_text),
    }
    audit_name_related = ("county",)

    scope_paths = COUNTY_WIDE

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["county", "-effective_from", "-version"]
        constraints = [models.UniqueConstraint("county", "version", name="policy_unique_version")]

    def __str__(self) -> str:
        return _("%(county)s policy v%(version)s from %(date)s") % {
            "county": self.county,
            "version": self.version,
            "date": self.effective_from,
        }

    def posts_for_population(self, population: int) -> int:
        """The number of director posts for a village of this registered population."""
        for tier in self.quota_tiers:
            if population >= tier["min"] and (tier["max"] is None or population <= tier["max"]):
                return int(tier["posts"])
        raise ValueError(f"no quota tier covers a population of {population}")

    def clean(self) -> None:
        super().clean()
        validate_policy(self)
