"""The personnel archive of one person (人事信息档案): every event of their records, from
their first application to the end of their last contract, and every document about them.

``person_archive(person, viewer=...)`` reads each kind of record once, whatever the length of
the history: one query per source (applications, waivers, contracts, renewal reviews,
resignations, dismissal cases and their grounds, acting designations, training attendance,
agreements, monthly scores, annual appraisals, rewards, warnings, yellow cards), one for the
audit entries that say who took the steps a record does not name, and one for the documents.
What each record says is ``archive.events``.

The dates are the records' own (the day a contract was signed, filed, in force; the day of the
written exam), in Asia/Shanghai; where a record keeps no date for a step, the day its audit
entry was written. Who recorded a step is a display name, never a username; ``本人`` for what
an applicant did on the public form, ``系统`` for what the daily sweep or a rule did.

Monthly scores are summarised per year (months published, mean, highest, lowest, pay
deducted): an archive clerk reads a director's year, not 36 rows; each month's pay slip stays
listed with the other documents.

With a ``viewer``, each event links to its record's page and each document to its file where
that user may open them (the page's permission, and the record within their scope: one
``EXISTS`` per row, in the same query); without one (the printed extract) nothing is linked.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import BaseExpression
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.scoping import scope_filter
from agreements.models import TargetAgreement
from appraisal.constants import AppraisalState
from appraisal.models import AnnualAppraisal, Reward
from archive import events
from archive.kinds import ARCHIVE_EXTRACT
from assessment.constants import MonthState
from assessment.models import AssessmentMonth, MonthlyScore
from audit.models import AuditEntry
from contracts.constants import IN_FORCE_STATES
from contracts.models import (
    CaseGround,
    Contract,
    DismissalCase,
    RenewalReview,
    Resignation,
    Vacancy,
)
from earlywarnings.models import Warning, YellowCard
from organisation.models import Township
from paperwork import kinds
from paperwork.models import Document
from paperwork.selectors import documents_visible_to
from people.models import Person
from recruitment.constants import WaiverDecision
from recruitment.models import Application, Waiver
from training.models import Attendance, Course

READ_APPLICATIONS = ("recruitment.run_campaign", "recruitment.approve_waiver")
FULL_IDENTITY = "people.view_full_identity"


@dataclass(frozen=True)
class Event:
    """One line of the archive: on which day, what happened, who recorded it, and the page
    of its record (empty when the viewer may not open it, and in the printed extract)."""

    on: datetime.date
    text: str
    by: str = ""
    url: str = ""
    order: int = 0


@dataclass(frozen=True)
class ArchivedDocument:
    """A document about the person (or one of their applications), its version in its chain
    of corrections (1 for the first issue), whether it is the current one, and its file where
    the viewer may download it."""

    document: Document
    version: int
    current: bool
    url: str = ""


@dataclass(frozen=True)
class Archive:
    person: Person
    events: list[Event]
    documents: list[ArchivedDocument]
    contract: Contract | None
    """The contract in force, else the latest one (None for someone never hired)."""

    @property
    def current_extract(self) -> ArchivedDocument | None:
        """The current archive extract (``archive.kinds.ARCHIVE_EXTRACT``), if one was
        issued."""
        extracts = [d for d in self.documents if d.current and d.document.kind == ARCHIVE_EXTRACT]
        return extracts[-1] if extracts else None


def person_archive(person: Person, *, viewer=None) -> Archive:
    """The archive of ``person``: events in date order (the steps of one day in the order they
    happen), documents in order of issue. A fixed number of queries whatever the history."""
    return _Reader(person, viewer).archive()


def _seen(model: type[Model], viewer, ref: str = "pk") -> BaseExpression:
    """An annotation: whether ``viewer`` may see the ``model`` record whose key is the row's
    ``ref`` (``accounts.scoping``), in the row's own query."""
    if viewer is None:
        return Value(False)
    condition = scope_filter(model, viewer)
    if condition is None:
        return Value(True)
    return Exists(model._default_manager.filter(condition, pk=OuterRef(ref)))


