"""Staff pages of the exam, for the township's recruitment committee
(``recruitment.run_campaign``): the admission list, written scores (typed per exam room or
imported), the interview marks and absences, and the ranking with its tie decisions.

Each page is thin: it checks sign-in, permission (403) and scope (another township's campaign
answers 404), validates a form and calls one service of ``recruitment.services``
(``review``, ``written_exam`` or ``interview``). These pages record data; the steps that
close a stage are the campaign flow's tasks (``workflows.flows.CampaignFlow``), which the
pages link to: drawing the interview shortlist finishes the written-scores task, computing
the ranking finishes the interview task.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.scoping import get_scoped_or_404
from core.exports import csv_response, xlsx_response
from core.pagination import paginate
from paperwork.models import Document
from recruitment import kinds, scores_import
from recruitment.constants import ApplicationState, CampaignState
from recruitment.forms_corrections import AbsenceMendForm
from recruitment.forms_exam import (
    InterviewMarksForm,
    ScoreEntryForm,
    ScoreImportForm,
    TieBreakForm,
)
from recruitment.models import Application, Campaign, CampaignPost
from recruitment.selectors_exam import campaign_standings, state_counts
from recruitment.services import interview, review, written_exam
from workflows.flows import CampaignFlow
from workflows.selectors import open_task_url

RUN_CAMPAIGN = "recruitment.run_campaign"
PAGE_SIZE = 100


def _campaign(request, pk: int) -> Campaign:
    return get_scoped_or_404(
        Campaign.objects.select_related("township__county", "policy"), request.user, pk=pk
    )


def _posted(request):
    """The submitted data, or None on GET: a form posted with no field filled in is still
    bound (and checked), which ``request.POST or None`` would not do."""
    return request.POST if request.method == "POST" else None


def _service_error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _context(campaign: Campaign, step: str, **extra) -> dict:
    return {
        "campaign": campaign,
        "step": step,
        "exam_open": campaign.state == CampaignState.REVIEWED,
        "counts": state_counts(campaign),
        **extra,
    }


# Admission list -------------------------------------------------------------------------------


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_home(request, pk: int):
    """The admission list: every candidate's number, room, seat and ticket, by room."""
    campaign = _campaign(request, pk)
    applications = (
        campaign.applications.exclude(admission_number="")
        .select_related("offer__village")
        .order_by("exam_room", "seat_number", "admission_number")
    )
    room = request.GET.get("room", "")
    if room:
        applications = applications.filter(exam_room=room)
    page = paginate(request, applications, per_page=PAGE_SIZE)
    tickets = dict(
        Document.objects.filter(
            kind=kinds.ADMISSION_TICKET,
            object_id__in=[a.pk for a in page.object_list],
            superseded_by__isnull=True,
            content_type=ContentType.objects.get_for_model(Application),
        ).values_list("object_id", "pk")
    )
    rows = [(a, tickets.get(a.pk)) for a in page.object_list]
    rooms = (
        campaign.applications.exclude(exam_room="")
        .values_list("exam_room", flat=True)
        .distinct()
        .order_by("exam_room")
    )
    waiting = campaign.applications.filter(
        state=ApplicationState.ELIGIBLE, admission_number=""
    ).count()
    return render(
        request,
        "recruitment/exam/home.html",
        _context(
            campaign,
            "admission",
            rows=rows,
            page=page,
            rooms=list(rooms),
            room=room,
            waiting=waiting,
            room_seats=review.ROOM_SEATS,
        ),
    )


@login_required
@require_POST
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_admit(request, pk: int):
    """Assign admission numbers to the eligible candidates who have none yet."""
    campaign = _campaign(request, pk)
    try:
        count = review.admission_assign(campaign=campaign, by=request.user)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s admission number assigned and its ticket issued.",
                "%(n)s admission numbers assigned and their tickets issued.",
                count,
            )
            % {"n": count},
        )
    return redirect("recruitment:exam_home", pk=campaign.pk)


