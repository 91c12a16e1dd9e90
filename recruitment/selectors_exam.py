"""Reading the exam of a campaign: each village's candidates with their scores, rank and
result, as the ranking page and the score and ranking list show them.

Before the ranking is computed, a shortlisted candidate with a full set of interview marks is
shown with the interview score and composite the marks give (``preview``), ranked together
with the others, so the committee sees ties before computing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.text import pinyin_key
from recruitment import ranking
from recruitment.constants import ApplicationState
from recruitment.models import Application, Campaign, CampaignPost, InterviewMark

# The result of a candidate, as a code, its Chinese wording on documents and its label on pages.
RESULTS: dict[str, tuple[str, object]] = {
    "proposed": ("拟聘", _("Proposed")),
    "hired": ("聘用", _("Hired")),
    "tie": ("并列待定", _("Tied at the cut-off: decision needed")),
    "reserve": ("备选", _("Reserve")),
    "below_composite": ("未达合格线", _("Below the composite pass line")),
    "below_written": ("笔试未达合格线", _("Below the written pass line")),
    "not_shortlisted": ("未进入面试", _("Not shortlisted")),
    "absent_written": ("缺考", _("Absent from the written exam")),
    "absent_interview": ("面试缺考", _("Absent from the interview")),
    "withdrawn": ("放弃", _("Withdrawn")),
    "not_hired": ("未聘用", _("Not hired")),
    "pending_written": ("待录入", _("Written score not entered")),
    "scored": ("待定", _("Waiting for the shortlist")),
    "interview": ("待面试", _("Waiting for interview marks")),
    "provisional": ("待定", _("Marked; waiting for the others' marks")),
}

EXAM_STATES = [
    s
    for s in ApplicationState.values
    if s not in (ApplicationState.SUBMITTED, ApplicationState.INELIGIBLE)
]
STANDING_STATES = (
    ApplicationState.RANKED,
    ApplicationState.PROPOSED,
    ApplicationState.HIRED,
    ApplicationState.RESERVE,
)


@dataclass
class StandingRow:
    application: Application
    interview: Decimal | None
    composite: Decimal | None
    rank: int | None
    tied: bool
    result: str
    preview: bool = False  # interview and composite computed from marks, not yet stored
    marks: int = 0

    @property
    def result_cn(self) -> str:
        return RESULTS[self.result][0]

    @property
    def result_label(self):
        return RESULTS[self.result][1]

    @property
    def written(self) -> Decimal | None:
        return self.application.written_score


@dataclass
class TieGroup:
    rows: list[StandingRow]
    rank: int
    decided: bool  # every member has a recorded position
    at_cut_off: bool  # the tie decides who is proposed

    @property
    def ids(self) -> list[int]:
        return [row.application.pk for row in self.rows]


@dataclass
class OfferStanding:
    offer: CampaignPost
    rows: list[StandingRow] = field(default_factory=list)
    proposal: ranking.Proposal | None = None
    ties: list[TieGroup] = field(default_factory=list)
    previewed: bool = False
    waiting: bool = False  # a shortlisted candidate has no complete marks yet

    @property
    def needs_decision(self) -> bool:
        """A tie at the cut-off, once every candidate of the village is marked."""
        return bool(self.proposal and self.proposal.needs_decision) and not self.waiting


def _preview(application: Application, marks: list[Decimal], campaign: Campaign):
    interview = ranking.interview_average(marks, drop_extremes=campaign.interview_drop_extremes)
    composite = ranking.composite_score(
        application.written_score,
        interview,
        written_weight=campaign.written_weight,
        interview_weight=campaign.interview_weight,
    )
    return interview, composite


def _result(application: Application, campaign: Campaign) -> str:
    state = application.state
    if state == ApplicationState.PROPOSED:
        return "proposed"
    if state == ApplicationState.HIRED:
        return "hired"
    if state == ApplicationState.RESERVE:
        return "reserve"
    if state == ApplicationState.WITHDRAWN:
        return "withdrawn"
    if state == ApplicationState.ABSENT:
        return "absent_written" if application.written_score is None else "absent_interview"
    if state == ApplicationState.ELIGIBLE:
        return "pending_written"
    if state == ApplicationState.SCORED:
        return "scored"
    if state == ApplicationState.SHORTLISTED:
        return "interview"
    if state == ApplicationState.NOT_HIRED:
        if application.composite_score is not None:
            if application.composite_score < campaign.composite_pass_line:
                return "below_composite"
            return "not_hired"
        if (
            application.written_score is not None
            and application.written_score < campaign.written_pass_line
        ):
            return "below_written"
        if application.written_score is not None:
            return "not_shortlisted"
        return "not_hired"
    return "not_hired"


def _sort_key(row: StandingRow) -> tuple:
    a = row.application
    if row.rank is not None:
        group = 0
    elif a.state == ApplicationState.SHORTLISTED:
        group = 1
    elif a.written_score is not None and a.state != ApplicationState.WITHDRAWN:
        group = 2
    elif a.state == ApplicationState.ELIGIBLE:
        group = 3
    elif a.state == ApplicationState.ABSENT:
        group = 4
    else:
        group = 5
    return (
        group,
        row.rank or a.written_rank or 0,
        -(a.written_score or 0),
        a.admission_number or "~",
        a.pk,
    )


def offer_standing(
    offer: CampaignPost,
    applications: list[Application],
    marks: dict[int, list[Decimal]],
    campaign: Campaign,
) -> OfferStanding:
    """One village's candidates with scores, ranks, results and ties."""
    standing = OfferStanding(offer=offer)
    rows: dict[int, StandingRow] = {}
    candidates: list[ranking.Candidate] = []
    for application in applications:
        row = StandingRow(
            application=application,
            interview=application.interview_score,
            composite=application.composite_score,
            rank=None,
            tied=False,
            result=_result(application, campaign),
            marks=len(marks.get(application.pk, [])),
        )
        if (
            application.state == ApplicationState.SHORTLISTED
            and row.marks == campaign.interview_panel_size
            and application.written_score is not None
        ):
            row.interview, row.composite = _preview(application, marks[application.pk], campaign)
            row.preview = True
            standing.previewed = True
        rows[application.pk] = row
        if row.composite is not None:
            candidates.append(
                ranking.Candidate(
                    id=application.pk,
                    written=application.written_score,
                    interview=row.interview,
                    composite=row.composite,
                    tie_break=application.tie_break_position,
                )
            )
    standing.waiting = any(
        row.application.state == ApplicationState.SHORTLISTED and not row.preview
        for row in rows.values()
    )
    order = ranking.rank_candidates(candidates)
    for entry in order:
        row = rows[entry.candidate.id]
        row.rank, row.tied = entry.rank, entry.tied
    in_running = [
        e
        for e in order
        if rows[e.candidate.id].preview or rows[e.candidate.id].application.state in STANDING_STATES
    ]
    proposal = ranking.proposals(
        in_running, seats=offer.seats, pass_line=campaign.composite_pass_line
    )
    standing.proposal = proposal
    for entries, code in (
        (proposal.proposed, "proposed"),
        (proposal.tie_pending, "tie"),
        (proposal.passed, "reserve"),
        (proposal.below_pass_line, "below_composite"),
    ):
        for entry in entries:
            row = rows[entry.candidate.id]
            if row.preview and standing.waiting:
                row.result = "provisional"  # who is proposed depends on the marks to come
            elif row.application.state in (
                ApplicationState.RANKED,
                ApplicationState.SHORTLISTED,
            ):
                row.result = code
    pending = {e.candidate.id for e in proposal.tie_pending}
    groups: dict[tuple, list[StandingRow]] = defaultdict(list)
    for entry in order:
        c = entry.candidate
        groups[(c.composite, c.written, c.interview)].append(rows[c.id])
    for members in groups.values():
        if len(members) < 2:
            continue
        positions = [m.application.tie_break_position for m in members]
        standing.ties.append(
            TieGroup(
                rows=members,
                rank=min(m.rank or 0 for m in members),
                decided=all(p is not None for p in positions)
                and len(set(positions)) == len(positions),
                at_cut_off=not standing.waiting
                and any(m.application.pk in pending for m in members),
            )
        )
    standing.ties.sort(key=lambda t: (t.decided, not t.at_cut_off, t.rank))
    standing.rows = sorted(rows.values(), key=_sort_key)
    return standing


