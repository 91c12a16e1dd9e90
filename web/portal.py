"""The director's portal: one phone page at "/" (and at 我的聘期, /my-term/) with everything
about their own term.

At the top a summary: the contract and the days left, the latest published month's score,
ranks in the township and in the county, pay and deduction, and what waits for them (an
agreement to sign, open warnings, a resignation or a dismissal case, the renewal review).
Then the sections: the monthly scores with charts of the last 24 months and the table of the
same figures, an excerpt of the township's published ranking (other directors' names,
villages and scores only, as the bulletin prints them), the contract with its renewal, the
agreements, training done and due, warnings, annual appraisals, every document about them
and the resignation.

Each app's reads come from its selectors (``assessment.selectors``, ``agreements.selectors``,
``training.selectors``, ...); pay, deduction and ranks are those the assessment stored when
the month was scored and published, never worked out here. Only the director's own records
are read, apart from the ranking's names and scores. The page runs the same number of
queries however many months, documents or directors there are: nothing loads every director
of the county (the county rank is one aggregate query).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.selectors import OwnAgreement, agreements_of
from appraisal.selectors import director_appraisals
from assessment.models import MonthlyScore
from assessment.selectors import (
    BulletinExcerpt,
    Standing,
    bulletin_excerpt,
    scores_with_slips,
    standing,
)
from contracts.constants import (
    IN_FORCE_STATES,
    OPEN_VACANCY_STATES,
    PENDING_STATES,
    CaseState,
    ResignationState,
)
from contracts.models import Contract, DismissalCase, RenewalReview, Resignation, Vacancy
from earlywarnings.constants import ACTIVE_STATES
from earlywarnings.models import Warning
from earlywarnings.selectors import warnings_of
from paperwork.models import Document
from paperwork.selectors import documents_visible_to
from people.models import Person
from policy.selectors import policy_in_force_or_none
from web.charts import Chart, line_chart

CHART_MONTHS = 24
WARNINGS_SHOWN = 20
OPEN_CASE_STATES = [CaseState.OPENED, CaseState.HEARD, CaseState.DECIDED]
# A group of documents of one kind is shown open when it holds at most this many.
OPEN_GROUP_SIZE = 3


@dataclass(frozen=True)
class Renewal:
    """What happens at the end of the term: the review not open yet (it opens on
    ``opens_on``), open and waiting for the township, or decided."""

    review: RenewalReview | None
    opens_on: datetime.date | None

    @property
    def state(self) -> str:
        return self.review.state if self.review is not None else "not_open"


@dataclass(frozen=True)
class Month:
    """The latest published month: the director's score (pay and deduction as stored),
    their slip, where they stand and the excerpt of the township's ranking."""

    score: MonthlyScore
    slip: Document | None
    standing: Standing
    bulletin: BulletinExcerpt


@dataclass(frozen=True)
class DocumentGroup:
    kind: str
    label: str
    documents: list[Document]

    @property
    def opened(self) -> bool:
        return len(self.documents) <= OPEN_GROUP_SIZE


@dataclass
class Portal:
    person: Person | None
    today: datetime.date
    contract: Contract | None = None
    earlier: list[Contract] = field(default_factory=list)
    days_left: int | None = None
    in_force: bool = False
    renewal: Renewal | None = None
    acting: list[Vacancy] = field(default_factory=list)
    cases: list[DismissalCase] = field(default_factory=list)
    resignations: list[Resignation] = field(default_factory=list)
    scores: list[tuple[MonthlyScore, Document | None]] = field(default_factory=list)
    month: Month | None = None
    score_chart: Chart | None = None
    rank_chart: Chart | None = None
    agreements: list[OwnAgreement] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    appraisal: dict = field(default_factory=dict)
    documents: list[DocumentGroup] = field(default_factory=list)
    document_count: int = 0

    @property
    def may_resign(self) -> bool:
        """A resignation may be asked while the contract is in force and none is waiting
        or accepted."""
        return self.in_force and not self.resignations

    @property
    def to_sign(self) -> list[OwnAgreement]:
        return [row for row in self.agreements if row.to_sign]

    @property
    def open_warnings(self) -> list[Warning]:
        return [w for w in self.warnings if w.state in ACTIVE_STATES]

    @property
    def waiting_resignation(self) -> Resignation | None:
        return next((r for r in self.resignations if r.state == ResignationState.REQUESTED), None)


def month_label(year: int, month: int) -> str:
    return _("%(year)s-%(month)s") % {"year": year, "month": month}


