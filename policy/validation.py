"""Checks that a policy version is coherent; every message names the field and the reason."""

import calendar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_quota_tiers(tiers) -> None:
    """Tiers must start at 0, follow each other without gap or overlap and end open."""
    if not isinstance(tiers, list) or not tiers:
        raise ValidationError(_("Give at least one population tier."))
    expected_min = 0
    last_posts = 0
    for index, tier in enumerate(tiers, start=1):
        if not isinstance(tier, dict) or not {"min", "max", "posts"} <= set(tier):
            raise ValidationError(_("Tier %(n)s must give min, max and posts.") % {"n": index})
        low, high, posts = tier["min"], tier["max"], tier["posts"]
        if not _is_whole(low) or low < 0:
            raise ValidationError(
                _("Tier %(n)s: the lowest population must be a whole number of 0 or more.")
                % {"n": index}
            )
        if low < expected_min:
            raise ValidationError(
                _(
                    "Tier %(n)s starts at %(low)s and overlaps the tier before it, "
                    "which ends at %(end)s."
                )
                % {"n": index, "low": low, "end": expected_min - 1}
            )
        if low > expected_min:
            raise ValidationError(
                _(
                    "Tier %(n)s starts at %(low)s, leaving populations %(gap_from)s–%(gap_to)s "
                    "without a quota."
                )
                % {"n": index, "low": low, "gap_from": expected_min, "gap_to": low - 1}
            )
        if not _is_whole(posts) or posts < 1:
            raise ValidationError(
                _("Tier %(n)s: posts must be a whole number of 1 or more.") % {"n": index}
            )
        if posts < last_posts:
            raise ValidationError(
                _("Tier %(n)s gives fewer posts than a smaller population.") % {"n": index}
            )
        last_posts = posts
        if high is None:
            if index != len(tiers):
                raise ValidationError(
                    _("Only the last tier may be open-ended (tier %(n)s has no upper bound).")
                    % {"n": index}
                )
            return
        if not _is_whole(high) or high < low:
            raise ValidationError(
                _("Tier %(n)s: the highest population must be a whole number not below %(low)s.")
                % {"n": index, "low": low}
            )
        expected_min = high + 1
    raise ValidationError(_("The last tier must be open-ended so every population has a quota."))


def validate_pay_deduction_bands(bands) -> None:
    if not isinstance(bands, list) or not bands:
        raise ValidationError(_("Give at least one pay band."))
    previous = None
    previous_percent = None
    for index, band in enumerate(bands, start=1):
        if not isinstance(band, dict) or not {"min_score", "deduction_percent"} <= set(band):
            raise ValidationError(
                _("Band %(n)s must give min_score and deduction_percent.") % {"n": index}
            )
        score, percent = band["min_score"], band["deduction_percent"]
        if not _is_number(score) or not 0 <= score <= 100:
            raise ValidationError(
                _("Band %(n)s: the score must be between 0 and 100.") % {"n": index}
            )
        if not _is_number(percent) or not 0 <= percent <= 100:
            raise ValidationError(
                _("Band %(n)s: the deduction must be between 0 and 100 per cent.") % {"n": index}
            )
        if previous is not None and score >= previous:
            raise ValidationError(
                _("Bands must be listed from the highest score down (band %(n)s).") % {"n": index}
            )
        if previous_percent is not None and percent < previous_percent:
            raise ValidationError(
                _("Band %(n)s: a lower score cannot lose less pay than a higher one.")
                % {"n": index}
            )
        previous = score
        previous_percent = percent
    if bands[-1]["min_score"] != 0:
        raise ValidationError(_("The last band must start at score 0 so every score is covered."))


def validate_grade_thresholds(thresholds) -> None:
    keys = ("excellent", "competent", "basically_competent")
    if not isinstance(thresholds, dict) or set(thresholds) != set(keys):
        raise ValidationError(_("Give the lowest score for 优秀, 合格 and 基本合格."))
    values = [thresholds[k] for k in keys]
    if any(not _is_number(v) or not 0 <= v <= 100 for v in values):
        raise ValidationError(_("Grade scores must be between 0 and 100."))
    if not values[0] > values[1] > values[2]:
        raise ValidationError(_("Grade scores must fall from 优秀 to 合格 to 基本合格."))


APPRAISAL_RATING_KEYS = (
    "ethics",
    "ability",
    "diligence",
    "performance",
    "integrity",
    "satisfaction",
)


def validate_appraisal_weights(weights) -> None:
    """One whole weight of 0–100 per year-end rating, adding up to 100."""
    if not isinstance(weights, dict) or set(weights) != set(APPRAISAL_RATING_KEYS):
        raise ValidationError(
            _("Give one weight for each of 德、能、勤、绩、廉 and residents' satisfaction.")
        )
    if not all(_is_whole(value) and 0 <= value <= 100 for value in weights.values()):
        raise ValidationError(_("Each weight must be a whole number from 0 to 100."))
    total = sum(weights.values())
    if total != 100:
        raise ValidationError(
            _("The weights of the year-end ratings must add up to 100 (now %(sum)s).")
            % {"sum": total}
        )


def validate_policy(policy) -> None:
    errors: dict[str, list] = {}

    def check(field, func, value):
        try:
            func(value)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)

    check("quota_tiers", validate_quota_tiers, policy.quota_tiers)
    check("pay_deduction_bands", validate_pay_deduction_bands, policy.pay_deduction_bands)
    check("grade_thresholds", validate_grade_thresholds, policy.grade_thresholds)
    if (policy.annual_monthly_weight or 0) + (policy.annual_appraisal_weight or 0) != 100:
        errors.setdefault("annual_appraisal_weight", []).append(
            _("The monthly and year-end weights must add up to 100 (now %(sum)s).")
            % {"sum": (policy.annual_monthly_weight or 0) + (policy.annual_appraisal_weight or 0)}
        )
    check("appraisal_weights", validate_appraisal_weights, policy.appraisal_weights)
    if policy.agreement_due_month and policy.agreement_due_day:
        last_day = calendar.monthrange(2025, policy.agreement_due_month)[1]
        if policy.agreement_due_day > last_day:
            errors.setdefault("agreement_due_day", []).append(
                _("Month %(month)s has no day %(day)s.")
                % {"month": policy.agreement_due_month, "day": policy.agreement_due_day}
            )
    if (policy.written_weight or 0) + (policy.interview_weight or 0) != 100:
        errors.setdefault("interview_weight", []).append(
            _("The written and interview weights must add up to 100 (now %(sum)s).")
            % {"sum": (policy.written_weight or 0) + (policy.interview_weight or 0)}
        )
    if (
        policy.township_sessions_min is not None
        and policy.township_sessions_max is not None
        and policy.township_sessions_min > policy.township_sessions_max
    ):
        errors.setdefault("township_sessions_max", []).append(
            _("The most sessions a year cannot be fewer than the least.")
        )
    for field in ("written_pass_line", "composite_pass_line"):
        value = getattr(policy, field)
        if value is not None and not 0 <= value <= (policy.exam_max_score or 100):
            errors.setdefault(field, []).append(
                _("A pass line must lie between 0 and the full marks.")
            )
    if errors:
        raise ValidationError(errors)