# Written scores ------------------------------------------------------------------------------


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_scores(request, pk: int):
    """Written scores typed in from the score sheet of one exam room."""
    campaign = _campaign(request, pk)
    rooms = list(
        campaign.applications.exclude(exam_room="")
        .values_list("exam_room", flat=True)
        .distinct()
        .order_by("exam_room")
    )
    room = request.GET.get("room") or (rooms[0] if rooms else "")
    applications = list(
        campaign.applications.filter(exam_room=room)
        .exclude(admission_number="")
        .select_related("offer__village")
        .order_by("seat_number", "admission_number")
    )
    status = 200
    form = ScoreEntryForm(_posted(request), applications=applications)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = written_exam.written_scores_record(
                    campaign=campaign, rows=form.cleaned_data["entries"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _(
                        "Room %(room)s saved: %(scored)s scored, %(absent)s absent, "
                        "%(corrected)s corrected, %(unchanged)s unchanged."
                    )
                    % {"room": room, **result.__dict__},
                )
                url = reverse("recruitment:exam_scores", args=[campaign.pk])
                return redirect(f"{url}?room={room}")
        status = 400
    progress: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for exam_room, state in (
        campaign.applications.exclude(exam_room="").values_list("exam_room", "state").order_by()
    ):
        progress[exam_room][1] += 1
        if state != ApplicationState.ELIGIBLE:
            progress[exam_room][0] += 1
    return render(
        request,
        "recruitment/exam/scores.html",
        _context(
            campaign,
            "scores",
            form=form,
            room=room,
            rooms=[(r, *progress[r]) for r in rooms],
            task_url=open_task_url(campaign, CampaignFlow.enter_written_scores),
        ),
        status=status,
    )


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_import(request, pk: int):
    """Written scores imported from an .xlsx or .csv file, all or nothing."""
    campaign = _campaign(request, pk)
    report = None
    status = 200
    form = ScoreImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                report = written_exam.written_scores_import(
                    campaign=campaign, file=form.cleaned_data["file"], by=request.user
                )
            except written_exam.ImportFileError as exc:
                form.add_error("file", exc.message)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
        if not form.is_valid() or (report is not None and not report.ok):
            status = 400
    return render(
        request,
        "recruitment/exam/import.html",
        _context(
            campaign,
            "scores",
            form=form,
            report=report,
            headers=scores_import.HEADERS,
            absent_words=scores_import.ABSENT_WORDS,
        ),
        status=status,
    )


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_import_template(request, pk: int):
    """The score sheet: every candidate's admission number and name, with the score recorded
    so far (or 缺考), ready to fill in; CSV (UTF-8 with a BOM so that Excel opens it), or
    .xlsx with ``?format=xlsx``. Every cell is escaped (``core.exports``): a name is the
    applicant's own text."""
    campaign = _campaign(request, pk)
    rows: list[list] = [scores_import.TEMPLATE_HEADER]
    for number, name, state, written in (
        campaign.applications.exclude(admission_number="")
        .exclude(state=ApplicationState.WITHDRAWN)  # withdrawn before the exam: no score
        .order_by("admission_number")
        .values_list("admission_number", "name", "state", "written_score")
    ):
        if written is not None:
            value = str(written)
        elif state == ApplicationState.ABSENT:
            value = scores_import.ABSENT_WORDS[0]
        else:
            value = ""
        rows.append([number, name, value])
    filename = f"written-scores-{campaign.pk}"
    if request.GET.get("format") == "xlsx":
        return xlsx_response(rows, filename=f"{filename}.xlsx", sheet_title="笔试成绩")
    return csv_response(rows, filename=f"{filename}.csv")


# Shortlist and interview ----------------------------------------------------------------------


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_interviews(request, pk: int):
    """The shortlisted candidates of every village, with how many marks each has."""
    campaign = _campaign(request, pk)
    standings = campaign_standings(campaign)
    villages = []
    for standing in standings:
        rows = [
            row
            for row in standing.rows
            if row.application.state == ApplicationState.SHORTLISTED
            or row.result == "absent_interview"
            or row.application.interview_score is not None
        ]
        if rows:
            villages.append((standing.offer, rows))
    return render(
        request,
        "recruitment/exam/interviews.html",
        _context(
            campaign,
            "interview",
            villages=villages,
            panel_size=campaign.interview_panel_size,
        ),
    )


def _application(request, pk: int) -> Application:
    return get_scoped_or_404(
        Application.objects.select_related("campaign__township__county", "offer__village"),
        request.user,
        pk=pk,
    )


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_interview_marks(request, pk: int):
    """The panel's marks for one shortlisted candidate."""
    application = _application(request, pk)
    campaign = application.campaign
    marks = list(application.interview_marks.order_by("panel_seat"))
    form = InterviewMarksForm(
        _posted(request), panel_size=campaign.interview_panel_size, marks=marks
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                average = interview.interview_marks_record(
                    application=application, marks=form.cleaned_data["marks"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Marks of %(name)s saved: interview score %(score)s.")
                    % {"name": application.name, "score": average},
                )
                return redirect("recruitment:exam_interviews", pk=campaign.pk)
        status = 400
    return render(
        request,
        "recruitment/exam/interview_marks.html",
        _context(campaign, "interview", application=application, form=form, marks=marks),
        status=status,
    )


@login_required
@require_POST
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_interview_absent(request, pk: int):
    application = _application(request, pk)
    try:
        interview.interview_absent(application=application, by=request.user)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s is recorded as absent from the interview.") % {"name": application.name},
        )
    return redirect("recruitment:exam_interviews", pk=application.campaign_id)


# Ranking -----------------------------------------------------------------------------------------


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_ranking(request, pk: int):
    """Each village's ranking (a preview until computed), with ties flagged."""
    campaign = _campaign(request, pk)
    standings = campaign_standings(campaign)
    return render(
        request,
        "recruitment/exam/ranking.html",
        _context(
            campaign,
            "ranking",
            standings=standings,
            tie_states=interview.TIE_BREAK_STATES,
            can_tie_break=campaign.state in interview.TIE_BREAK_STATES,
            needs_decision=[s for s in standings if s.needs_decision],
            task_url=open_task_url(campaign, CampaignFlow.enter_interview_marks),
        ),
    )


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_tie_break(request, pk: int):
    """Record the committee's decision on a tie of one village (``?group=`` picks the tie
    when there are several; the first needing a decision is shown by default)."""
    offer = get_scoped_or_404(
        CampaignPost.objects.select_related("campaign__township__county", "village"),
        request.user,
        pk=pk,
    )
    campaign = offer.campaign
    standing = campaign_standings(campaign, offer=offer)[0]
    ties = [t for t in standing.ties if not any(r.preview for r in t.rows)]
    try:
        index = int(request.POST.get("group") or request.GET.get("group") or 0)
    except ValueError:
        index = 0
    group = ties[index] if 0 <= index < len(ties) else None
    applications = [row.application for row in group.rows] if group else []
    form = TieBreakForm(_posted(request), applications=applications)
    status = 200
    if request.method == "POST" and group is not None:
        if form.is_valid():
            try:
                interview.tie_break_record(
                    offer=offer,
                    ordered_application_ids=form.cleaned_data["ordered_ids"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("The decision on the tie in %(village)s is recorded.")
                    % {"village": offer.village.name},
                )
                return redirect("recruitment:exam_ranking", pk=campaign.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "recruitment/exam/tie_break.html",
        _context(
            campaign,
            "ranking",
            offer=offer,
            standing=standing,
            ties=ties,
            group=group,
            group_index=index,
            form=form if group else None,
            can_tie_break=campaign.state in interview.TIE_BREAK_STATES,
        ),
        status=status,
    )


# Mending a mistaken absence -------------------------------------------------------------------


@login_required
@permission_required(RUN_CAMPAIGN, raise_exception=True)
def exam_absence_mend(request, pk: int):
    """Give an applicant marked absent from the written exam by mistake their score
    (``written_exam.written_score_mend``), until the ranking is confirmed."""
    application = _application(request, pk)
    campaign = application.campaign
    form = AbsenceMendForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application = written_exam.written_score_mend(
                    application=application,
                    score=form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(
                    request,
                    _("The written score %(score)s of %(name)s is recorded: %(state)s.")
                    % {
                        "score": application.written_score,
                        "name": application.name,
                        "state": application.get_state_display(),
                    },
                )
                url = reverse("recruitment:exam_scores", args=[campaign.pk])
                return redirect(f"{url}?room={application.exam_room}")
        status = 400
    return render(
        request,
        "recruitment/exam/absence_mend.html",
        _context(
            campaign,
            "scores",
            application=application,
            form=form,
            mend_open=campaign.state in written_exam.MEND_STATES,
            absent=application.state == ApplicationState.ABSENT
            and application.written_score is None,
        ),
        status=status,
    )
