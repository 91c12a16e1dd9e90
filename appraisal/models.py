"""The annual appraisal (年度考核) and the rewards settled after it (奖励).

Seed 001 (队伍管理机制): the township and the village committee appraise each director on
德、能、勤、绩、廉 and the satisfaction of the residents; seed 002 (四并): the year-end
appraisal and the routine (monthly) scores count together by the policy's weights, with
bonus and deduction items. Seed 001 (考评激励机制) names the rewards: the commendation of
优秀 directors, the long-service reward, the recommendation for the public-institution exam
and the pension contribution per full year of service; seed 003 settles rewards and penalties
no later than February of the next year (``Policy.settlement_deadline_month``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from appraisal.constants import AppraisalState, RewardKind, SettlementState
from core.fields import user_field
from core.scoping import ScopePaths
from policy.constants import Grade


def money(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=2, **kwargs)


def points(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, **kwargs)


class AnnualAppraisal(ConcurrentTransitionMixin, models.Model):
    """One director's appraisal for one year.

    - drafted: opened for the township's directors of the year, no ratings yet;
    - rated: the township committee entered the ratings (and may change them);
    - confirmed: county HR confirmed the score and grade; the grade counts from then on.

    ``score`` = monthly weight × mean of the counted monthly scores + appraisal weight ×
    the weighted ratings + bonus − deduction, two decimals half-up (``appraisal.scoring``).
    A director who served part of the year is appraised on the months served
    (``months_counted`` < 12), and the page and the form say so.
    """

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        related_name="annual_appraisals",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="annual_appraisals",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="annual_appraisals",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="annual_appraisals",
    )
    # Empty only for an appraisal entered from the paper records of a year before the system.
    scheme = models.ForeignKey(
        "assessment.ScoringScheme",
        verbose_name=_("scoring scheme"),
        on_delete=models.PROTECT,
        related_name="annual_appraisals",
        null=True,
        blank=True,
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=AppraisalState.choices,
        default=AppraisalState.DRAFTED,
        protected=True,
    )
    months_served = models.PositiveSmallIntegerField(_("months served"), default=12)
    months_counted = models.PositiveSmallIntegerField(_("months scored"), default=0)
    monthly_mean = points(_("mean monthly score"), null=True, blank=True)
    ratings = models.JSONField(_("ratings"), default=dict)
    appraisal_score = points(_("year-end appraisal score"), null=True, blank=True)
    bonus = points(_("bonus points"), default=0)
    bonus_reason = models.CharField(_("reason for the bonus"), max_length=300, blank=True)
    deduction = points(_("deduction points"), default=0)
    deduction_reason = models.CharField(_("reason for the deduction"), max_length=300, blank=True)
    score = points(_("annual score"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rated_by = user_field(_("rated by"))
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    confirmed_by = user_field(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    scope_paths = ScopePaths(
        county="township__county",
        township="township",
        village="contract__post__village",
        self="person",
    )
    transition_labels = {
        "rate": _("Rate the director"),
        "confirm": _("Confirm the appraisal"),
    }
    audit_name_related = ("person",)

    class Meta:
        verbose_name = _("annual appraisal")
        verbose_name_plural = _("annual appraisals")
        ordering = ["-year", "township", "person__name_pinyin", "id"]
        permissions = [
            ("rate_appraisal", "Can rate the township's directors in the annual appraisal"),
            ("confirm_appraisal", "Can confirm annual appraisals"),
        ]
        constraints = [
            models.UniqueConstraint(
                "person",
                "year",
                name="appraisal_one_per_person_year",
                violation_error_message=_("This director already has an appraisal for this year."),
            ),
        ]
        indexes = [models.Index(fields=["township", "year", "state"])]

    def __str__(self) -> str:
        return _("%(name)s, annual appraisal %(year)s") % {
            "name": self.person.name,
            "year": self.year,
        }

    @property
    def partial_year(self) -> bool:
        return self.months_counted < 12

    @transition(
        field=state,
        source=[AppraisalState.DRAFTED, AppraisalState.RATED],
        target=AppraisalState.RATED,
    )
    def rate(self, *, by, at) -> None:
        self.rated_by, self.rated_at = by, at

    @transition(field=state, source=AppraisalState.RATED, target=AppraisalState.CONFIRMED)
    def confirm(self, *, by, at) -> None:
        self.confirmed_by, self.confirmed_at = by, at


class RewardSettlement(ConcurrentTransitionMixin, models.Model):
    """The settlement list of a township's rewards for a year: proposed → settled.

    Proposed: the rewards the records qualify for are computed and listed; settled: the
    township and the county settled them on ``settled_on`` and the documents were issued.
    ``due_on`` is the last day of the policy's ``settlement_deadline_month`` of the next year
    (seed 003: no later than February); the sweep marks ``overdue_since`` and tells county HR
    when a settlement is still open after it.
    """

    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="reward_settlements",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="reward_settlements",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=SettlementState.choices,
        default=SettlementState.PROPOSED,
        protected=True,
    )
    due_on = models.DateField(_("to be settled by"))
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    proposed_by = user_field(_("proposed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    settled_by = user_field(_("rewards settled by"))

    scope_paths = ScopePaths(
        county="township__county",
        township="township",
        self="rewards__person",
    )
    transition_labels = {"settle": _("Settle the rewards")}
    audit_name_related = ("township",)

    class Meta:
        verbose_name = _("reward settlement")
        verbose_name_plural = _("reward settlements")
        ordering = ["-year", "township"]
        permissions = [("settle_rewards", "Can propose and settle the rewards of a year")]
        constraints = [
            models.UniqueConstraint(
                "township",
                "year",
                name="settlement_one_per_township_year",
                violation_error_message=_("This township already has a settlement for this year."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(township)s, rewards of %(year)s") % {
            "township": self.township.name,
            "year": self.year,
        }

    @transition(field=state, source=SettlementState.PROPOSED, target=SettlementState.SETTLED)
    def settle(self, *, by, on) -> None:
        self.settled_by, self.settled_on = by, on


class Reward(models.Model):
    """One reward of one director for one year, on a township's settlement list.

    A long-service reward is paid once per person ever: the database refuses a second one
    (``reward_long_service_once``), also when two requests race.
    """

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        related_name="rewards",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="rewards",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="rewards",
    )
    settlement = models.ForeignKey(
        RewardSettlement,
        verbose_name=_("settlement"),
        on_delete=models.PROTECT,
        related_name="rewards",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=RewardKind.choices)
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = money(_("amount (yuan)"), default=0)
    bonus_points = models.PositiveSmallIntegerField(_("bonus exam points"), default=0)
    full_years = models.PositiveSmallIntegerField(_("full years of service"), default=0)
    basis = models.CharField(_("grounds"), max_length=300)
    granted_by = user_field(_("proposed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="township__county",
        township="township",
        village="contract__post__village",
        self="person",
    )
    audit_name_related = ("person",)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-year", "township", "kind", "person__name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(
                "person",
                "year",
                "kind",
                name="reward_one_kind_per_person_year",
                violation_error_message=_("This director already has this reward for this year."),
            ),
            models.UniqueConstraint(
                "person",
                condition=models.Q(kind=RewardKind.LONG_SERVICE),
                name="reward_long_service_once",
                violation_error_message=_(
                    "This director has already received the long-service reward; it is paid "
                    "once per person."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s, %(kind)s %(year)s") % {
            "name": self.person.name,
            "kind": self.get_kind_display(),
            "year": self.year,
        }
