"""The interview and the ranking: panel marks or absences of the shortlisted, the composite
scores and ranks of each village, the committee's decision on a tie, and the end of the exams.

- ``interview_marks_record`` / ``interview_absent``: one shortlisted applicant's marks (the
  whole panel, replaced until the ranking is computed) or absence.
- ``ranking_compute``: composites and ranks of every village from the marks; shows the exam
  pages where a tie at the cut-off needs a decision. Computing again changes only what moved.
- ``tie_break_record``: the committee's order of candidates tied on every score.
- ``campaign_finish_exams``: the step that ends the interview task of the flow: the ranking
  is computed and the exams are over (the campaign becomes "examined").
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEntry
from audit.services import AuditBatch, audit_record, audited_transition
from core.text import join_list
from recruitment import ranking
from recruitment.constants import ApplicationState, CampaignState
from recruitment.models import Application, Campaign, CampaignPost, InterviewMark
from recruitment.services.common import (
    WORK_FIELDS,
    campaign_lock,
    candidate,
    require_campaign_state,
    require_none_in,
    require_runner,
    who,
)

EXAM_STATES = (CampaignState.REVIEWED,)
# Interview marks and absences: during the exams, and after them for an applicant called to
# the interview when a mistaken written absence was mended (written_exam.written_score_mend).
INTERVIEW_STATES = (CampaignState.REVIEWED, CampaignState.EXAMINED)
TIE_BREAK_STATES = (CampaignState.REVIEWED, CampaignState.EXAMINED)

# States an application may be in when the exams are finished.
RESOLVED_AFTER_EXAMS = {
    ApplicationState.INELIGIBLE,
    ApplicationState.ABSENT,
    ApplicationState.RANKED,
    ApplicationState.NOT_HIRED,
    ApplicationState.WITHDRAWN,
}
RANKED_STATES = (
    ApplicationState.RANKED,
    ApplicationState.PROPOSED,
    ApplicationState.HIRED,
    ApplicationState.RESERVE,
)


# Interview marks -------------------------------------------------------------------------------


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
            % {"who": who(application), "state": application.get_state_display()}
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
        campaign = campaign_lock(application.campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, INTERVIEW_STATES, _("Recording interview marks"))
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
        campaign = campaign_lock(application.campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, INTERVIEW_STATES, _("Marking an interview absence"))
        application = _locked_application(application, campaign)
        _check_shortlisted(application)
        if application.interview_marks.exists():
            raise ValidationError(
                _(
                    "%(who)s already has interview marks; an applicant with marks was not "
                    "absent. Nothing was changed."
                )
                % {"who": who(application)}
            )
        with audited_transition(
            application, "mark_absent", by=by, reason=_("absent from the interview")
        ):
            application.mark_absent()
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
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, EXAM_STATES, _("Computing the ranking"))
        return _compute_ranking(campaign, by)


def ranking_refresh(campaign: Campaign, by) -> RankingResult | None:
    """Inside a caller's transaction with the campaign locked: rank anyone still waiting in
    the shortlist after the exams were finished (an applicant called to the interview when a
    mistaken written absence was mended), or refuse while their marks are missing. Nothing
    is done when nobody waits."""
    if not campaign.applications.filter(state=ApplicationState.SHORTLISTED).exists():
        return None
    return _compute_ranking(campaign, by)


def _compute_ranking(campaign: Campaign, by) -> RankingResult:
    require_none_in(
        campaign,
        ApplicationState.ELIGIBLE,
        _(
            "%(count)s eligible applicant(s) have neither a written score nor an absence "
            "(%(listed)s …). Record them first."
        ),
    )
    require_none_in(
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
        raise ValidationError(
            _(
                "%(count)s shortlisted applicant(s) have no complete interview marks "
                "(%(listed)s …). Record their marks or mark them absent first."
            )
            % {"count": len(incomplete), "listed": join_list(who(a) for a in incomplete[:5])}
        )

    # Interview and composite scores of the newly ranked, before anyone's rank is known.
    scores: dict[int, tuple[Decimal, Decimal]] = {}
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
        scores[application.pk] = (interview, composite)

    by_offer: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        by_offer[application.offer_id].append(application)
    offers = {o.pk: o for o in campaign.offers.all()}
    line = campaign.composite_pass_line
    batch = AuditBatch(by=by, place=campaign.township.audit_place)
    result = RankingResult()
    for offer_id, offer_applications in by_offer.items():
        index = {a.pk: a for a in offer_applications}
        order = ranking.rank_candidates(
            _candidate_with(a, *scores[a.pk]) if a.pk in scores else candidate(a)
            for a in offer_applications
        )
        for entry in order:
            application = index[entry.candidate.id]
            if application.pk not in scores:
                if application.rank != entry.rank:
                    batch.update(application, rank=entry.rank)
                continue
            interview, composite = scores[application.pk]
            with batch.transition(application, "rank_with"):
                application.rank_with(interview=interview, composite=composite)
                application.rank = entry.rank
            result.ranked += 1
            if composite < line:
                note = _("Composite score %(score)s is below the pass line %(line)s.") % {
                    "score": composite,
                    "line": line,
                }
                with batch.transition(application, "reject", reason=note):
                    application.reject(note=note)
                result.rejected += 1
        standing = [e for e in order if index[e.candidate.id].state in RANKED_STATES]
        result.proposals[offer_id] = ranking.proposals(
            standing, seats=offers[offer_id].seats, pass_line=line
        )
    batch.save()
    return result


def _candidate_with(
    application: Application, interview: Decimal, composite: Decimal
) -> ranking.Candidate:
    return ranking.Candidate(
        id=application.pk,
        written=application.written_score,
        interview=interview,
        composite=composite,
        tie_break=application.tie_break_position,
    )


def tie_break_record(
    *, offer: CampaignPost, ordered_application_ids: list[int], reason: str, by
) -> list[ranking.Ranked]:
    """Record the committee's decision on a tie: ``ordered_application_ids`` are the whole
    group of one village's candidates equal on composite, written and interview score, best
    first. The decision is stored (``tie_break_position``, ``tie_break_note``) and the
    village's ranks are computed again. Returns the new ranking."""
    with transaction.atomic():
        campaign = campaign_lock(offer.campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, TIE_BREAK_STATES, _("Recording a tie decision"))
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
                % {"ids": join_list(missing), "village": offer.village.name}
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
            others = join_list(who(index[i]) for i in sorted(group - set(ids)))
            raise ValidationError(
                _("The decision must order the whole tie; also tied: %(others)s.")
                % {"others": others}
            )
        positions = {application_id: n for n, application_id in enumerate(ids, start=1)}
        order = ranking.rank_candidates(
            ranking.Candidate(
                id=a.pk,
                written=a.written_score,
                interview=a.interview_score,
                composite=a.composite_score,
                tie_break=positions.get(a.pk, a.tie_break_position),
            )
            for a in applications
        )
        batch = AuditBatch(by=by, place=campaign.township.audit_place)
        for entry in order:
            application = index[entry.candidate.id]
            changes: dict = {"rank": entry.rank}
            if application.pk in positions:
                changes.update(tie_break_position=positions[application.pk], tie_break_note=reason)
            batch.update(application, reason=reason, **changes)
        batch.save()
        return order


