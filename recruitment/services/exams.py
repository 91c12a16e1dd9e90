"""The exam of a campaign: admission numbers and tickets, written scores (typed or
imported), the interview shortlist, interview marks, and the ranking of each village.

All of it happens while the campaign is ``reviewed`` (the tie-break also while
``examined``): H3's ``campaign_finish_exams`` then moves the campaign on once every
application is resolved (absent, ranked or rejected), and ``campaign_confirm_ranking``
issues the score and ranking list (``recruitment.documents.exam``).

Each service is one transaction: it locks the campaign row (``select_for_update``), so two
exam services never work on one campaign at the same time, checks the user and the state,
checks every input before writing anything, then changes the applications through their
django-fsm transitions and writes them in bulk: one prepared UPDATE for every changed
application (``_write``) and one prepared INSERT for their audit rows (``_audit_many``), each
run with ``executemany``. A campaign has thousands of applicants: one ``save()`` and one
``audit_record`` each took seconds, and so did Django's ``bulk_update`` (see ``_write``).
The campaign lock stands in for the per-row optimistic check that ``save()`` would make.

Rejections made here (below a pass line, not shortlisted) do not issue the not-hired letter
at once: every candidate not hired gets one letter when the campaign concludes
(``campaign_confirm_hires``), so nobody receives two.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.models import Field, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.scoping import can_see
from audit.models import AuditEntry
from audit.services import audit_record
from core.tabular import FileImportReport, ImportFileError, RowError
from core.text import pinyin_key
from recruitment import ranking
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign, CampaignPost, InterviewMark
from recruitment.paperwork import issue_for

RUN_CAMPAIGN = "recruitment.run_campaign"
ROOM_SEATS = 30  # seats in one exam room (考场), the usual size of a school classroom
SEQUENCE_DIGITS = 4  # admission number: <year><township id, 3 digits><sequence, 4 digits>
EXAM_STATES = (CampaignState.REVIEWED,)
TIE_BREAK_STATES = (CampaignState.REVIEWED, CampaignState.EXAMINED)

__all__ = [
    "ImportFileError",
    "ImportReport",
    "RankingResult",
    "ScoreResult",
    "admission_assign",
    "interview_absent",
    "interview_marks_record",
    "ranking_compute",
    "shortlist_draw",
    "tie_break_record",
    "written_scores_import",
    "written_scores_record",
]


# Checks -------------------------------------------------------------------------------------


def _locked(campaign: Campaign) -> Campaign:
    """The campaign row, locked until the end of the transaction, as it is now."""
    return (
        Campaign.objects.select_related("township__county")
        .select_for_update(of=("self",))
        .get(pk=campaign.pk)
    )


def check_runner(campaign: Campaign, by) -> None:
    """Only a user who runs campaigns and sees this campaign's township may act on it."""
    if by is None or not by.is_authenticated or not by.has_perm(RUN_CAMPAIGN):
        raise PermissionDenied(
            _("Only members of the township's recruitment committee may record the exam.")
        )
    if not can_see(by, campaign):
        raise PermissionDenied(
            _("%(campaign)s is not a campaign of your township.") % {"campaign": campaign}
        )


def _check_state(campaign: Campaign, allowed: tuple, action: str) -> None:
    if campaign.state not in allowed:
        states = ", ".join(str(CampaignState(s).label) for s in allowed)
        raise ValidationError(
            _(
                "%(action)s is possible only while the campaign is “%(allowed)s”; "
                "“%(campaign)s” is “%(state)s”. Nothing was changed."
            )
            % {
                "action": action,
                "allowed": states,
                "campaign": campaign.title,
                "state": campaign.get_state_display(),
            }
        )


def _who(application: Application) -> str:
    """How messages name an applicant: admission number and name."""
    if application.admission_number:
        return f"{application.admission_number} {application.name}"
    return application.name


# Audit rows in bulk ---------------------------------------------------------------------------


@dataclass
class _Change:
    application: Application
    before: dict
    after: dict
    transition: str = ""
    action: str = AuditEntry.Action.TRANSITION
    reason: str = ""


def _concrete(field) -> Field:
    assert isinstance(field, Field) and field.column
    return field


AUDIT_COLUMNS = [
    "at",
    "actor",
    "action",
    "transition",
    "content_type",
    "object_id",
    "object_repr",
    "county",
    "township",
    "before",
    "after",
    "reason",
]