def campaign_standings(
    campaign: Campaign, *, offer: CampaignPost | None = None
) -> list[OfferStanding]:
    """Every village of the campaign (or just ``offer``) in pinyin order, with its
    candidates. Three queries whatever the size of the campaign."""
    offers = list(campaign.offers.select_related("village"))
    if offer is not None:
        offers = [o for o in offers if o.pk == offer.pk]
    offers.sort(key=lambda o: pinyin_key(o.village.name))
    applications = Application.objects.filter(campaign=campaign, state__in=EXAM_STATES).order_by(
        "pk"
    )  # the default ordering joins three tables only to sort
    if offer is not None:
        applications = applications.filter(offer=offer)
    by_offer: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        if application.state == ApplicationState.WITHDRAWN and not application.admission_number:
            continue
        by_offer[application.offer_id].append(application)
    marks: dict[int, list[Decimal]] = defaultdict(list)
    for application_id, score in InterviewMark.objects.filter(
        application__campaign=campaign,
        application__state=ApplicationState.SHORTLISTED,
    ).values_list("application_id", "score"):
        marks[application_id].append(score)
    return [offer_standing(o, by_offer.get(o.pk, []), marks, campaign) for o in offers]


def state_counts(campaign: Campaign) -> dict[str, int]:
    """How many applications of the campaign are in each state."""
    return dict(campaign.applications.values_list("state").annotate(n=Count("pk")).order_by())
