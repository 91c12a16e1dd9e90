"""The renewal and expiry steps of the daily sweep (``contracts.sweep``).

- ``renewal_reviews`` (10): opens the renewal review of every active contract whose end date
  is within the policy's ``renewal_review_days``, also those a gap in the sweep missed.
- ``expiry_reminders`` (30): reminds the township committee, the county HR officers and the
  director at ``expiry_reminder_first/second/last_days`` (90/30/7) before the end date, each
  once; after a gap only the nearest threshold passed is sent, not all of them at once.
- ``contracts_expire`` (60): a contract whose end date has passed without renewal expires and
  its post falls vacant the next day. A contract whose renewal contract is still waiting for
  signature or filing is left in force for the signing flow, and the township is told.

Each step selects what is due with a few set-based queries (indexed on state and end date)
and changes records one transaction per record (or one batch of notifications), so a failure
leaves the others done, and the next run picks up what is left.
"""

import datetime
import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import Role
from accounts.models import User
from audit.services import audited_transition
from contracts.constants import IN_FORCE_STATES, PENDING_STATES, ContractState
from contracts.models import Contract, RenewalReview
from contracts.services.posts import post_vacate
from contracts.services.renewal import renewal_review_open, review_url
from contracts.sweep import sweep_step
from core.services import lock
from notifications.models import Category, Notification
from notifications.services import notify_each
from organisation.models import County
from paperwork.templatetags.paperwork import cn_date
from policy.models import Policy
from policy.selectors import policy_in_force_or_none

logger = logging.getLogger(__name__)
ONE_DAY = datetime.timedelta(days=1)


def _policies(today: datetime.date) -> list[tuple[int, Policy]]:
    """(county id, policy in force today) of every county that has one."""
    found = []
    for county in County.objects.all():
        policy = policy_in_force_or_none(county=county, on=today)
        if policy is not None:
            found.append((county.pk, policy))
    return found


@sweep_step("renewal_reviews", 10, label=gettext_lazy("Renewal reviews opened: %(count)s"))
def renewal_reviews(*, today: datetime.date) -> int:
    opened = 0
    for county_id, policy in _policies(today):
        due = Contract.objects.filter(
            township__county_id=county_id,
            state=ContractState.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=policy.renewal_review_days),
        ).order_by("end_date", "pk")
        for contract in due:
            try:
                renewal_review_open(contract=contract, today=today, by=None)
            except ValidationError:
                logger.exception("Renewal review of contract %s not opened", contract.pk)
                continue
            opened += 1
    return opened


def contract_link(contract: Contract) -> str:
    """The page to open from a notice about ``contract``: its renewal review, if open."""
    try:
        review = contract.renewal_review
    except RenewalReview.DoesNotExist:
        return ""
    return review_url(review)


def _reminder_text(contract: Contract, days: int) -> str:
    """``days``: from today to the end date (90, 30 or 7 on the reminders' days); the lists'
    "days left" (``Contract.days_left``) count the end date too, one more."""
    return _(
        "The contract of %(name)s, director of %(village)s, ends on %(end)s, %(days)s days "
        "from today."
    ) % {
        "name": contract.person.name,
        "village": contract.post.village.name,
        "end": cn_date(contract.end_date),
        "days": days,
    }


def _recipients(contracts: list[Contract]) -> dict[int, list]:
    """The users to tell about each contract (by contract id): the committee members of its
    township, the HR officers of its county and the director's own account; three queries."""
    townships = {c.township_id for c in contracts}
    counties = {c.township.county_id for c in contracts}
    committee: dict[int | None, list] = defaultdict(list)
    for user in User.objects.filter(
        role=Role.TOWNSHIP_COMMITTEE, township_id__in=townships, is_active=True
    ):
        committee[user.township_id].append(user)
    county_hr: dict[int | None, list] = defaultdict(list)
    for user in User.objects.filter(role=Role.COUNTY_HR, county_id__in=counties, is_active=True):
        county_hr[user.county_id].append(user)
    directors: dict[int | None, User] = {
        user.person_id: user
        for user in User.objects.filter(
            person_id__in={c.person_id for c in contracts}, is_active=True
        )
    }
    return {
        c.pk: [
            *committee[c.township_id],
            *county_hr[c.township.county_id],
            *([directors[c.person_id]] if c.person_id in directors else []),
        ]
        for c in contracts
    }