class _Reader:
    """Reads the sources of one person's archive, each once, and collects their events."""

    def __init__(self, person: Person, viewer) -> None:
        self.person = person
        self.viewer = viewer
        self.events: list[Event] = []

    def may(self, *perms: str, staff: bool = False) -> bool:
        """Whether the viewer holds one of ``perms`` (``staff``: and is not a director, for
        pages only staff read)."""
        viewer = self.viewer
        if viewer is None or (staff and getattr(viewer, "role", "") == Role.DIRECTOR):
            return False
        return any(viewer.has_perm(perm) for perm in perms)

    @staticmethod
    def link(allowed: bool, row, name: str, *args) -> str:
        """The page ``name`` of ``row`` if the viewer may open it (its ``archive_seen``)."""
        if not allowed or not getattr(row, "archive_seen", False):
            return ""
        return reverse(name, args=args)

    def rows(self, queryset: QuerySet, model: type[Model] | None = None, ref: str = "pk"):
        """``queryset`` with each row's visibility to the viewer (``archive_seen``) of
        ``model``'s record ``ref`` (the row itself by default)."""
        return queryset.annotate(archive_seen=_seen(model or queryset.model, self.viewer, ref))

    def add(self, steps: Iterable[events.Step], url: str = "") -> None:
        for step in steps:
            if step.on is None:
                continue
            on = step.on
            if isinstance(on, datetime.datetime):
                on = timezone.localdate(on)
            self.events.append(Event(on=on, text=step.text, by=step.by, url=url, order=step.order))

    # ---------------------------------------------------------------------------------------

    def archive(self) -> Archive:
        person = self.person
        applications = list(
            self.rows(Application.objects.filter(Q(person=person) | Q(id_number=person.id_number)))
            .select_related("campaign", "offer__village", "reviewed_by")
            .order_by("submitted_at", "pk")
        )
        contracts = list(
            self.rows(Contract.objects.filter(person=person))
            .select_related("post__village", "created_by", "signed_by", "filed_by")
            .order_by("start_date", "pk")
        )
        reviews = list(
            self.rows(RenewalReview.objects.filter(contract__person=person))
            .select_related("decided_by", "contract")
            .order_by("opened_on", "pk")
        )
        cases = list(
            self.rows(DismissalCase.objects.filter(contract__person=person))
            .select_related("opened_by", "decided_by", "filed_by")
            .order_by("opened_on", "pk")
        )
        acting = list(
            self.rows(Vacancy.objects.filter(acting_person=person))
            .select_related("post__village")
            .order_by("acting_from", "pk")
        )
        audit = _Audit.of_records(
            {
                Application: [a.pk for a in applications],
                Contract: [c.pk for c in contracts],
                RenewalReview: [r.pk for r in reviews],
                DismissalCase: [c.pk for c in cases],
                Vacancy: [v.pk for v in acting],
            }
        )

        read = self.may(*READ_APPLICATIONS)
        for a in applications:
            url = self.link(read, a, "recruitment:review_application", a.pk)
            self.add(events.application_steps(a, audit.entries(a)), url)
        for waiver in self.rows(
            Waiver.objects.filter(
                Q(application__person=person) | Q(application__id_number=person.id_number),
                decision__in=[WaiverDecision.APPROVED, WaiverDecision.REJECTED],
            ),
            Application,
            "application_id",
        ).select_related("decided_by"):
            url = self.link(read, waiver, "recruitment:review_application", waiver.application_id)
            self.add(events.waiver_steps(waiver), url)

        read = self.may("contracts.view_contract")
        for c in contracts:
            self.add(
                events.contract_steps(c, audit.actor(c)),
                self.link(read, c, "contracts:detail", c.pk),
            )
        read = self.may("contracts.view_renewalreview")
        for r in reviews:
            self.add(
                events.renewal_steps(r, audit.actor(r)), self.link(read, r, "renewals:review", r.pk)
            )
        read = self.may("contracts.view_resignation")
        for resignation in self.rows(
            Resignation.objects.filter(contract__person=person)
        ).select_related("requested_by", "decided_by"):
            url = self.link(read, resignation, "endings:resignation_detail", resignation.pk)
            self.add(events.resignation_steps(resignation), url)
        grounds: dict[int, list[str]] = defaultdict(list)
        for ground in (
            CaseGround.objects.filter(person=person)
            .select_related("ground")
            .order_by("case", "ground__position")
        ):
            grounds[ground.case_id].append(ground.ground.text)
        read = self.may("contracts.view_dismissalcase")
        for case in cases:
            url = self.link(read, case, "endings:case_detail", case.pk)
            self.add(events.case_steps(case, grounds[case.pk], audit.actor(case)), url)
        read = self.may("contracts.view_vacancy")
        for v in acting:
            self.add(
                events.acting_steps(v, audit.actor(v)), self.link(read, v, "vacancies:detail", v.pk)
            )

        read = self.may("training.view_course")
        for attendance in self.rows(
            Attendance.objects.filter(person=person), Course, "course_id"
        ).select_related("course", "recorded_by"):
            url = self.link(read, attendance, "training:detail", attendance.course_id)
            self.add(events.attendance_steps(attendance), url)
        read = self.may("agreements.view_agreement")
        for agreement in self.rows(TargetAgreement.objects.filter(person=person)).select_related(
            "drafted_by", "recorded_by"
        ):
            url = self.link(read, agreement, "agreements:detail", agreement.pk)
            self.add(events.agreement_steps(agreement), url)
        self.months()
        read = self.may("appraisal.view_annualappraisal", staff=True)
        for appraisal in self.rows(
            AnnualAppraisal.objects.filter(
                person=person, state__in=[AppraisalState.RATED, AppraisalState.CONFIRMED]
            ),
            Township,
            "township_id",
        ).select_related("rated_by", "confirmed_by"):
            url = self.link(
                read, appraisal, "appraisal:township_year", appraisal.township_id, appraisal.year
            )
            self.add(events.appraisal_steps(appraisal), url)
        for reward in self.rows(
            Reward.objects.filter(person=person), Township, "township_id"
        ).select_related("settlement__settled_by", "granted_by"):
            url = self.link(
                read, reward, "appraisal:township_year", reward.township_id, reward.year
            )
            self.add(events.reward_steps(reward), url)

        read = self.may("earlywarnings.view_warning")
        for warning in self.rows(Warning.objects.filter(person=person)).select_related(
            "acknowledged_by", "closed_by"
        ):
            url = self.link(read, warning, "earlywarnings:detail", warning.pk)
            self.add(events.warning_steps(warning), url)
        read = self.may("earlywarnings.view_yellowcard")
        for card in self.rows(YellowCard.objects.filter(person=person)).select_related(
            "decided_by"
        ):
            url = self.link(read, card, "earlywarnings:yellowcard_detail", card.pk)
            self.add(events.yellow_card_steps(card), url)

        documents = self.documents([a.pk for a in applications])
        # Python's sort is stable: the steps of one record keep their order within a day.
        timeline = sorted(self.events, key=lambda e: (e.on, e.order))
        in_force = [c for c in contracts if c.state in IN_FORCE_STATES]
        contract = in_force[0] if in_force else (contracts[-1] if contracts else None)
        return Archive(person=person, events=timeline, documents=documents, contract=contract)

    def months(self) -> None:
        """The published months, one line a year (``events.year_of_months_step``), linked to
        the year's latest month."""
        read = self.may("assessment.view_assessmentmonth", staff=True)
        scores = (
            self.rows(
                MonthlyScore.objects.filter(
                    person=self.person,
                    total__isnull=False,
                    month__state__in=[MonthState.PUBLISHED, MonthState.SETTLED],
                ),
                AssessmentMonth,
                "month_id",
            )
            .select_related("month", "recorded_by")
            .order_by("month__year", "month__month", "pk")
        )
        years: dict[int, list[MonthlyScore]] = defaultdict(list)
        for score in scores:
            years[score.month.year].append(score)
        for year, rows in years.items():
            last = rows[-1]
            url = self.link(read, last, "assessment:month", last.month_id)
            self.add([events.year_of_months_step(year, rows)], url)

    def documents(self, application_ids: list[int]) -> list[ArchivedDocument]:
        """Every document about the person, and about their applications (printed before the
        person was on record), oldest first, with its version and whether it is current."""
        condition = Q(person=self.person)
        if application_ids:
            condition |= Q(
                content_type=ContentType.objects.get_for_model(Application),
                object_id__in=application_ids,
            )
        viewer = self.viewer
        seen: BaseExpression
        if viewer is None:
            seen = Value(False)
        elif scope_filter(Document, viewer) is None:
            seen = Value(True)
        else:
            seen = Exists(documents_visible_to(viewer).filter(pk=OuterRef("pk")))
        documents = list(
            Document.objects.filter(condition)
            .annotate(archive_seen=seen)
            .order_by("issued_at", "pk")
        )
        by_pk = {d.pk: d for d in documents}
        superseded = {d.supersedes_id for d in documents if d.supersedes_id}
        versions: dict[int, int] = {}

        def version(document: Document) -> int:
            if document.pk not in versions:
                older = by_pk.get(document.supersedes_id or 0)
                versions[document.pk] = 1 if older is None else version(older) + 1
            return versions[document.pk]

        read = self.may("paperwork.view_document")
        full = self.may(FULL_IDENTITY)
        own = getattr(viewer, "person_id", None)
        archived = []
        for document in documents:
            # A document printing the full ID number (the contract) is for its own person and
            # those who may see full numbers (paperwork.views.document_download).
            allowed = read and (
                full or own == document.person_id or not _carries_full_id(document.kind)
            )
            archived.append(
                ArchivedDocument(
                    document=document,
                    version=version(document),
                    current=document.pk not in superseded,
                    url=self.link(allowed, document, "paperwork:download", document.pk),
                )
            )
        return archived


