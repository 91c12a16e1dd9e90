"""Seed 000's stability of the directors (队伍稳定), measured over a period the reader chooses,
per township and for the whole scope, with seed 001's targets from the policy.

Every measure counts contracts with the definitions of ``contracts.selectors`` (the contract
list filters by the same ones, so a figure and its list show the same people):

- **Turnover rate** (流失率): the directors who left their post in the period (a contract that
  ended in it without a renewal: expired, terminated or dismissed) ÷ the average number of
  directors in post, which is the mean of those in post on the period's first and last days.
- **Average tenure** (平均任职年限): over the directors in post on the period's last day, the mean
  time from the day each first came into post (the earliest of their contracts to come into
  force; a renewal continues the same service) to that day, in years of 365.25 days.
- **Education** (高中及以上学历占比): the directors in post on the last day whose recorded
  education is the policy's minimum (高中 or 中专) or above ÷ all in post that day; target
  ``Policy.education_target`` (85 % in seed 001).
- **Open selection** (公开选聘率): the directors in post on the last day whose run of contracts
  began with an open selection (a campaign or its reserve list) ÷ all in post that day;
  directors imported as in post before the system, and their renewals, count as not; target
  ``Policy.open_selection_target`` (100 % in seed 001).

The policy in force on the period's last day gives the minimum education and the targets. One
query counts every township whatever the number of contracts.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import Count, Sum, Value
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scoped
from contracts.models import Contract
from contracts.selectors import (
    education_meets,
    first_origin,
    hired_by_open_selection,
    in_post_on,
    left_between,
    service_start,
)
from core.db import DaysBetween
from core.education import Education
from core.forms import NormalisedForm
from policy.models import Policy
from policy.selectors import policy_in_force_or_none
from web.charts import Chart, bar_chart
from workdays.calendar import add_years

EARLIEST = datetime.date(2000, 1, 1)
LONGEST_YEARS = 10
DAYS_A_YEAR = Decimal("365.25")
HUNDRED = Decimal(100)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The twelve months up to today: from the day after the same day a year ago."""
    return add_years(today, -1) + datetime.timedelta(days=1), today


class PeriodForm(NormalisedForm):
    """The period of the measures (GET ``start`` and ``end``, both days included): not before
    2000, not after today, the start not after the end, at most ten years."""

    start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("To"), widget=DATE_WIDGET)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and start < EARLIEST:
            self.add_error("start", _("Choose a day from 1 January 2000 on."))
        if end and end > self.today:
            self.add_error("end", _("The period cannot end after today."))
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        elif start and end and add_years(start, LONGEST_YEARS) <= end:
            self.add_error(
                "end", _("Choose a period of at most %(years)s years.") % {"years": LONGEST_YEARS}
            )
        return cleaned