@sweep_step("expiry_reminders", 30, label=gettext_lazy("Expiry reminders sent: %(count)s"))
def expiry_reminders(*, today: datetime.date) -> int:
    """Set-based: the contracts within the first reminder's days are read as (id, end date)
    pairs, the key of the nearest threshold passed worked out for each, and only those whose
    key was never sent are loaded and reminded (a few a day in 1,000 contracts)."""
    sent = 0
    for county_id, policy in _policies(today):
        thresholds = sorted(
            {
                policy.expiry_reminder_first_days,
                policy.expiry_reminder_second_days,
                policy.expiry_reminder_last_days,
            }
        )
        window = Contract.objects.filter(
            township__county_id=county_id,
            state__in=IN_FORCE_STATES,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=thresholds[-1]),
        ).values_list("pk", "end_date")
        keys = {}
        for pk, end_date in window:
            # The nearest threshold passed: after a gap, only that one.
            threshold = min(t for t in thresholds if t >= (end_date - today).days)
            keys[pk] = f"contract:{pk}:expiry:{threshold}"
        if not keys:
            continue
        done = set(
            Notification.objects.filter(key__in=keys.values())
            .values_list("key", flat=True)
            .distinct()
        )
        due = [pk for pk, key in keys.items() if key not in done]
        if not due:
            continue
        contracts = list(
            Contract.objects.filter(pk__in=due)
            .select_related("person", "post__village", "township", "renewal_review")
            .order_by("end_date", "pk")
        )
        recipients = _recipients(contracts)
        sent += notify_each(
            (
                (
                    recipients[contract.pk],
                    keys[contract.pk],
                    _reminder_text(contract, (contract.end_date - today).days),
                    contract_link(contract),
                )
                for contract in contracts
            ),
            category=Category.DEADLINES,
        )
    return sent


@sweep_step("contracts_expire", 60, label=gettext_lazy("Contracts expired: %(count)s"))
def contracts_expire(*, today: datetime.date) -> int:
    renewal_pending = Contract.objects.filter(renews=OuterRef("pk"), state__in=PENDING_STATES)
    ended = (
        Contract.objects.filter(state__in=IN_FORCE_STATES, end_date__lt=today)
        .annotate(renewal_pending=Exists(renewal_pending))
        .select_related("person", "post__village", "township", "renewal_review")
        .order_by("end_date", "pk")
    )
    expired = 0
    late = []
    for contract in ended:
        if contract.renewal_pending:  # type: ignore[attr-defined]
            late.append(contract)
            continue
        try:
            with transaction.atomic():
                contract = lock(contract, related=("person", "post__village", "township"))
                if contract.state not in IN_FORCE_STATES:
                    continue
                with audited_transition(contract, "expire", by=None):
                    contract.expire()
                post_vacate(contract=contract, on=contract.end_date + ONE_DAY, by=None)
        except ValidationError:
            logger.exception("Contract %s not expired", contract.pk)
            continue
        expired += 1
    if late:
        recipients = _recipients(late)
        notify_each(
            (
                (
                    recipients[c.pk],
                    f"contract:{c.pk}:renewal-late",
                    _(
                        "The term of %(name)s, director of %(village)s, ended on %(end)s, but the "
                        "renewal contract is not yet signed and filed: the old contract stays in "
                        "force until it is."
                    )
                    % {
                        "name": c.person.name,
                        "village": c.post.village.name,
                        "end": cn_date(c.end_date),
                    },
                    contract_link(c),
                )
                for c in late
            ),
            category=Category.DEADLINES,
        )
    return expired
