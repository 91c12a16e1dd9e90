"""The written exam: scores typed or imported, absences, and the interview shortlist.

- ``written_scores_record`` / ``written_scores_import``: scores (or absences) of the eligible
  applicants, every row checked before anything is written; a different score for an
  applicant already scored is a correction until the shortlist is drawn.
- ``shortlist_draw``: the step that ends the written-exam task of the flow: each village's
  interview shortlist from the written ranks; the others are rejected with the reason.
- ``written_score_mend``: an applicant marked absent by mistake gets their score, with a
  reason, until the ranking is confirmed.

Rejections made here (below a pass line, not shortlisted) do not issue the not-hired letter
at once: every candidate not hired gets one letter when the campaign concludes
(``recruitment.services.hiring.campaign_confirm_hires``), so nobody receives two.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import AuditBatch, audit_record, audited_transition
from core.tabular import FileImportReport, ImportFileError, RowError
from recruitment import ranking, scores_import
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign
from recruitment.services.common import (
    WORK_FIELDS,
    campaign_lock,
    candidate,
    require_campaign_state,
    require_none_in,
    require_runner,
    who,
)

__all__ = [
    "ABSENT",
    "ImportFileError",
    "ImportReport",
    "ScoreResult",
    "score_change",
    "shortlist_draw",
    "written_score_mend",
    "written_scores_import",
    "written_scores_record",
]

EXAM_STATES = (CampaignState.REVIEWED,)


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
                % {"who": who(application), "score": application.written_score}
            )
        same = value == application.written_score
        return _ScoreChange(application, value, "same" if same else "correct")
    if state == ApplicationState.ABSENT and application.written_score is None:
        if value is None:
            return _ScoreChange(application, value, "same")
        raise ValueError(
            _(
                "%(who)s was marked absent from the written exam; if that was a mistake, "
                "record the score with “Absent by mistake?” on the score sheet, with the reason."
            )
            % {"who": who(application)}
        )
    if state in (ApplicationState.SUBMITTED, ApplicationState.INELIGIBLE):
        raise ValueError(
            _("%(who)s is not eligible for the exam (%(state)s).")
            % {"who": who(application), "state": application.get_state_display()}
        )
    raise ValueError(
        _("The written score of %(who)s can no longer change: the application is “%(state)s”.")
        % {"who": who(application), "state": application.get_state_display()}
    )


def _apply_scores(campaign: Campaign, plan: list[_ScoreChange], by, reason: str) -> ScoreResult:
    result = ScoreResult()
    batch = AuditBatch(by=by, place=campaign.township.audit_place)
    for item in plan:
        application = item.application
        if item.kind == "same":
            result.unchanged += 1
        elif item.kind == "score":
            with batch.transition(application, "record_written", reason=reason):
                application.record_written(score=item.value)
            result.scored += 1
        elif item.kind == "absent":
            with batch.transition(application, "mark_absent", reason=reason):
                application.mark_absent()
            result.absent += 1
        else:
            batch.update(application, reason=reason, written_score=item.value)
            result.corrected += 1
    batch.save()
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
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, EXAM_STATES, _("Recording written scores"))
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
                problems.append(_("%(who)s appears twice.") % {"who": who(application)})
                continue
            seen.add(application_id)
            try:
                value = None if raw is ABSENT else ranking.parse_score(raw)
                plan.append(score_change(application, value))
            except ranking.ScoreError as exc:
                problems.append(
                    _("%(who)s: %(reason)s") % {"who": who(application), "reason": exc.message}
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

    The file is read and its cells checked before the campaign is locked (``core.tabular``
    bounds what that costs), so a slow or hostile file never holds the campaign.
    """
    require_runner(by, campaign.township)
    name, content = _file_content(file)
    report = ImportReport(file_name=name, sha256=hashlib.sha256(content).hexdigest())
    table = scores_import.read_score_table(name, content)
    report.rows = len(table.data)
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, EXAM_STATES, _("Importing written scores"))
        applications = {
            a.admission_number: a
            for a in campaign.applications.exclude(admission_number="")
            .only(*WORK_FIELDS)
            .order_by("pk")
            .select_for_update()
        }
        parsed, errors = scores_import.validate_rows(table, applications)
        errors = [*table.errors, *errors]
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
            reason=_("written scores imported from %(name)s") % {"name": name},
        )
        return report


# Interview shortlist ---------------------------------------------------------------------------