def _months_back(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """``count`` months ending with (year, month), oldest first."""
    index = year * 12 + month - 1
    return [divmod(i, 12) for i in range(index - count + 1, index + 1)]


def in_window(scores: list[tuple[MonthlyScore, Document | None]]) -> list:
    """The scores (newest first, with their slips) of the last ``CHART_MONTHS`` months up to
    the latest published one: what the charts draw and the table lists."""
    if not scores:
        return []
    latest = scores[0][0].month
    first_year, first_month = _months_back(latest.year, latest.month, CHART_MONTHS)[0]
    first = (first_year, first_month + 1)
    return [(s, slip) for s, slip in scores if (s.month.year, s.month.month) >= first]


def score_charts(scores: list[MonthlyScore]) -> tuple[Chart | None, Chart | None]:
    """The score and the rank in the township over the last ``CHART_MONTHS`` months up to the
    latest published one (``scores`` newest first, of those months), a gap where a month has
    no score: the figures of the table beneath them."""
    if not scores:
        return None, None
    latest = scores[0].month
    window = [(y, m + 1) for y, m in _months_back(latest.year, latest.month, CHART_MONTHS)]
    by_month = {(s.month.year, s.month.month): s for s in scores}
    first = next(i for i, key in enumerate(window) if key in by_month)
    months = window[first:]
    labels = [month_label(y, m) for y, m in months]
    totals = [by_month[key].total if key in by_month else None for key in months]
    ranks = [by_month[key].rank if key in by_month else None for key in months]
    score_chart = line_chart(
        dom_id="portal-score-chart",
        label=_("My monthly score, last %(n)s months") % {"n": CHART_MONTHS},
        labels=labels,
        series=[(_("Score"), totals)],
        y_title=_("Score"),
    )
    rank_chart = line_chart(
        dom_id="portal-rank-chart",
        label=_("My rank in the township, last %(n)s months (1 at the top)") % {"n": CHART_MONTHS},
        labels=labels,
        series=[(_("Rank in the township"), ranks)],
        y_title=_("Rank"),
        y_reverse=True,
        y_integer=True,
    )
    return score_chart, rank_chart


def _renewal(contract: Contract, today: datetime.date) -> Renewal | None:
    if contract.state not in IN_FORCE_STATES:
        return None
    try:
        review = contract.renewal_review
    except RenewalReview.DoesNotExist:
        review = None
    if review is not None:
        return Renewal(review, None)
    policy = policy_in_force_or_none(county=contract.township.county_id, on=today)
    opens_on = None
    if policy is not None:
        opens_on = contract.end_date - datetime.timedelta(days=policy.renewal_review_days)
    return Renewal(None, opens_on)


def _document_groups(documents: list[Document]) -> list[DocumentGroup]:
    """The documents by kind, the kind of the newest document first."""
    groups: dict[str, DocumentGroup] = {}
    for document in documents:
        group = groups.get(document.kind)
        if group is None:
            group = groups[document.kind] = DocumentGroup(
                document.kind, document.get_kind_display(), []
            )
        group.documents.append(document)
    return list(groups.values())


def director_portal(user, *, today: datetime.date | None = None) -> Portal:
    """Everything about the signed-in director's own term (module docstring). A director
    whose account has no person record gets an empty portal that says so."""
    today = today or timezone.localdate()
    person = (
        Person.objects.select_related("township", "village").filter(pk=user.person_id).first()
        if getattr(user, "person_id", None)
        else None
    )
    portal = Portal(person=person, today=today)
    if person is None:
        return portal

    contracts = list(
        Contract.objects.filter(person=person)
        .select_related("post__village", "township", "renewal_review__new_contract")
        .order_by("-start_date", "-pk")
    )
    current = next(
        (c for c in contracts if c.state in IN_FORCE_STATES + PENDING_STATES),
        contracts[0] if contracts else None,
    )
    portal.contract = current
    portal.earlier = [c for c in contracts if c is not current]
    if current is not None:
        portal.in_force = current.state in IN_FORCE_STATES
        portal.days_left = current.days_left(today)
        portal.renewal = _renewal(current, today)

    portal.acting = list(
        Vacancy.objects.filter(acting_person=person, state__in=OPEN_VACANCY_STATES)
        .select_related("post__village")
        .order_by("refill_due", "pk")
    )
    portal.cases = list(
        DismissalCase.objects.filter(contract__person=person, state__in=OPEN_CASE_STATES)
        .select_related("contract")
        .order_by("opened_on", "pk")
    )
    portal.resignations = list(
        Resignation.objects.filter(contract__person=person)
        .exclude(state=ResignationState.WITHDRAWN)
        .filter(Q(state=ResignationState.REQUESTED) | Q(end_date__gte=today))
        .order_by("-requested_on", "-pk")
    )

    portal.scores = in_window(scores_with_slips(person, limit=CHART_MONTHS))
    if portal.scores:
        score, slip = portal.scores[0]
        portal.month = Month(score, slip, standing(score), bulletin_excerpt(score))
    portal.score_chart, portal.rank_chart = score_charts([s for s, _slip in portal.scores])

    portal.agreements = agreements_of(person, today=today)
    portal.warnings = list(warnings_of(person)[:WARNINGS_SHOWN])
    portal.appraisal = director_appraisals(person)
    documents = list(
        documents_visible_to(user)
        .filter(person=person)
        .select_related("superseded_by")
        .order_by("-issued_at", "-pk")
    )
    portal.documents = _document_groups(documents)
    portal.document_count = len(documents)
    return portal