def _audit_many(changes: list[_Change], *, campaign: Campaign, by) -> None:
    """One audit row per change, the same rows ``audit.services.audit_record`` writes, in
    one prepared INSERT run for every row (``executemany``).

    ``AuditEntry.objects.bulk_create`` took 0.6 s for 5,000 rows, most of it in Django's SQL
    compiler; this takes a tenth of that. Values go through each field's
    ``get_db_prep_save`` (JSON with the model's encoder, dates for the backend), as
    ``bulk_create`` would; audit entries are only ever inserted, so nothing in
    ``AuditEntry.save`` is skipped.
    """
    if not changes:
        return
    connection = connections[AuditEntry.objects.db]
    meta = AuditEntry._meta
    fields = [_concrete(meta.get_field(name)) for name in AUDIT_COLUMNS]
    prep = {f.name: f.get_db_prep_save for f in fields}
    # The same for every row: prepared once.
    common = {
        name: prep[name](value, connection)
        for name, value in {
            "at": timezone.now(),
            "actor": by.pk if getattr(by, "pk", None) else None,
            "content_type": ContentType.objects.get_for_model(Application).pk,
            "county": campaign.township.county_id,
            "township": campaign.township_id,
        }.items()
    }
    before, after = prep["before"], prep["after"]
    rows = []
    for change in changes:
        values = {
            **common,
            "action": str(change.action),
            "transition": change.transition,
            "object_id": change.application.pk,
            "object_repr": str(change.application)[:200],
            "before": before(change.before, connection),
            "after": after(change.after, connection),
            "reason": str(change.reason),
        }
        rows.append([values[name] for name in AUDIT_COLUMNS])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _write(applications: list[Application], fields: list[str]) -> None:
    """Save ``fields`` of ``applications``: one prepared UPDATE run for every row
    (``executemany``). Django's ``bulk_update`` builds a CASE expression per field and row
    and took seconds for 5,000 applications; this takes milliseconds. Values go through
    each field's ``get_db_prep_save``, as ``save()`` would."""
    if not applications:
        return
    connection = connections[Application.objects.db]
    meta = Application._meta
    columns = [_concrete(meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    pk = _concrete(meta.pk)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"
    rows = [
        [f.get_db_prep_save(getattr(a, f.attname), connection) for f in columns] + [a.pk]
        for a in applications
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# Admission numbers and tickets --------------------------------------------------------------


def admission_prefix(campaign: Campaign) -> str:
    """<year of the written exam><township id, last three digits>, e.g. 2026012."""
    return f"{campaign.written_exam_at.year}{campaign.township_id % 1000:03d}"


def admission_assign(*, campaign: Campaign, by) -> int:
    """Give every eligible application of the campaign without one an admission number, an
    exam room and a seat, and issue its admission ticket. Returns how many were assigned.

    Numbers are <year of the written exam><township id, 3 digits><sequence, 4 digits>; the
    sequence continues after the township's earlier numbers of that year, so a number is
    unique in the campaign and in the township's year. Seats follow the pinyin order of the
    applicants' names (then the order of registration), ``ROOM_SEATS`` to a room, rooms
    numbered 01, 02, …: a list in pinyin order is how a room's door list is read. Running it
    again assigns only applications that have no number yet (after the last seat).
    """
    with transaction.atomic():
        campaign = _locked(campaign)
        check_runner(campaign, by)
        _check_state(campaign, EXAM_STATES, _("Assigning admission numbers"))
        applications = list(
            campaign.applications.filter(state=ApplicationState.ELIGIBLE, admission_number="")
            .select_related("offer__village", "campaign__township__county", "campaign__policy")
            .order_by("pk")
        )
        if not applications:
            return 0
        applications.sort(key=lambda a: (pinyin_key(a.name), a.pk))

        prefix = admission_prefix(campaign)
        last = Application.objects.filter(
            admission_number__startswith=prefix,
            admission_number__regex=rf"^{prefix}\d{{{SEQUENCE_DIGITS}}}$",
        ).aggregate(last=Max("admission_number"))["last"]
        first = int(last[-SEQUENCE_DIGITS:]) + 1 if last else 1
        if first + len(applications) - 1 >= 10**SEQUENCE_DIGITS:
            raise ValidationError(
                _(
                    "The township has no admission numbers left for %(year)s: at most "
                    "%(max)s a year."
                )
                % {"year": campaign.written_exam_at.year, "max": 10**SEQUENCE_DIGITS - 1}
            )
        taken = campaign.applications.exclude(admission_number="").count()

        changes = []
        for index, application in enumerate(applications):
            position = taken + index
            application.admission_number = f"{prefix}{first + index:0{SEQUENCE_DIGITS}d}"
            application.exam_room = f"{position // ROOM_SEATS + 1:02d}"
            application.seat_number = position % ROOM_SEATS + 1
            changes.append(
                _Change(
                    application,
                    before={"admission_number": "", "exam_room": "", "seat_number": None},
                    after={
                        "admission_number": application.admission_number,
                        "exam_room": application.exam_room,
                        "seat_number": application.seat_number,
                    },
                    transition="admit",
                    action=AuditEntry.Action.UPDATE,
                )
            )
        _write(applications, ["admission_number", "exam_room", "seat_number"])
        _audit_many(changes, campaign=campaign, by=by)
        for application in applications:
            issue_for(application, "admit", by=by)
        return len(applications)


# Written scores --------------------------------------------------------------------------------

ABSENT = None  # the value of a written score meaning "did not sit the exam"


@dataclass
class ScoreResult:
    scored: int = 0
    absent: int = 0
    corrected: int = 0
    unchanged: int = 0


@dataclass
class _ScoreChange:
    application: Application
    value: Decimal | None
    kind: str  # "score", "absent", "correct", "same"


def score_change(application: Application, value: Decimal | None) -> _ScoreChange:
    """What recording ``value`` (None: absent) for ``application`` would do, or ValueError
    with the reason it cannot be recorded."""
    state = application.state
    if state == ApplicationState.ELIGIBLE:
        return _ScoreChange(application, value, "absent" if value is None else "score")
    if state == ApplicationState.SCORED:
        if value is None:
            raise ValueError(
                _("%(who)s already has the written score %(score)s and cannot be marked absent.")
                % {"who": _who(application), "score": application.written_score}
            )
        same = value == application.written_score
        return _ScoreChange(application, value, "same" if same else "correct")
    if state == ApplicationState.ABSENT and application.written_score is None:
        if value is None:
            return _ScoreChange(application, value, "same")
        raise ValueError(
            _("%(who)s was marked absent from the written exam; a score cannot be added.")
            % {"who": _who(application)}
        )
    if state in (ApplicationState.SUBMITTED, ApplicationState.INELIGIBLE):
        raise ValueError(
            _("%(who)s is not eligible for the exam (%(state)s).")
            % {"who": _who(application), "state": application.get_state_display()}
        )
    raise ValueError(
        _("The written score of %(who)s can no longer change: the application is “%(state)s”.")
        % {"who": _who(application), "state": application.get_state_display()}
    )


def _apply_scores(campaign: Campaign, plan: list[_ScoreChange], by, reason: str) -> ScoreResult:
    result = ScoreResult()
    changed: list[Application] = []
    audit: list[_Change] = []
    for item in plan:
        application = item.application
        before = {"state": application.state, "written_score": application.written_score}
        if item.kind == "same":
            result.unchanged += 1
            continue
        if item.kind == "score":
            application.record_written(score=item.value)
            transition, action = "record_written", AuditEntry.Action.TRANSITION
            result.scored += 1
        elif item.kind == "absent":
            application.mark_absent()
            transition, action = "mark_absent", AuditEntry.Action.TRANSITION
            result.absent += 1
        else:
            application.written_score = item.value  # type: ignore[assignment]
            transition, action = "", AuditEntry.Action.UPDATE
            result.corrected += 1
        changed.append(application)
        audit.append(
            _Change(
                application,
                before=before,
                after={"state": application.state, "written_score": application.written_score},
                transition=transition,
                action=action,
                reason=reason,
            )
        )
    _write(changed, ["state", "written_score"])
    _audit_many(audit, campaign=campaign, by=by)
    return result


def written_scores_record(*, campaign: Campaign, rows: list[tuple], by) -> ScoreResult:
    """Record written scores typed into the entry form: ``rows`` of (application id, score),
    the score a number from 0 to 100 with at most two decimals (text or Decimal), or None for
    an applicant who did not sit the exam.

    Every row is checked first; if any is wrong a ValidationError lists every problem and
    nothing is written. A score typed again unchanged is left alone; a different score for
    an applicant already scored is a correction (audited as a change) until the shortlist is
    drawn.
    """
    with transaction.atomic():
        campaign = _locked(campaign)
        check_runner(campaign, by)
        _check_state(campaign, EXAM_STATES, _("Recording written scores"))
        ids = [row[0] for row in rows]
        applications = {
            a.pk: a
            for a in campaign.applications.filter(pk__in=ids).order_by("pk").select_for_update()
        }
        problems: list[str] = []
        plan: list[_ScoreChange] = []
        seen: set = set()
        for application_id, raw in rows:
            application = applications.get(application_id)
            if application is None:
                problems.append(
                    _("Application %(id)s is not part of this campaign.") % {"id": application_id}
                )
                continue
            if application_id in seen:
                problems.append(_("%(who)s appears twice.") % {"who": _who(application)})
                continue
            seen.add(application_id)
            try:
                value = None if raw is ABSENT else ranking.parse_score(raw)
                plan.append(score_change(application, value))
            except ranking.ScoreError as exc:
                problems.append(
                    _("%(who)s: %(reason)s") % {"who": _who(application), "reason": exc.message}
                )
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValidationError(problems)
        return _apply_scores(campaign, plan, by, reason=_("written scores entered"))


@dataclass
class ImportReport(FileImportReport):
    """What a written-score import did, or why it did nothing (``errors``)."""

    scored: int = 0
    absent: int = 0
    corrected: int = 0
    unchanged: int = 0

    def summary(self) -> dict:
        return {
            **super().summary(),
            "scored": self.scored,
            "absent": self.absent,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
        }


def _file_content(file) -> tuple[str, bytes]:
    name = getattr(file, "name", "") or ""
    if hasattr(file, "chunks"):
        if hasattr(file, "seek"):
            file.seek(0)
        return name, b"".join(file.chunks())
    return name, file.read()


def written_scores_import(*, campaign: Campaign, file, by) -> ImportReport:
    """Import written scores from an .xlsx or .csv file (``file``: an upload or any object
    with ``name`` and ``read()``), all or nothing.

    The columns are 准考证号 (admission number), 姓名 (name, checked against the
    application) and 笔试成绩 (the score, or 缺考 for an absentee); see
    ``recruitment.scores_import``. Raises ImportFileError when the file as a whole cannot be
    read; otherwise returns a report whose ``errors`` name every bad cell by row, column and
    reason (and then nothing was written), or the counts of what was recorded.
    """
    from recruitment import scores_import

    with transaction.atomic():
        campaign = _locked(campaign)
        check_runner(campaign, by)
        _check_state(campaign, EXAM_STATES, _("Importing written scores"))
        name, content = _file_content(file)
        report = ImportReport(file_name=name, sha256=hashlib.sha256(content).hexdigest())
        table = scores_import.read_score_table(name, content)
        report.rows = len(table.data)
        applications = {
            a.admission_number: a
            for a in campaign.applications.exclude(admission_number="")
            .only(*WORK_FIELDS)
            .order_by("pk")
            .select_for_update()
        }
        parsed, errors = scores_import.validate_rows(table, applications)
        plan: list[_ScoreChange] = []
        for row in parsed:
            try:
                plan.append(score_change(row.application, row.value))
            except ValueError as exc:
                errors.append(RowError(row.row, table.header("score"), str(exc)))
        if errors:
            report.errors = sorted(errors, key=lambda e: e.row)
            return report
        result = _apply_scores(
            campaign, plan, by, reason=_("written scores imported from %(name)s") % {"name": name}
        )
        report.scored, report.absent = result.scored, result.absent
        report.corrected, report.unchanged = result.corrected, result.unchanged
        audit_record(
            obj=campaign,
            action=AuditEntry.Action.IMPORT,
            by=by,
            after=report.summary(),
            reason=f"written score import: {name}",
        )
        return report


# Interview shortlist ---------------------------------------------------------------------------


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
    "written_score",
    "written_rank",
    "interview_score",
    "composite_score",
    "rank",
    "tie_break_position",
    "tie_break_note",
    "outcome_note",
)


def candidate(application: Application) -> ranking.Candidate:
    return ranking.Candidate(
        id=application.pk,
        written=application.written_score,
        interview=application.interview_score,
        composite=application.composite_score,
        tie_break=application.tie_break_position,
    )


def _require_no(campaign: Campaign, state: str, message: str) -> None:
    waiting = list(
        campaign.applications.filter(state=state)
        .order_by("admission_number", "pk")
        .values_list("admission_number", "name")[:5]
    )
    if waiting:
        count = campaign.applications.filter(state=state).count()
        listed = ", ".join(f"{number} {name}".strip() for number, name in waiting)
        raise ValidationError(message % {"count": count, "listed": listed})


def shortlist_draw(*, campaign: Campaign, by) -> int:
    """Draw the interview shortlist of every village from the written scores.

    Per village, among the applicants at or above the written pass line, ``seats ×
    shortlist_ratio`` by written rank are shortlisted (all of them when fewer; everyone tied
    with the last one taken as well). The others are rejected with a note saying why (below
    the pass line, or not among the shortlisted). Every eligible applicant needs a written
    score or an absence first. Returns how many were shortlisted.
    """
    with transaction.atomic():
        campaign = _locked(campaign)
        check_runner(campaign, by)
        _check_state(campaign, EXAM_STATES, _("Drawing the interview shortlist"))
        _require_no(
            campaign,
            ApplicationState.ELIGIBLE,
            _(
                "%(count)s eligible applicant(s) have neither a written score nor an absence "
                "(%(listed)s …). Record them before drawing the shortlist."
            ),
        )
        by_offer: dict[int, list[Application]] = defaultdict(list)
        scored = (
            campaign.applications.filter(state=ApplicationState.SCORED)
            .only(*WORK_FIELDS)
            .order_by("pk")
        )
        for application in scored:
            by_offer[application.offer_id].append(application)
        offers = {o.pk: o for o in campaign.offers.select_related("village")}

        changed: list[Application] = []
        audit: list[_Change] = []
        shortlisted = 0
        for offer_id, applications in by_offer.items():
            offer = offers[offer_id]
            index = {a.pk: a for a in applications}
            result = ranking.shortlist(
                (candidate(a) for a in applications),
                seats=offer.seats,
                ratio=campaign.shortlist_ratio,
                pass_line=campaign.written_pass_line,
            )
            for c, rank in result.shortlisted:
                application = index[c.id]
                application.shortlist(written_rank=rank)
                changed.append(application)
                audit.append(
                    _Change(
                        application,
                        before={"state": ApplicationState.SCORED, "written_rank": None},
                        after={"state": application.state, "written_rank": rank},
                        transition="shortlist",
                    )
                )
                shortlisted += 1
            for c, rank in result.not_shortlisted:
                note = _(
                    "Not called to the interview: written rank %(rank)s in %(village)s, where "
                    "%(quota)s candidates are called for %(seats)s post(s)."
                ) % {
                    "rank": rank,
                    "village": offer.village.name,
                    "quota": result.quota,
                    "seats": offer.seats,
                }
                _reject_written(index[c.id], rank, note, changed, audit)
            for c, rank in result.below_pass_line:
                note = _("Written score %(score)s is below the pass line %(line)s.") % {
                    "score": c.written,
                    "line": campaign.written_pass_line,
                }
                _reject_written(index[c.id], rank, note, changed, audit)
        _write(changed, ["state", "written_rank", "outcome_note"])
        _audit_many(audit, campaign=campaign, by=by)
        return shortlisted


def _reject_written(application, rank, note, changed, audit) -> None:
    application.written_rank = rank
    application.reject(note=note)
    changed.append(application)
    audit.append(
        _Change(
            application,
            before={"state": ApplicationState.SCORED, "written_rank": None},
            after={"state": application.state, "written_rank": rank, "outcome_note": note},
            transition="reject",
            reason=note,
        )
    )


# Interview -------------------------------------------------------------------------------------


def _locked_application(application: Application, campaign: Campaign) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("offer__village")
        .get(pk=application.pk, campaign=campaign)
    )


def _check_shortlisted(application: Application) -> None:
    if application.state != ApplicationState.SHORTLISTED:
        raise ValidationError(
            _(
                "%(who)s is not waiting for the interview (the application is “%(state)s”). "
                "Nothing was changed."
            )
            % {"who": _who(application), "state": application.get_state_display()}
        )


def check_marks(campaign: Campaign, marks: list[tuple]) -> tuple[list[tuple], list[str]]:
    """The marks as (seat, examiner, Decimal) and every problem found, without writing."""
    size = campaign.interview_panel_size
    problems: list[str] = []
    clean: list[tuple] = []
    if len(marks) != size:
        problems.append(
            ngettext(
                "The panel has %(size)s member; %(given)s mark(s) were given.",
                "The panel has %(size)s members; %(given)s mark(s) were given.",
                size,
            )
            % {"size": size, "given": len(marks)}
        )
    seats = [seat for seat, _examiner, _score in marks]
    if sorted(seats) != list(range(1, len(marks) + 1)) or len(marks) != size:
        if len(set(seats)) != len(seats):
            problems.append(_("Each panel member's number may appear only once."))
        if any(not isinstance(s, int) or s < 1 or s > size for s in seats):
            problems.append(_("Panel members are numbered 1 to %(size)s.") % {"size": size})
    examiner_max = InterviewMark._meta.get_field("examiner").max_length or 64
    for seat, examiner, raw in marks:
        examiner = (examiner or "").strip()
        if not examiner:
            problems.append(_("Panel member %(seat)s: the name is missing.") % {"seat": seat})
        elif len(examiner) > examiner_max:
            problems.append(
                _("Panel member %(seat)s: the name is longer than %(max)s characters.")
                % {"seat": seat, "max": examiner_max}
            )
        try:
            score = ranking.parse_score(raw)
        except ranking.ScoreError as exc:
            problems.append(
                _("Panel member %(seat)s: %(reason)s") % {"seat": seat, "reason": exc.message}
            )
            continue
        clean.append((seat, examiner, score))
    return clean, problems


def interview_marks_record(*, application: Application, marks: list[tuple], by) -> Decimal:
    """Record the interview panel's marks for one shortlisted applicant: ``marks`` are
    (panel member number, examiner's name, mark), exactly ``interview_panel_size`` of them,
    numbered 1 to n, each mark 0 to 100 with at most two decimals. Marks recorded before
    are replaced (until the ranking is computed). Returns the interview score the marks
    give (``recruitment.ranking.interview_average``)."""
    with transaction.atomic():
        campaign = _locked(application.campaign)
        check_runner(campaign, by)
        _check_state(campaign, EXAM_STATES, _("Recording interview marks"))
        application = _locked_application(application, campaign)
        _check_shortlisted(application)
        clean, problems = check_marks(campaign, marks)
        if problems:
            raise ValidationError(problems)
        average = ranking.interview_average(
            [score for _seat, _examiner, score in clean],
            drop_extremes=campaign.interview_drop_extremes,
        )
        old = list(application.interview_marks.order_by("panel_seat"))
        application.interview_marks.all().delete()
        InterviewMark.objects.bulk_create(
            [
                InterviewMark(
                    application=application,
                    panel_seat=seat,
                    examiner=examiner,
                    score=score,
                    recorded_by=by,
                )
                for seat, examiner, score in sorted(clean)
            ]
        )
        audit_record(
            obj=application,
            action=AuditEntry.Action.UPDATE,
            by=by,
            before={"interview_marks": [[m.panel_seat, m.examiner, m.score] for m in old]},
            after={
                "interview_marks": [[s, e, v] for s, e, v in sorted(clean)],
                "interview_average": average,
            },
            reason=_("interview marks recorded") if not old else _("interview marks corrected"),
        )
        return average


def interview_absent(*, application: Application, by) -> Application:
    """A shortlisted applicant did not come to the interview."""
    with transaction.atomic():
        campaign = _locked(application.campaign)
        check_runner(campaign, by)
        _check_state(campaign, EXAM_STATES, _("Marking an interview absence"))
        application = _locked_application(application, campaign)
        _check_shortlisted(application)
        if application.interview_marks.exists():
            raise ValidationError(
                _(
                    "%(who)s already has interview marks; an applicant with marks was not "
                    "absent. Nothing was changed."
                )
                % {"who": _who(application)}
            )
        before = {"state": application.state}
        application.mark_absent()
        application.save()
        audit_record(
            obj=application,
            action=AuditEntry.Action.TRANSITION,
            transition="mark_absent",
            by=by,
            before=before,
            after={"state": application.state},
            reason=_("absent from the interview"),
        )
        return application


# Ranking ---------------------------------------------------------------------------------------


@dataclass
class RankingResult:
    ranked: int = 0
    rejected: int = 0
    proposals: dict[int, ranking.Proposal] = field(default_factory=dict)  # by offer id

    @property
    def ties(self) -> list[int]:
        """Offers whose ranking has a tie at the cut-off that needs a recorded decision."""
        return [offer_id for offer_id, p in self.proposals.items() if p.needs_decision]


RANKED_STATES = (
    ApplicationState.RANKED,
    ApplicationState.PROPOSED,
    ApplicationState.HIRED,
    ApplicationState.RESERVE,
)


def _rerank(
    offer_applications: list[Application], changed: dict[int, Application], audit, reason=""
) -> list[ranking.Ranked]:
    """Store the ranks of one village's ranking on its applications (those with a composite
    score); record a change for each rank that moved."""
    pool = {a.pk: a for a in offer_applications if a.composite_score is not None}
    result = ranking.rank_candidates(candidate(a) for a in pool.values())
    for entry in result:
        application = pool[entry.candidate.id]
        if application.rank != entry.rank:
            if application.pk not in changed:
                audit.append(
                    _Change(
                        application,
                        before={"rank": application.rank},
                        after={"rank": entry.rank},
                        action=AuditEntry.Action.UPDATE,
                        reason=reason,
                    )
                )
            application.rank = entry.rank
            changed[application.pk] = application
    return result


def ranking_compute(*, campaign: Campaign, by) -> RankingResult:
    """Compute interview scores, composites and ranks of every village.

    Every shortlisted applicant needs a full set of interview marks or an absence. Their
    interview score is the panel average (``interview_average``), the composite the
    campaign's weights, half-up to two decimals; they become ``ranked``, and those below
    the composite pass line are then rejected with a note. Ranks (1, 2, 2, 4, with the
    tie-break of ``recruitment.ranking``) are stored for every applicant with a composite.
    The result says, per village, who the ranking would propose and where a tie at the
    cut-off needs a recorded decision (``tie_break_record``).
    """
    with transaction.atomic():
        campaign = _locked(campaign)
        check_runner(campaign, by)
        _check_state(campaign, EXAM_STATES, _("Computing the ranking"))
        _require_no(
            campaign,
            ApplicationState.ELIGIBLE,
            _(
                "%(count)s eligible applicant(s) have neither a written score nor an absence "
                "(%(listed)s …). Record them first."
            ),
        )
        _require_no(
            campaign,
            ApplicationState.SCORED,
            _(
                "The interview shortlist has not been drawn yet: %(count)s applicant(s) are "
                "scored and waiting (%(listed)s …)."
            ),
        )
        size = campaign.interview_panel_size
        applications = list(
            (
                campaign.applications.filter(composite_score__isnull=False)
                | campaign.applications.filter(state=ApplicationState.SHORTLISTED)
            )
            .only(*WORK_FIELDS)
            .order_by("pk")
        )
        shortlisted = [a for a in applications if a.state == ApplicationState.SHORTLISTED]
        marks: dict[int, list[Decimal]] = defaultdict(list)
        for application_id, score in InterviewMark.objects.filter(
            application__in=[a.pk for a in shortlisted]
        ).values_list("application_id", "score"):
            marks[application_id].append(score)
        incomplete = [a for a in shortlisted if len(marks[a.pk]) != size]
        if incomplete:
            listed = ", ".join(_who(a) for a in incomplete[:5])
            raise ValidationError(
                _(
                    "%(count)s shortlisted applicant(s) have no complete interview marks "
                    "(%(listed)s …). Record their marks or mark them absent first."
                )
                % {"count": len(incomplete), "listed": listed}
            )

        changed: dict[int, Application] = {}
        audit: list[_Change] = []
        result = RankingResult()
        for application in shortlisted:
            interview = ranking.interview_average(
                marks[application.pk], drop_extremes=campaign.interview_drop_extremes
            )
            composite = ranking.composite_score(
                application.written_score,
                interview,
                written_weight=campaign.written_weight,
                interview_weight=campaign.interview_weight,
            )
            application.rank_with(interview=interview, composite=composite)
            changed[application.pk] = application
            result.ranked += 1

        by_offer: dict[int, list[Application]] = defaultdict(list)
        for application in applications:
            by_offer[application.offer_id].append(application)
        offers = {o.pk: o for o in campaign.offers.all()}
        newly = {a.pk for a in shortlisted}
        line = campaign.composite_pass_line
        for offer_id, offer_applications in by_offer.items():
            ranks = {a.pk: a.rank for a in offer_applications}
            order = _rerank(offer_applications, changed, audit)
            for application in offer_applications:
                if application.pk not in newly:
                    continue
                after = {
                    "state": application.state,
                    "interview_score": application.interview_score,
                    "composite_score": application.composite_score,
                    "rank": application.rank,
                }
                audit.append(
                    _Change(
                        application,
                        before={
                            "state": ApplicationState.SHORTLISTED,
                            "rank": ranks[application.pk],
                        },
                        after=after,
                        transition="rank_with",
                    )
                )
                if application.composite_score < line:
                    note = _("Composite score %(score)s is below the pass line %(line)s.") % {
                        "score": application.composite_score,
                        "line": line,
                    }
                    application.reject(note=note)
                    audit.append(
                        _Change(
                            application,
                            before={"state": ApplicationState.RANKED},
                            after={"state": application.state, "outcome_note": note},
                            transition="reject",
                            reason=note,
                        )
                    )
                    result.rejected += 1
            states = {a.pk: a.state for a in offer_applications}
            standing = [e for e in order if states[e.candidate.id] in RANKED_STATES]
            result.proposals[offer_id] = ranking.proposals(
                standing, seats=offers[offer_id].seats, pass_line=line
            )
        _write(
            list(changed.values()),
            ["state", "interview_score", "composite_score", "rank", "outcome_note"],
        )
        _audit_many(audit, campaign=campaign, by=by)
        return result


def tie_break_record(
    *, offer: CampaignPost, ordered_application_ids: list[int], reason: str, by
) -> list[ranking.Ranked]:
    """Record the committee's decision on a tie: ``ordered_application_ids`` are the whole
    group of one village's candidates equal on composite, written and interview score, best
    first. The decision is stored (``tie_break_position``, ``tie_break_note``) and the
    village's ranks are computed again. Returns the new ranking."""
    with transaction.atomic():
        campaign = _locked(offer.campaign)
        check_runner(campaign, by)
        _check_state(campaign, TIE_BREAK_STATES, _("Recording a tie decision"))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                _("Write down how the tie was decided (the reason is printed on the record).")
            )
        ids = list(ordered_application_ids)
        if len(ids) < 2 or len(set(ids)) != len(ids):
            raise ValidationError(
                _("Name every candidate of the tie once, in the decided order (at least two).")
            )
        applications = list(
            offer.applications.filter(composite_score__isnull=False)
            .order_by("pk")
            .select_for_update()
        )
        index = {a.pk: a for a in applications}
        missing = [i for i in ids if i not in index]
        if missing:
            raise ValidationError(
                _("Candidates %(ids)s are not in the ranking of %(village)s.")
                % {"ids": ", ".join(map(str, missing)), "village": offer.village.name}
            )
        keys = {
            (index[i].composite_score, index[i].written_score, index[i].interview_score)
            for i in ids
        }
        if len(keys) != 1:
            raise ValidationError(
                _(
                    "These candidates are not tied: a decision is recorded only for candidates "
                    "equal on composite, written and interview score."
                )
            )
        key = keys.pop()
        group = {
            a.pk
            for a in applications
            if (a.composite_score, a.written_score, a.interview_score) == key
        }
        if group != set(ids):
            others = ", ".join(_who(index[i]) for i in sorted(group - set(ids)))
            raise ValidationError(
                _("The decision must order the whole tie; also tied: %(others)s.")
                % {"others": others}
            )
        changed: dict[int, Application] = {}
        audit: list[_Change] = []
        for position, application_id in enumerate(ids, start=1):
            application = index[application_id]
            audit.append(
                _Change(
                    application,
                    before={
                        "tie_break_position": application.tie_break_position,
                        "tie_break_note": application.tie_break_note,
                        "rank": application.rank,
                    },
                    after={},
                    action=AuditEntry.Action.UPDATE,
                    reason=reason,
                )
            )
            application.tie_break_position = position
            application.tie_break_note = reason
            changed[application.pk] = application
        order = _rerank(applications, changed, audit, reason=reason)
        for change in audit:
            if not change.after:
                a = change.application
                change.after = {
                    "tie_break_position": a.tie_break_position,
                    "tie_break_note": a.tie_break_note,
                    "rank": a.rank,
                }
        _write(list(changed.values()), ["tie_break_position", "tie_break_note", "rank"])
        _audit_many(audit, campaign=campaign, by=by)
        return order
