"""Early warnings (预警) and yellow cards (黄牌警告), seed 000's 人事预警警告制度 and seed 002's
黄牌警告.

A ``Warning`` is opened by a rule of ``earlywarnings.rules`` from the records (a monthly score
below the pass line, the bottom of the township for months running, a missed refresher, an
unsigned agreement) and issues a warning notice. A ``YellowCard`` is the county's decision
about a township or a director, with its reason.
"""

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fields import user_field
from core.scoping import ScopePaths
from earlywarnings.constants import WarningRule, WarningState


def month_label(year: int, month: int) -> str:
    return gettext("%(year)s-%(month)02d") % {"year": year, "month": month}


class Warning(ConcurrentTransitionMixin, models.Model):
    """An early warning to a director: open → acknowledged → closed.

    - open: a rule found it in the records; the warning notice is issued, the director and
      the township committee are told.
    - acknowledged: the director (or the township on their behalf) recorded that they
      received it, with their response.
    - closed: the township committee closed it after following it up, with a note.

    ``period`` is what the warning concerns, ``2026-03`` for a month or ``2026`` for a year;
    one rule and period opens at most one warning per person (a database constraint), so
    the rules can run any number of times.
    """

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.CharField(_("rule"), max_length=24, choices=WarningRule.choices)
    period = models.CharField(_("period"), max_length=7)
    month = models.ForeignKey(
        "assessment.AssessmentMonth",
        verbose_name=_("month"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="warnings",
    )
    # The facts, kept as the rule found them (``facts`` says them in words).
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    pass_line = models.DecimalField(
        _("pass line"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank in the township"), null=True, blank=True)
    bottom_count = models.PositiveSmallIntegerField(
        _("bottom of the ranking (directors)"), null=True, blank=True
    )
    months = models.JSONField(_("months"), default=list, blank=True)
    """``[[year, month, score, rank], ...]`` of the months the rule looked at."""
    due_date = models.DateField(_("due by"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    """What else the rule found (a missed refresher: ``days`` attended, ``min_days`` due)."""
    opened_on = models.DateField(_("opened on"))
    state = FSMField(
        _("state"),
        max_length=16,
        choices=WarningState.choices,
        default=WarningState.OPEN,
        protected=True,
    )
    response = models.TextField(_("response"), blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledged_by = user_field(_("acknowledged by"))
    close_note = models.TextField(_("follow-up"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = user_field(_("closed by"))

    scope_paths = ScopePaths(
        county="township__county",
        township="township",
        village="contract__post__village",
        self="person",
    )
    transition_labels = {
        "open": _("Open a warning"),
        "acknowledge": _("Acknowledge the warning"),
        "close": _("Close the warning"),
    }
    audit_name_related = ("person",)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                "person",
                "rule",
                "period",
                name="warning_one_per_rule_and_period",
                violation_error_message=_(
                    "This director already has a warning of this rule for this period."
                ),
            )
        ]
        indexes = [models.Index(fields=["township", "state"])]

    def __str__(self) -> str:
        return _("Warning to %(name)s: %(rule)s") % {
            "name": self.person.name,
            "rule": self.get_rule_display(),
        }

    @property
    def period_text(self) -> str:
        """The period in words: 2026年3月, or 2026年."""
        if "-" in self.period:
            year, month = self.period.split("-")
            return gettext("%(year)s年%(month)s月") % {"year": year, "month": int(month)}
        return gettext("%(year)s年") % {"year": self.period}

    @property
    def facts(self) -> str:
        """What the rule found, in words."""
        if self.rule == WarningRule.LOW_SCORE:
            year, month = (int(x) for x in self.period.split("-"))
            return gettext(
                "The published score of %(month)s is %(score)s, below the pass line of %(line)s."
            ) % {"month": month_label(year, month), "score": self.score, "line": self.pass_line}
        if self.rule == WarningRule.BOTTOM_RANKED:
            # Translators: separates the months listed in a bottom-ranked warning's facts.
            months = gettext("; ").join(
                gettext("%(month)s: %(score)s points, rank %(rank)s")
                % {"month": month_label(y, m), "score": s, "rank": r}
                for y, m, s, r in self.months
            )
            return gettext(
                "Among the bottom %(count)s of the township for %(n)s published months "
                "running (%(months)s)."
            ) % {"count": self.bottom_count, "n": len(self.months), "months": months}
        if self.rule == WarningRule.MISSED_REFRESHER:
            return gettext(
                "At the county refresher training of %(year)s: %(days)s days attended, "
                "%(min)s days required."
            ) % {
                "year": self.period,
                "days": self.details.get("days", "0"),
                "min": self.details.get("min_days", ""),
            }
        return gettext(
            "The target-responsibility agreement of %(year)s was not signed by %(day)s."
        ) % {
            "year": self.period,
            "day": date_format(self.due_date, "DATE_FORMAT") if self.due_date else "",
        }

    # --- transitions: fields only; earlywarnings.services does the rest -------------------

    @transition(field=state, source=WarningState.OPEN, target=WarningState.ACKNOWLEDGED)
    def acknowledge(self, *, response: str, on, by) -> None:
        self.response, self.acknowledged_on, self.acknowledged_by = response, on, by

    @transition(field=state, source=WarningState.ACKNOWLEDGED, target=WarningState.CLOSED)
    def close(self, *, note: str, on, by) -> None:
        self.close_note, self.closed_on, self.closed_by = note, on, by


class YellowCard(models.Model):
    """A yellow card (黄牌警告, seed 002): the county's decision about a township or a director
    (exactly one of them, a database check), with its reason and the decision document.

    ``concerns`` is the township the card is about (the township itself, or the director's
    township when decided): the township committee sees its township's cards.
    """

    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="yellow_cards",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="yellow_cards",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="yellow_cards",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="yellow_cards",
    )
    concerns = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township concerned"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    decided_by = user_field(_("decided by"))

    scope_paths = ScopePaths(
        county="county",
        township="concerns",
        village="contract__post__village",
        self="person",
    )
    audit_name_related = ("concerns",)

    class Meta:
        verbose_name = _("yellow card")
        verbose_name_plural = _("yellow cards")
        ordering = ["-decided_on", "-id"]
        permissions = [("issue_yellowcard", "Can decide a yellow card")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(township__isnull=False, person__isnull=True)
                    | models.Q(township__isnull=True, person__isnull=False)
                ),
                name="yellow_card_exactly_one_target",
                violation_error_message=_(
                    "A yellow card is given to a township or to a director, exactly one of them."
                ),
            )
        ]

    def __str__(self) -> str:
        return _("Yellow card to %(target)s") % {"target": self.target_name}

    @property
    def target_name(self) -> str:
        if self.person is not None:
            return self.person.name
        return self.township.name if self.township is not None else ""

    @property
    def audit_township(self):
        return self.concerns
