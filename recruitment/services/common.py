"""What every recruitment service shares: the campaign's lock, who may run it, which state it
must be in, how messages name an applicant, and the candidate a ranking is computed from.

Each service of ``recruitment.services`` is one transaction that begins the same way: lock
the campaign row (``campaign_lock``), so that two services never work on one campaign at the
same time; check the user (``require_runner``) and the state (``require_campaign_state``);
check every input; and only then change records through their django-fsm transitions with
their audit rows (``audit.services.audited_transition``, or ``AuditBatch`` for the thousands
of applications of the exam steps) and issue the step's paperwork (``recruitment.paperwork``).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import lock, require_permission, require_state
from core.text import join_list
from recruitment import ranking
from recruitment.models import Application, Campaign

RUN_CAMPAIGN = "recruitment.run_campaign"
ONE_DAY = datetime.timedelta(days=1)

# The fields the bulk exam services read and write: loading only these makes reading 5,000
# applications about twice as fast. ``name`` and ``id_number`` are for ``str()`` in audit
# rows; ``campaign`` because the related manager sets it on every row. (Bulk reads also order
# by pk: the model's default ordering joins the campaign, the offer and the village to sort.)
WORK_FIELDS = (
    "campaign",
    "offer",
    "state",
    "name",
    "id_number",
    "admission_number",
    "exam_room",
    "seat_number",
    "written_score",
    "written_rank",
    "interview_score",
    "composite_score",
    "rank",
    "tie_break_position",
    "tie_break_note",
    "outcome_note",
    "person",
    "notice_starts_on",
    "notice_ends_on",
    "reserve_until",
)


def campaign_lock(campaign: Campaign) -> Campaign:
    """The campaign row as it is now, locked until the end of the transaction."""
    return lock(campaign, related=("township__county", "policy"))


def require_runner(by, township) -> None:
    """Only a committee member of ``township`` (``recruitment.run_campaign`` with the
    township in scope) runs its campaigns."""
    require_permission(
        by,
        RUN_CAMPAIGN,
        township,
        message=_("Only committee members of %(township)s may run its recruitment campaigns.")
        % {"township": township},
    )


def require_campaign_state(campaign: Campaign, allowed: Iterable[str], action: str) -> None:
    require_state(campaign, allowed, action=action)


def today() -> datetime.date:
    return timezone.localdate()


def local_date(value: datetime.datetime) -> datetime.date:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localdate(value)


def who(application: Application) -> str:
    """How messages name an applicant: admission number and name."""
    if application.admission_number:
        return f"{application.admission_number} {application.name}"
    return application.name


def candidate(application: Application) -> ranking.Candidate:
    """The application as the ranking arithmetic sees it."""
    return ranking.Candidate(
        id=application.pk,
        written=application.written_score,
        interview=application.interview_score,
        composite=application.composite_score,
        tie_break=application.tie_break_position,
    )


def require_none_in(campaign: Campaign, state: str, message: str) -> None:
    """No application of the campaign is in ``state``; else ``message`` with the count and
    the first five, by admission number."""
    waiting = list(
        campaign.applications.filter(state=state)
        .order_by("admission_number", "pk")
        .values_list("admission_number", "name")[:5]
    )
    if waiting:
        count = campaign.applications.filter(state=state).count()
        listed = join_list(f"{number} {name}".strip() for number, name in waiting)
        raise ValidationError(message % {"count": count, "listed": listed})