def shortlist_draw(*, campaign: Campaign, by) -> int:
    """Draw the interview shortlist of every village from the written scores.

    Per village, among the applicants at or above the written pass line, ``seats ×
    shortlist_ratio`` by written rank are shortlisted (all of them when fewer; everyone tied
    with the last one taken as well). The others are rejected with a note saying why (below
    the pass line, or not among the shortlisted). Every eligible applicant needs a written
    score or an absence first. Returns how many were shortlisted.
    """
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, EXAM_STATES, _("Drawing the interview shortlist"))
        require_none_in(
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

        batch = AuditBatch(by=by, place=campaign.township.audit_place)
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
                with batch.transition(application, "shortlist"):
                    application.shortlist(written_rank=rank)
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
                _reject_written(batch, index[c.id], rank, note)
            for c, rank in result.below_pass_line:
                note = _("Written score %(score)s is below the pass line %(line)s.") % {
                    "score": c.written,
                    "line": campaign.written_pass_line,
                }
                _reject_written(batch, index[c.id], rank, note)
        batch.save()
        return shortlisted


def _reject_written(batch: AuditBatch, application: Application, rank: int, note: str) -> None:
    with batch.transition(application, "reject", reason=note):
        application.written_rank = rank
        application.reject(note=note)


# Mending a mistaken absence ----------------------------------------------------------------------

MEND_STATES = (CampaignState.REVIEWED, CampaignState.EXAMINED)


def written_score_mend(*, application: Application, score, reason: str, by) -> Application:
    """Give an applicant who was marked absent from the written exam by mistake their score
    (``score``: text or a number, 0–100 with at most two decimals), with the reason, audited;
    possible until the ranking is confirmed (the campaign is "reviewed" or "examined").

    Before the shortlist is drawn the applicant is simply scored and takes part in the
    shortlist like everyone else. After it was drawn, the applicant is placed by the same
    rule (``recruitment.ranking.shortlist``) among everyone of their village who has a
    written score, as if the score had been recorded on time:

    - within ``seats × ratio`` by written rank (ties with the last one included) and at or
      above the pass line: called to the interview; the committee records their marks or
      absence (also after the exams were finished: confirming the ranking then ranks them
      first, ``interview.ranking_refresh``);
    - otherwise: not shortlisted, with the reason, like the others of the village.

    Nobody already called to the interview loses their place, as on a tie at the cut-off the
    list grows by the one applicant: the mistake was the committee's, and the candidates
    called may already have prepared or been interviewed. The written ranks of the village
    are recomputed (audited) so that the score list shows everyone's true rank.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        campaign = campaign_lock(application.campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, MEND_STATES, _("Recording a mistaken absence's score"))
        application = (
            Application.objects.select_for_update()
            .select_related("offer__village")
            .get(pk=application.pk, campaign=campaign)
        )
        errors: dict[str, str] = {}
        if application.state != ApplicationState.ABSENT or application.written_score is not None:
            raise ValidationError(
                _("%(who)s was not marked absent from the written exam (“%(state)s”).")
                % {"who": who(application), "state": application.get_state_display()}
            )
        try:
            value = ranking.parse_score(score)
        except ranking.ScoreError as exc:
            errors["score"] = exc.message
        if not reason:
            errors["reason"] = _("Say why the absence was a mistake (it is kept in the record).")
        if errors:
            raise ValidationError(errors)
        with audited_transition(application, "mend_absence", by=by, reason=reason):
            application.mend_absence(score=value)
        if campaign.applications.filter(written_rank__isnull=False).exists():
            _place_after_shortlist(campaign, application, by, reason)
        return application


def _place_after_shortlist(campaign: Campaign, mended: Application, by, reason: str) -> None:
    """The shortlist was drawn: call ``mended`` to the interview or not, by the rule that
    drew it, and recompute the village's written ranks (see ``written_score_mend``)."""
    offer = mended.offer
    village = list(
        campaign.applications.filter(offer=offer, written_score__isnull=False)
        .order_by("pk")
        .select_for_update()
    )
    index = {a.pk: a for a in village}
    index[mended.pk] = mended
    result = ranking.shortlist(
        (candidate(a) for a in index.values()),
        seats=offer.seats,
        ratio=campaign.shortlist_ratio,
        pass_line=campaign.written_pass_line,
    )
    ranks = {
        c.id: rank
        for c, rank in [*result.shortlisted, *result.not_shortlisted, *result.below_pass_line]
    }
    batch = AuditBatch(by=by, place=campaign.township.audit_place)
    note = _("Written ranks recomputed after the score of %(who)s was recorded.") % {
        "who": who(mended)
    }
    for application in index.values():
        if application.pk != mended.pk and application.written_rank != ranks[application.pk]:
            batch.update(application, reason=note, written_rank=ranks[application.pk])
    rank = ranks[mended.pk]
    if any(c.id == mended.pk for c, _rank in result.shortlisted):
        with batch.transition(mended, "shortlist", reason=reason):
            mended.shortlist(written_rank=rank)
    elif any(c.id == mended.pk for c, _rank in result.below_pass_line):
        _reject_written(
            batch,
            mended,
            rank,
            _("Written score %(score)s is below the pass line %(line)s.")
            % {"score": mended.written_score, "line": campaign.written_pass_line},
        )
    else:
        _reject_written(
            batch,
            mended,
            rank,
            _(
                "Not called to the interview: written rank %(rank)s in %(village)s, where "
                "%(quota)s candidates are called for %(seats)s post(s)."
            )
            % {
                "rank": rank,
                "village": offer.village.name,
                "quota": result.quota,
                "seats": offer.seats,
            },
        )
    batch.save()