def _carries_full_id(code: str) -> bool:
    try:
        return kinds.get(code).carries_full_id
    except LookupError:
        return False


class _Audit:
    """The audit entries of the archive's records (one query), by record, oldest first."""

    def __init__(self, entries: Iterable[AuditEntry]) -> None:
        self.by_record: dict[tuple[int, int], list[AuditEntry]] = defaultdict(list)
        for entry in entries:
            self.by_record[(entry.content_type_id, entry.object_id)].append(entry)

    @classmethod
    def of_records(cls, records: dict[type[Model], list[int]]) -> "_Audit":
        condition = Q()
        for model, ids in records.items():
            if ids:
                content_type = ContentType.objects.get_for_model(model)
                condition |= Q(content_type=content_type, object_id__in=ids)
        if not condition:
            return cls([])
        return cls(
            AuditEntry.objects.filter(condition)
            .exclude(transition="")
            .select_related("actor")
            .order_by("at", "pk")
        )

    def entries(self, record: Model) -> list[AuditEntry]:
        content_type = ContentType.objects.get_for_model(type(record))
        return self.by_record.get((content_type.pk, record.pk), [])

    def actor(self, record: Model) -> events.Actor:
        """``actor(*steps)``: the user who took the first of ``steps`` on ``record``."""

        def first(*steps: str) -> Any:
            for entry in self.entries(record):
                if entry.transition in steps:
                    return entry.actor
            return None

        return first
