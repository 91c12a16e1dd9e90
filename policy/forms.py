"""The form for a new policy version, and the grouping of its numbers for display.

The quota tiers and pay deduction bands are edited as text, one line each:
``0-2000:1`` (population from-to: posts; leave the upper bound empty on the last line) and
``90:0`` (lowest score: deduction per cent).
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.models import fields_for_model
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import NormalisedForm
from policy.models import APPRAISAL_RATINGS, Policy
from policy.validation import (
    APPRAISAL_RATING_KEYS,
    validate_appraisal_weights,
    validate_grade_thresholds,
    validate_pay_deduction_bands,
    validate_policy,
    validate_quota_tiers,
)

# Groups follow the policy table of DESIGN.md. Every number of a version appears here once.
FIELD_GROUPS: list[tuple[Any, list[str]]] = [
    (
        _("Posts and hiring conditions"),
        [
            "quota_tiers",
            "first_hire_max_age",
            "min_education",
            "education_target",
            "open_selection_target",
        ],
    ),
    (
        _("Term, renewal and vacancies"),
        ["term_years", "new_hire_min_service_years", "renewal_max_age", "vacancy_refill_months"],
    ),
    (
        _("Training"),
        [
            "induction_required",
            "refresher_per_year",
            "refresher_min_days",
            "township_sessions_min",
            "township_sessions_max",
            "township_session_min_days",
        ],
    ),
    (
        _("Monthly assessment and pay"),
        [
            "monthly_score_max",
            "monthly_pay",
            "pay_deduction_bands",
            "spot_check_villages",
            "due_month_scoring_days",
            "due_month_publishing_days",
            "due_month_settling_days",
        ],
    ),
    (
        _("Target-responsibility agreements and early warnings"),
        [
            "agreement_due_month",
            "agreement_due_day",
            "warning_pass_line",
            "warning_bottom_count",
            "warning_bottom_months",
        ],
    ),
    (
        _("Annual appraisal and rewards"),
        [
            "annual_monthly_weight",
            "annual_appraisal_weight",
            "grade_thresholds",
            "appraisal_weights",
            "annual_bonus_max",
            "annual_deduction_max",
            "excellent_share_max",
            "lagging_grade",
            "long_service_min_grade",
            "due_appraisal_days",
            "long_service_reward",
            "long_service_years",
            "pension_per_year",
            "recommendation_excellent_years",
            "recommendation_max_age",
            "recommendation_bonus_points",
            "settlement_deadline_month",
        ],
    ),
    (
        _("Exams"),
        [
            "exam_max_score",
            "written_weight",
            "interview_weight",
            "written_pass_line",
            "composite_pass_line",
            "interview_shortlist_ratio",
            "interview_drop_extremes",
            "reserve_list_months",
        ],
    ),
    (
        _("Notices"),
        ["public_notice_working_days", "contract_notice_days"],
    ),
    (
        _("Recruitment task time limits"),
        [
            "due_announcement_approval_days",
            "due_application_review_days",
            "due_score_entry_days",
            "due_ranking_confirmation_days",
            "due_objection_handling_days",
            "due_hire_confirmation_days",
        ],
    ),
    (
        _("Contract term"),
        [
            "renewal_review_days",
            "renewal_mode",
            "expiry_reminder_first_days",
            "expiry_reminder_second_days",
            "expiry_reminder_last_days",
            "hearing_statement_days",
        ],
    ),
    (
        _("Contract term task time limits"),
        [
            "due_signing_days",
            "due_filing_days",
            "due_acting_days",
            "due_resignation_days",
            "due_renewal_decision_days",
            "due_case_decision_days",
            "due_case_filing_days",
        ],
    ),
    (
        _("Grounds for opening a dismissal case"),
        [
            "dismissal_lagging_years",
            "dismissal_missed_refresher_years",
            "dismissal_illegal_birth_years",
            "dismissal_illegal_births_in_year",
        ],
    ),
]
STRUCTURED_FIELDS = ("quota_tiers", "pay_deduction_bands", "grade_thresholds", "appraisal_weights")
NUMBER_FIELDS = [
    name for _title, names in FIELD_GROUPS for name in names if name not in STRUCTURED_FIELDS
]
GRADE_KEYS = ("excellent", "competent", "basically_competent")
GRADE_LABELS = {
    "excellent": _("Lowest annual score for 优秀 (excellent)"),
    "competent": _("Lowest annual score for 合格 (competent)"),
    "basically_competent": _("Lowest annual score for 基本合格 (basically competent)"),
}

_TIER_LINE = re.compile(r"^(\d+)\s*[-–—~～]\s*(\d*)\s*[:：]\s*(\d+)$")
_BAND_LINE = re.compile(r"^(\d+(?:\.\d+)?)\s*[:：]\s*(\d+(?:\.\d+)?)\s*%?$")


def field_label(name: str) -> Any:
    """The verbose name of a Policy field, or "" for a name that is not one."""
    try:
        return getattr(Policy._meta.get_field(name), "verbose_name", "")
    except FieldDoesNotExist:
        return ""


def _number(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


def tiers_to_text(tiers) -> str:
    return "\n".join(
        f"{t['min']}-{'' if t['max'] is None else t['max']}:{t['posts']}" for t in tiers or []
    )


def bands_to_text(bands) -> str:
    return "\n".join(f"{b['min_score']}:{b['deduction_percent']}" for b in bands or [])


def _lines(text: str) -> list[tuple[int, str]]:
    return [
        (number, line.strip())
        for number, line in enumerate((text or "").splitlines(), start=1)
        if line.strip()
    ]


def parse_tiers(text: str) -> list[dict]:
    """``0-2000:1`` lines into quota tiers; raises ValidationError naming the line."""
    tiers = []
    for number, line in _lines(text):
        match = _TIER_LINE.match(line)
        if not match:
            raise ValidationError(
                gettext(
                    "Line %(n)s (“%(line)s”) is not a tier. Write lowest-highest:posts, such as "
                    "2001-4999:2, and leave the highest empty on the last line, such as 5000-:3."
                )
                % {"n": number, "line": line}
            )
        low, high, posts = match.groups()
        tiers.append({"min": int(low), "max": int(high) if high else None, "posts": int(posts)})
    return tiers


def parse_bands(text: str) -> list[dict]:
    """``90:0`` lines into pay deduction bands; raises ValidationError naming the line."""
    bands = []
    for number, line in _lines(text):
        match = _BAND_LINE.match(line)
        if not match:
            raise ValidationError(
                gettext(
                    "Line %(n)s (“%(line)s”) is not a band. Write lowest score:deduction per "
                    "cent, such as 80:5."
                )
                % {"n": number, "line": line}
            )
        score, percent = match.groups()
        bands.append({"min_score": _number(score), "deduction_percent": _number(percent)})
    return bands


class PolicyVersionForm(NormalisedForm):
    """Every number of a policy version, prefilled from a base version."""

    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The version applies from this date. A version with the same date as an earlier "
            "one corrects it."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("The document this version implements."),
    )
    note = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say what this version changes and why; it is kept with the version."),
    )
    quota_tiers = forms.CharField(
        label=capfirst(field_label("quota_tiers")),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One tier a line: lowest-highest:posts, both bounds included. Leave the highest "
            "empty on the last line. Example: 0-2000:1, 2001-4999:2, 5000-:3."
        ),
    )
    pay_deduction_bands = forms.CharField(
        label=capfirst(field_label("pay_deduction_bands")),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One band a line, from the highest score down: lowest score:deduction per cent. "
            "The last band starts at 0. Example: 90:0, 80:5, 0:40."
        ),
    )
    grade_excellent = forms.DecimalField(
        label=GRADE_LABELS["excellent"], min_value=0, max_value=100, decimal_places=2
    )
    grade_competent = forms.DecimalField(
        label=GRADE_LABELS["competent"], min_value=0, max_value=100, decimal_places=2
    )
    grade_basically_competent = forms.DecimalField(
        label=GRADE_LABELS["basically_competent"], min_value=0, max_value=100, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Policy, fields=NUMBER_FIELDS))
        for key in APPRAISAL_RATING_KEYS:
            self.fields[f"weight_{key}"] = forms.IntegerField(
                label=APPRAISAL_RATINGS[key], min_value=0, max_value=100
            )

    @classmethod
    def initial_from(cls, base: Policy, *, effective_from) -> dict:
        initial = {name: getattr(base, name) for name in NUMBER_FIELDS}
        grades = base.grade_thresholds or {}
        initial.update(
            effective_from=effective_from,
            title=base.title,
            note="",
            quota_tiers=tiers_to_text(base.quota_tiers),
            pay_deduction_bands=bands_to_text(base.pay_deduction_bands),
            **{f"grade_{key}": grades.get(key) for key in GRADE_KEYS},
            **{
                f"weight_{key}": (base.appraisal_weights or {}).get(key)
                for key in APPRAISAL_RATING_KEYS
            },
        )
        return initial

    def groups(self):
        """Bound fields in the order of ``FIELD_GROUPS`` for the template."""
        result = []
        for title, names in FIELD_GROUPS:
            fields: list = []
            for name in names:
                if name == "grade_thresholds":
                    fields.extend(self[f"grade_{key}"] for key in GRADE_KEYS)
                elif name == "appraisal_weights":
                    fields.extend(self[f"weight_{key}"] for key in APPRAISAL_RATING_KEYS)
                else:
                    fields.append(self[name])
            result.append((title, fields))
        return result

    def clean_quota_tiers(self):
        tiers = parse_tiers(self.cleaned_data["quota_tiers"])
        validate_quota_tiers(tiers)
        return tiers

    def clean_pay_deduction_bands(self):
        bands = parse_bands(self.cleaned_data["pay_deduction_bands"])
        validate_pay_deduction_bands(bands)
        return bands

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        grades = {key: cleaned.get(f"grade_{key}") for key in GRADE_KEYS}
        if all(value is not None for value in grades.values()):
            grades = {key: _number(str(value)) for key, value in grades.items()}
            try:
                validate_grade_thresholds(grades)
            except ValidationError as exc:
                self.add_error("grade_excellent", exc.messages)
            else:
                cleaned["grade_thresholds"] = grades
        weights = {key: cleaned.get(f"weight_{key}") for key in APPRAISAL_RATING_KEYS}
        if all(value is not None for value in weights.values()):
            try:
                validate_appraisal_weights(weights)
            except ValidationError as exc:
                self.add_error("weight_ethics", exc.messages)
            else:
                cleaned["appraisal_weights"] = weights
        if not self.errors:
            try:
                validate_policy(Policy(**self.policy_values()))
            except ValidationError as exc:
                self.add_model_errors(exc)
        return cleaned

    def policy_values(self) -> dict:
        """The cleaned values as keyword arguments of ``policy_create_version``."""
        names = [
            "effective_from",
            "title",
            "note",
            "quota_tiers",
            "pay_deduction_bands",
            "grade_thresholds",
            "appraisal_weights",
            *NUMBER_FIELDS,
        ]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}

    def add_model_errors(self, error: ValidationError) -> None:
        """Put errors of ``Policy.full_clean`` on the fields they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            if field == "grade_thresholds":
                self.add_error("grade_excellent", messages)
            elif field == "appraisal_weights":
                self.add_error("weight_ethics", messages)
            elif field in self.fields:
                self.add_error(field, messages)
            else:
                label = field_label(field)
                self.add_error(
                    None, [f"{label}: {message}" if label else message for message in messages]
                )
