"""Reads for the dashboards (the contract term's work is in ``web.term``). Each runs a fixed
number of queries whatever the data size, and every list that grows with the data is bounded
(the rest is one link away)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.scoping import scoped
from audit.models import AuditEntry
from organisation.constants import PostStatus
from organisation.models import Post, Township, Village
from policy.models import Policy
from policy.selectors import policy_in_force_or_none
from recruitment.constants import CampaignState
from recruitment.models import OPEN_CAMPAIGN_STATES, Campaign
from recruitment.selectors import waivers_pending
from recruitment.services.review import APPROVE_WAIVER
from training.selectors import ComplianceCount, compliance_counts
from web.charts import Chart, bar_chart
from web.deadlines import Deadlines, deadlines
from web.ranking import MonthlyRanking, county_ranking, township_ranking
from web.stability import (
    PeriodForm,
    StabilityReport,
    period_from,
    stability_charts,
    stability_report,
)
from web.term import TermWork, term_work_for
from workflows.deadlines import TIME_LIMIT_STATUSES, is_overdue, last_day
from workflows.flows import CampaignFlow

RECENT_ENTRIES = 10
TASKS_SHOWN = 20
CAMPAIGNS_SHOWN = 10
VILLAGES_SHOWN = 20
FLOW_PERMISSION = "workflows.view_campaignprocess"

# The people's steps of a campaign, in order (workflows.flows.CampaignFlow).
FLOW_STEPS = (
    "approve_announcement",
    "review_applications",
    "enter_written_scores",
    "enter_interview_marks",
    "confirm_ranking",
    "handle_objections",
    "confirm_hires",
)
# The step after a campaign's state when no task is open (registration running: the timer
# closes it and the review comes next).
STEP_AFTER_STATE = {
    CampaignState.DRAFT: "approve_announcement",
    CampaignState.ANNOUNCED: "review_applications",
    CampaignState.REGISTRATION_CLOSED: "review_applications",
    CampaignState.REVIEWED: "enter_written_scores",
    CampaignState.EXAMINED: "confirm_ranking",
    CampaignState.RANKED: "confirm_ranking",
    CampaignState.PUBLICISED: "handle_objections",
}
OPEN_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def step_title(name: str) -> str:
    node = getattr(CampaignFlow, name, None)
    return str(getattr(node, "task_title", "") or name)


# Recruitment work: tasks and active campaigns ------------------------------------------------


@dataclass
class TaskRow:
    """One open task of the campaign flow as the dashboard lists it."""

    task: Task
    campaign: Campaign
    title: str
    url: str
    due: datetime.datetime | None
    escalated: bool

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due)

    @property
    def last_day(self) -> datetime.date | None:
        """The last day to act: the task is overdue from the start of the next day
        (workflows.deadlines)."""
        return None if self.due is None else last_day(self.due)


@dataclass
class CampaignRow:
    """An active campaign: the step it is at (and who has it), and the step after."""

    campaign: Campaign
    current: str
    waiting_for: list[str]
    next_step: str


@dataclass
class Work:
    """A user's recruitment work: my open tasks, tasks I may take, overdue tasks handed to
    the county (county HR), and the active campaigns of my scope."""

    mine: list[TaskRow] = field(default_factory=list)
    queue: list[TaskRow] = field(default_factory=list)
    escalated: list[TaskRow] = field(default_factory=list)
    campaigns: list[CampaignRow] = field(default_factory=list)
    more_campaigns: int = 0
    can_see_flow: bool = False


def _task_rows(tasks: list[Task]) -> list[TaskRow]:
    """Rows for ``tasks`` (loaded with their campaign), with their due times in one query."""
    due: dict[int, datetime.datetime] = {}
    for previous, scheduled in (
        Task.objects.filter(previous__in=[t.pk for t in tasks], status__in=TIME_LIMIT_STATUSES)
        .order_by("-scheduled")
        .values_list("previous", "scheduled")
    ):
        due[previous] = scheduled
    return [
        TaskRow(
            task=task,
            campaign=task.process.campaignprocess.campaign,
            title=str(task.flow_task.task_title),
            url=task.flow_task.reverse("index", args=[task.process_id, task.pk]),
            due=due.get(task.pk),
            escalated=bool((task.data or {}).get("escalated")),
        )
        for task in tasks
    ]


def _flow_tasks(user) -> QuerySet[Task]:
    return Task.objects.filter(
        process__flow_class=CampaignFlow,
        flow_task_type="HUMAN",
        process__campaignprocess__campaign__in=scoped(Campaign.objects.all(), user),
    ).select_related("owner", "process__campaignprocess__campaign__township")


def _campaign_rows(user) -> tuple[list[CampaignRow], int]:
    active = scoped(
        Campaign.objects.filter(state__in=OPEN_CAMPAIGN_STATES).select_related("township"), user
    ).order_by("registration_end", "pk")
    campaigns = list(active[:CAMPAIGNS_SHOWN])
    more = active.count() - len(campaigns)
    open_tasks: dict[int, list[Task]] = {}
    for task in (
        Task.objects.filter(
            process__campaignprocess__campaign__in=[c.pk for c in campaigns],
            flow_task_type="HUMAN",
            status__in=OPEN_TASK_STATUSES,
        )
        .select_related("owner", "process__campaignprocess")
        .order_by("created")
    ):
        open_tasks.setdefault(task.process.campaignprocess.campaign_id, []).append(task)
    rows = []
    for campaign in campaigns:
        tasks = open_tasks.get(campaign.pk, [])
        if tasks:
            name = tasks[0].flow_task.name
            current = str(tasks[0].flow_task.task_title)
            waiting = [
                task.owner.display_name if task.owner else _("not taken yet") for task in tasks
            ]
        else:
            name = STEP_AFTER_STATE.get(campaign.state, "")
            current = str(campaign.get_state_display())
            waiting = []
            if campaign.state == CampaignState.ANNOUNCED:
                current = _("Registration open until %(date)s") % {
                    "date": date_format(campaign.registration_end, "DATE_FORMAT")
                }
            name = FLOW_STEPS[FLOW_STEPS.index(name) - 1] if name in FLOW_STEPS[1:] else ""
        position = FLOW_STEPS.index(name) if name in FLOW_STEPS else -1
        if position + 1 < len(FLOW_STEPS):
            following = step_title(FLOW_STEPS[position + 1])
        else:
            following = _("The campaign ends; the hired sign their contracts.")
        rows.append(CampaignRow(campaign, current, waiting, following))
    return rows, more


def work_for(user) -> Work:
    """The recruitment work of ``user`` (nothing for a user who cannot see the flow)."""
    if not user.has_perm(FLOW_PERMISSION):
        return Work()
    tasks = _flow_tasks(user)
    mine = list(tasks.filter(owner=user, status=STATUS.ASSIGNED).order_by("created")[:TASKS_SHOWN])
    queue = list(
        tasks.filter(
            pk__in=Task.objects.user_queue(user, flow_class=CampaignFlow)
            .filter(status=STATUS.NEW)
            .values("pk")
        ).order_by("created")[:TASKS_SHOWN]
    )
    escalated: list[Task] = []
    if user.has_perm("recruitment.approve_waiver"):  # county HR: the overdue tasks it took on
        escalated = list(
            tasks.filter(status__in=OPEN_TASK_STATUSES, data__escalated=True).order_by("created")[
                :TASKS_SHOWN
            ]
        )
    rows = _task_rows([*mine, *queue, *escalated])
    mine_rows = rows[: len(mine)]
    queue_rows = rows[len(mine) : len(mine) + len(queue)]
    escalated_rows = rows[len(mine) + len(queue) :]
    campaigns, more = _campaign_rows(user)
    return Work(mine_rows, queue_rows, escalated_rows, campaigns, more, can_see_flow=True)


@dataclass(frozen=True)
class Totals:
    villages: int = 0
    posts: int = 0
    occupied: int = 0
    vacant: int = 0

    @classmethod
    def of(cls, places: list, *, villages: int) -> "Totals":
        """The sums over places annotated with ``_post_counts``."""
        return cls(
            villages=villages,
            posts=sum(p.post_count for p in places),
            occupied=sum(p.occupied_count for p in places),
            vacant=sum(p.vacant_count for p in places),
        )


def _post_counts(prefix: str) -> dict:
    """Annotations counting a place's posts: all kept posts, occupied ones and vacant ones.

    Abolished posts are left out; a surplus post is always occupied (it is abolished when it
    falls vacant), so a vacant post is an active one without a holder.
    """
    posts = f"{prefix}posts"
    kept = ~Q(**{f"{posts}__status": PostStatus.ABOLISHED})
    return {
        "post_count": Count(posts, filter=kept, distinct=True),
        "occupied_count": Count(
            posts, filter=kept & Q(**{f"{posts}__holder__isnull": False}), distinct=True
        ),
        "vacant_count": Count(
            posts,
            filter=Q(**{f"{posts}__status": PostStatus.ACTIVE, f"{posts}__holder__isnull": True}),
            distinct=True,
        ),
    }


def _township_counts(user) -> list[Township]:
    """The user's townships (by pinyin) with ``village_count`` and the counts of
    ``_post_counts``: the villages and the posts counted by township in a query each, which
    joins no village to its posts (counting distinct rows of that join grew with the
    county)."""
    townships = list(
        scoped(Township.objects.select_related("county"), user).order_by(
            "county__name", "name_pinyin", "pk"
        )
    )
    villages = dict(
        scoped(Village.objects.all(), user)
        .order_by()
        .values("township_id")
        .annotate(n=Count("pk"))
        .values_list("township_id", "n")
    )
    holder = Q(holder__isnull=False)
    posts = {
        row["village__township_id"]: row
        for row in _open_posts(user)
        .order_by()
        .values("village__township_id")
        .annotate(
            post_count=Count("pk"),
            occupied_count=Count("pk", filter=holder),
            vacant_count=Count("pk", filter=~holder & Q(status=PostStatus.ACTIVE)),
        )
    }
    for township in townships:
        row = posts.get(township.pk, {})
        township.village_count = villages.get(township.pk, 0)  # type: ignore[attr-defined]
        for name in ("post_count", "occupied_count", "vacant_count"):
            setattr(township, name, row.get(name, 0))
    return townships


def _open_posts(user, **lookup) -> QuerySet[Post]:
    """The posts matching ``lookup`` that ``user`` may see, abolished ones left out."""
    return scoped(Post.objects.filter(**lookup), user).exclude(status=PostStatus.ABOLISHED)


def recent_audit_entries(user, limit: int = RECENT_ENTRIES) -> list[AuditEntry]:
    return list(scoped(AuditEntry.objects.select_related("actor", "content_type"), user)[:limit])


@dataclass
class TrainingFigures:
    """Each township's directors in post and how many met every training requirement of
    ``year`` (``training.selectors.compliance_counts``), with their sum and a chart."""

    year: int
    rows: list[tuple[Township, ComplianceCount]] = field(default_factory=list)
    total: ComplianceCount = field(default_factory=ComplianceCount)
    chart: Chart | None = None


def training_figures(user, townships: list[Township], *, today: datetime.date, policy):
    """The training compliance of ``townships`` this year (judged by ``policy``, the one in
    force today), for a reader who may open the compliance page (None otherwise)."""
    if not user.has_perm("training.view_course") or not getattr(user, "county_id", None):
        return None
    year = today.year
    counts = compliance_counts(
        [t.pk for t in townships], user.county_id, year, today=today, policy=policy
    )
    rows = [(t, counts.get(t.pk, ComplianceCount())) for t in townships]
    total = ComplianceCount(
        in_post=sum(c.in_post for _t, c in rows), met=sum(c.met for _t, c in rows)
    )
    chart = None
    if len(rows) > 1:
        chart = bar_chart(
            dom_id="training-chart",
            label=_("Directors in post who met every training requirement of %(year)s (%%)")
            % {"year": year},
            labels=[t.name for t, _c in rows],
            series=[(_("Met (%)"), [c.share for _t, c in rows])],
            y_title="%",
            y_min=0,
            y_max=100,
        )
    return TrainingFigures(year=year, rows=rows, total=total, chart=chart)


def _policy_today(user, today: datetime.date) -> Policy | None:
    county = getattr(user, "county_id", None)
    return policy_in_force_or_none(county=county, on=today) if county else None


@dataclass
class Measures:
    """What the county's and the township's dashboards show below the work waiting: the
    deadlines (``web.deadlines``), the training compliance, the monthly ranking
    (``web.ranking``) and the stability measures over the chosen period
    (``web.stability``)."""

    deadlines: Deadlines
    training: TrainingFigures | None
    ranking: MonthlyRanking | None
    stability: StabilityReport | None
    period_form: PeriodForm | None = None
    stability_charts: list[Chart] = field(default_factory=list)


def measures(
    user, townships: list[Township], params, *, today: datetime.date, policy, county: bool
) -> Measures:
    """The measures of ``townships`` (a county's, or ``[own township]``); ``params``: the
    request's GET (the period); ``policy``: in force today."""
    ranking = None
    if user.has_perm("assessment.view_assessmentmonth") and townships:
        if county:
            ranking = county_ranking(townships, policy, today=today)
        else:
            ranking = township_ranking(townships[0], policy, today=today)
    stability, form, charts = None, None, []
    if user.has_perm("contracts.view_contract"):
        form, start, end = period_from(params or {}, today)
        same = end == today  # the policy in force today is the one of the period's end
        stability = stability_report(user, townships, start, end, policy=policy if same else None)
        charts = stability_charts(stability)
    return Measures(
        deadlines=deadlines(user, townships, today=today, policy=policy),
        training=training_figures(user, townships, today=today, policy=policy),
        ranking=ranking,
        stability=stability,
        period_form=form,
        stability_charts=charts,
    )


@dataclass
class CountyDashboard:
    townships: list[Township]
    totals: Totals
    policy: Policy | None
    recent: list[AuditEntry] = field(default_factory=list)
    work: Work = field(default_factory=Work)
    waivers_pending: int = 0
    term: TermWork = field(default_factory=TermWork)
    measures: Measures | None = None


def county_dashboard(user, params=None) -> CountyDashboard:
    """The county's work (tasks, waivers waiting for the user's decision), its deadlines
    and measures by township (``params``: the request's GET, for the stability period),
    townships with village and post counts, the policy in force and recent changes."""
    today = timezone.localdate()
    townships = _township_counts(user)
    villages = sum(t.village_count for t in townships)  # type: ignore[attr-defined]
    totals = Totals.of(townships, villages=villages)
    policy = _policy_today(user, today)
    waivers = waivers_pending(user).count() if user.has_perm(APPROVE_WAIVER) else 0
    found = measures(user, townships, params, today=today, policy=policy, county=True)
    return CountyDashboard(
        townships,
        totals,
        policy,
        recent_audit_entries(user),
        work_for(user),
        waivers,
        term_work_for(user, found.deadlines.total),
        found,
    )


@dataclass
class TownshipDashboard:
    township: Township | None
    villages_with_vacancies: list[Village]
    totals: Totals
    recent: list[AuditEntry] = field(default_factory=list)
    work: Work = field(default_factory=Work)
    villages_with_vacancies_count: int = 0
    term: TermWork = field(default_factory=TermWork)
    measures: Measures | None = None


def township_dashboard(user, params=None) -> TownshipDashboard:
    """The township's work, its deadlines and measures (its own township only), then the
    villages that have vacant posts (the first ``VILLAGES_SHOWN`` in pinyin order, with their
    number), its totals and recent changes."""
    today = timezone.localdate()
    township = (
        scoped(Township.objects.select_related("county"), user).filter(pk=user.township_id).first()
    )
    villages = list(
        scoped(Village.objects.all(), user)
        .annotate(**_post_counts(""))
        .order_by("name_pinyin", "pk")
    )
    vacant = [v for v in villages if v.vacant_count]
    found = measures(
        user,
        [township] if township else [],
        params,
        today=today,
        policy=_policy_today(user, today),
        county=False,
    )
    return TownshipDashboard(
        township,
        vacant[:VILLAGES_SHOWN],
        Totals.of(villages, villages=len(villages)),
        recent_audit_entries(user),
        work_for(user),
        len(vacant),
        term_work_for(user, found.deadlines.total),
        found,
    )


@dataclass
class VillageDashboard:
    village: Village | None
    posts: list[Post]


def village_dashboard(user) -> VillageDashboard:
    """The committee's village, its posts and the directors holding them."""
    village = (
        scoped(Village.objects.select_related("township"), user).filter(pk=user.village_id).first()
    )
    posts: list[Post] = []
    if village is not None:
        posts = list(_open_posts(user, village=village).select_related("holder").order_by("number"))
    return VillageDashboard(village, posts)