# The end of the exams ----------------------------------------------------------------------------


def campaign_finish_exams(*, campaign: Campaign, by) -> Campaign:
    """The ranking is computed (``ranking_compute``) and, every application being resolved
    (absent, ranked or rejected), the exams are over."""
    with transaction.atomic():
        campaign = campaign_lock(campaign)
        require_runner(by, campaign.township)
        require_campaign_state(campaign, [CampaignState.REVIEWED], _("Finishing the exams"))
        _compute_ranking(campaign, by)
        unresolved = campaign.applications.exclude(state__in=RESOLVED_AFTER_EXAMS)
        count = unresolved.count()
        if count:
            names = join_list(
                f"{number} {name}".strip()
                for number, name in unresolved.order_by("admission_number", "pk").values_list(
                    "admission_number", "name"
                )[:5]
            )
            raise ValidationError(
                ngettext(
                    "%(count)s applicant still waits for a written score, the shortlist, "
                    "interview marks or the ranking (%(listed)s).",
                    "%(count)s applicants still wait for a written score, the shortlist, "
                    "interview marks or the ranking (%(listed)s …).",
                    count,
                )
                % {"count": count, "listed": names}
            )
        with audited_transition(campaign, "finish_exams", by=by):
            campaign.finish_exams()
        return campaign