def period_from(data, today: datetime.date) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The form for ``data`` (a request's GET) and the period it gives: the default period
    when the reader chose none or chose a wrong one (the form then holds the reasons)."""
    start, end = default_period(today)
    chosen = "start" in data or "end" in data
    form = PeriodForm(data if chosen else None, today=today, initial={"start": start, "end": end})
    if chosen and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def percent(part: int, whole: Decimal | int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, one decimal half-up; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Stability:
    """The counts behind the measures of one township (or the whole scope) for a period."""

    in_post_start: int = 0
    in_post_end: int = 0
    left: int = 0
    educated: int = 0
    open_selected: int = 0
    tenure_days: int = 0  # the sum over the directors in post on the last day

    def __add__(self, other: "Stability") -> "Stability":
        return Stability(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )

    @property
    def average_in_post(self) -> Decimal:
        return (Decimal(self.in_post_start + self.in_post_end) / 2).quantize(Decimal("0.1"))

    @property
    def turnover(self) -> Decimal | None:
        return percent(self.left, self.average_in_post)

    @property
    def tenure_years(self) -> Decimal | None:
        if not self.in_post_end:
            return None
        years = Decimal(self.tenure_days) / DAYS_A_YEAR / self.in_post_end
        return years.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def education_share(self) -> Decimal | None:
        return percent(self.educated, self.in_post_end)

    @property
    def open_selection_share(self) -> Decimal | None:
        return percent(self.open_selected, self.in_post_end)


@dataclass
class StabilityReport:
    start: datetime.date
    end: datetime.date
    policy: Policy | None
    rows: list[tuple[object, Stability]] = field(default_factory=list)  # (township, counts)
    total: Stability = field(default_factory=Stability)

    @property
    def min_education(self) -> str:
        return self.policy.min_education if self.policy else Education.HIGH_SCHOOL

    @property
    def education_level(self) -> str:
        return str(Education(self.min_education).label)

    @property
    def education_target(self) -> int | None:
        return self.policy.education_target if self.policy else None

    @property
    def open_selection_target(self) -> int | None:
        return self.policy.open_selection_target if self.policy else None


def stability_counts(contracts, start: datetime.date, end: datetime.date, minimum: str) -> dict:
    """The counts of ``Stability`` per township of ``contracts``, in one query: one pass
    over the contracts with their runs of renewals joined (no query per director)."""
    at_end = in_post_on(end)
    rows = (
        contracts.filter(activated_on__isnull=False, activated_on__lte=end)
        .annotate(first_origin=first_origin(), served=DaysBetween(service_start(), Value(end)))
        .order_by()
        .values("township_id")
        .annotate(
            in_post_start=Count("pk", filter=in_post_on(start)),
            in_post_end=Count("pk", filter=at_end),
            left=Count("pk", filter=left_between(start, end)),
            educated=Count("pk", filter=at_end & education_meets(minimum)),
            open_selected=Count("pk", filter=at_end & hired_by_open_selection()),
            tenure=Sum("served", filter=at_end),
        )
    )
    found = {}
    for row in rows:
        tenure, township_id = row.pop("tenure"), row.pop("township_id")
        found[township_id] = Stability(**row, tenure_days=tenure or 0)
    return found


def stability_report(
    user, townships: list, start: datetime.date, end: datetime.date, *, policy=None
) -> StabilityReport:
    """The measures of ``townships`` (the user's scope) between ``start`` and ``end``, by
    the policy in force on ``end`` (``policy`` when the caller has it)."""
    county = getattr(user, "county_id", None)
    if policy is None and county:
        policy = policy_in_force_or_none(county=county, on=end)
    minimum = policy.min_education if policy else Education.HIGH_SCHOOL
    counts = stability_counts(scoped(Contract.objects.all(), user), start, end, minimum)
    rows = [(township, counts.get(township.pk, Stability())) for township in townships]
    total = Stability()
    for _township, row in rows:
        total = total + row
    return StabilityReport(start=start, end=end, policy=policy, rows=rows, total=total)


def stability_charts(report: StabilityReport) -> list[Chart]:
    """For a county: the turnover of each township, and its shares of directors with the
    minimum education and hired by open selection beside the policy's targets."""
    if len(report.rows) < 2:
        return []
    labels = [township.name for township, _row in report.rows]  # type: ignore[attr-defined]
    level = Education(report.min_education).label
    targets = []
    if report.education_target is not None:
        targets.append((_("Education target"), report.education_target))
    if report.open_selection_target is not None:
        targets.append((_("Open selection target"), report.open_selection_target))
    return [
        bar_chart(
            dom_id="turnover-chart",
            label=_("Turnover rate of each township (%)"),
            labels=labels,
            series=[(_("Turnover rate (%)"), [row.turnover for _t, row in report.rows])],
            y_title="%",
            y_min=0,
        ),
        bar_chart(
            dom_id="shares-chart",
            label=_("Directors in post with %(level)s or above, and hired by open selection (%%)")
            % {"level": level},
            labels=labels,
            series=[
                (_("Education (%)"), [row.education_share for _t, row in report.rows]),
                (_("Open selection (%)"), [row.open_selection_share for _t, row in report.rows]),
            ],
            y_title="%",
            y_min=0,
            y_max=100,
            references=targets,
        ),
    ]
