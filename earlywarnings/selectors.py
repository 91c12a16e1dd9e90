"""Reads of the early warnings: the rules in words (with the policy's numbers), the open
warnings a user sees (for the dashboards) and a director's own."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from accounts.scoping import scoped
from earlywarnings.constants import ACTIVE_STATES, WarningRule
from earlywarnings.models import Warning
from policy.models import Policy


def rules_in_words(policy: Policy | None) -> list[tuple[str, str]]:
    """(rule, how it opens a warning) with the numbers of ``policy``; the score rules only
    when no policy is known."""
    if policy is None:
        return []
    return [
        (
            str(WarningRule.LOW_SCORE.label),
            _(
                "A published monthly score below %(line)s points opens a warning; a score of "
                "exactly %(line)s does not."
            )
            % {"line": policy.warning_pass_line},
        ),
        (
            str(WarningRule.BOTTOM_RANKED.label),
            _(
                "Being among the bottom %(count)s of the township's ranking in each of "
                "%(months)s published months running opens a warning. Everyone tied with the "
                "%(count)s-th lowest score counts as the bottom, so more than %(count)s "
                "directors may be warned; a month with %(count)s or fewer scored directors has "
                "no bottom. A longer run is warned again after %(months)s more months."
            )
            % {"count": policy.warning_bottom_count, "months": policy.warning_bottom_months},
        ),
        (
            str(WarningRule.MISSED_REFRESHER.label),
            _(
                "Not attending the county refresher training of a year for at least %(days)s "
                "days opens a warning once that year's refresher courses have ended, at the "
                "latest when the year closes, for a director in post when a course began."
            )
            % {"days": policy.refresher_min_days},
        ),
        (
            str(WarningRule.UNSIGNED_AGREEMENT.label),
            _(
                "A target-responsibility agreement of the year not signed by %(month)s/%(day)s "
                "opens a warning the day after; a director in post with no agreement counts too."
            )
            % {"month": policy.agreement_due_month, "day": policy.agreement_due_day},
        ),
    ]


def open_warnings(user) -> QuerySet[Warning]:
    """The warnings still to be dealt with (open or acknowledged) that ``user`` sees."""
    return scoped(Warning.objects.filter(state__in=ACTIVE_STATES), user)


def open_warnings_count(user) -> int | None:
    """How many warnings ``user`` sees still to be dealt with; None without the permission."""
    if not user.has_perm("earlywarnings.view_warning"):
        return None
    return open_warnings(user).count()


def warnings_of(person) -> QuerySet[Warning]:
    """A director's warnings, open ones first."""
    return (
        Warning.objects.filter(person=person)
        .annotate(
            waiting=Case(
                When(state__in=ACTIVE_STATES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-opened_on", "-pk")
    )
