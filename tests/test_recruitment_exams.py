"""The exam of a campaign: admission numbers and tickets, written scores by form and import,
absentees, the shortlist, interview marks, the ranking with ties, the score and ranking list,
refusals, and the staff pages."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, include, path
from django.utils import translation
from openpyxl import Workbook
from pypdf import PdfReader

import config.urls
from audit import services as audit_services
from audit.models import AuditEntry
from paperwork.models import Document, DocumentKind
from recruitment.constants import ApplicationState, CampaignState, EligibilityRule
from recruitment.documents.exam import issue_score_ranking_list
from recruitment.models import Application, InterviewMark
from recruitment.services import interview, review, written_exam
from tests.builders import ABSENT, SPRING_2026, CampaignBuilder

pytestmark = pytest.mark.django_db

D = Decimal

# The staff site mounts recruitment.urls at /recruitment/; until it does, these tests mount it.
if "recruitment" in get_resolver("config.urls").namespace_dict:
    URLCONF = "config.urls"
else:
    URLCONF = __name__
    urlpatterns = [path("recruitment/", include("recruitment.urls")), *config.urls.urlpatterns]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.ROOT_URLCONF = URLCONF
    with translation.override("en"):
        yield


# World -------------------------------------------------------------------------------------


@pytest.fixture
def exam(open_campaign):
    """``exam(**options)``: an announced campaign of the township on the spring 2026
    timetable, offering one post in 新寨村 unless ``villages`` says otherwise."""

    def open_(**options) -> CampaignBuilder:
        return open_campaign(timetable=SPRING_2026, **options)

    return open_


@pytest.fixture
def run(exam) -> CampaignBuilder:
    return exam()


@pytest.fixture
def campaign(run):
    return run.campaign


@pytest.fixture
def no_tickets(monkeypatch):
    """Skip rendering tickets where a test is about numbers, not paper."""
    monkeypatch.setattr(review, "issue_for", lambda *args, **kwargs: [])


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def snapshot():
    return (
        list(Application.objects.order_by("pk").values_list("state", "written_score", "rank")),
        AuditEntry.objects.count(),
        InterviewMark.objects.count(),
    )


def refresh(*applications):
    for a in applications:
        a.refresh_from_db()


# Admission numbers and tickets --------------------------------------------------------------


def test_admission_numbers_rooms_and_seats_in_pinyin_order(run, campaign, committee, no_tickets):
    names = ["周七", "安一", "陈二", "白三"]  # zhou, an, chen, bai
    apps = [run.apply(n) for n in names]
    run.apply("李不合格", failed={EligibilityRule.HOUSEHOLD: "户籍不在本乡镇"})
    run.to(CampaignState.REVIEWED)  # finishing the review assigns the numbers
    by_name = {a.name: a for a in apps}
    prefix = f"2026{campaign.township_id % 1000:03d}"
    ordered = ["安一", "白三", "陈二", "周七"]
    assert [by_name[n].admission_number for n in ordered] == [
        f"{prefix}{i:04d}" for i in range(1, 5)
    ]
    assert [by_name[n].seat_number for n in ordered] == [1, 2, 3, 4]
    assert {a.exam_room for a in apps} == {"01"}
    assert not Application.objects.get(name="李不合格").admission_number
    assert AuditEntry.objects.filter(transition="admit").count() == 4
    # Running again assigns nobody twice
    assert review.admission_assign(campaign=campaign, by=committee) == 0


def test_rooms_hold_thirty_seats_and_numbers_continue_in_the_township_year(run, exam, no_tickets):
    apps = run.admitted([f"考生{i:02d}" for i in range(31)])
    rooms = sorted((a.exam_room, a.seat_number) for a in apps)
    assert rooms[29] == ("01", 30) and rooms[30] == ("02", 1)
    assert len({a.admission_number for a in apps}) == 31

    second = exam(villages=("和平村",))
    (late,) = second.admitted(["后来者"])
    assert late.admission_number.endswith("0032")
    assert late.exam_room == "01" and late.seat_number == 1


def test_admission_ticket_pdf_shows_masked_id_and_never_the_full_number(exam):
    run = exam(villages=("城内村",), paper=True)
    campaign = run.campaign
    (application,) = run.admitted(["王晓燕"])
    ticket = Document.objects.get(kind=DocumentKind.ADMISSION_TICKET)
    assert ticket.object_id == application.pk
    assert ticket.township_id == campaign.township_id and ticket.person_id is None
    text = pdf_text(ticket)
    assert "准考证" in text
    assert "王晓燕" in text
    assert application.admission_number in text
    assert application.masked_id_number.replace(" ", "") in text
    assert application.id_number not in text
    assert "第01考场" in text and "城内村" in text and "考生须知" in text


def test_a_failing_ticket_leaves_no_admission_number(run, campaign, committee, monkeypatch):
    apps = [run.apply(n) for n in ("甲", "乙")]
    run.close_registration()
    for application in apps:
        run.review(application)
    calls = []

    def fail_second(subject, transition, *, by):
        calls.append(subject.pk)
        if len(calls) == 2:
            raise RuntimeError("printer on fire")
        return []

    monkeypatch.setattr(review, "issue_for", fail_second)
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        review.campaign_finish_review(campaign=campaign, by=committee)
    refresh(*apps)
    assert all(a.admission_number == "" for a in apps)
    assert AuditEntry.objects.count() == before
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.REGISTRATION_CLOSED


# Written scores by form -----------------------------------------------------------------------


def test_scores_and_absentees_are_recorded_with_audit(run, campaign, committee):
    a, b, c = run.admitted(["甲", "乙", "丙"])
    result = written_exam.written_scores_record(
        campaign=campaign, rows=[(a.pk, "85.5"), (b.pk, None), (c.pk, D("60"))], by=committee
    )
    assert (result.scored, result.absent) == (2, 1)
    refresh(a, b, c)
    assert (a.state, a.written_score) == (ApplicationState.SCORED, D("85.50"))
    assert (b.state, b.written_score) == (ApplicationState.ABSENT, None)
    assert c.written_score == D("60.00")
    entries = AuditEntry.objects.filter(object_id=a.pk, transition="record_written")
    assert entries.count() == 1
    assert entries.get().after["state"] == "scored"
    assert AuditEntry.objects.get(object_id=b.pk, transition="mark_absent").actor == committee

    # Same values again: unchanged; a different score corrects until the shortlist
    again = written_exam.written_scores_record(
        campaign=campaign, rows=[(a.pk, "85.50"), (b.pk, None), (c.pk, "61")], by=committee
    )
    assert (again.unchanged, again.corrected) == (2, 1)
    c.refresh_from_db()
    assert c.written_score == D("61.00")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("101", "outside the range"),
        ("-1", "outside the range"),
        ("80.123", "more than two decimals"),
        ("abc", "not a number"),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_written(run, campaign, committee, raw, reason):
    a, b = run.admitted(["甲", "乙"])
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        written_exam.written_scores_record(
            campaign=campaign, rows=[(a.pk, "90"), (b.pk, raw)], by=committee
        )
    message = " ".join(error.value.messages)
    assert reason in message and b.admission_number in message and "乙" in message
    assert snapshot() == before


def test_an_absentee_cannot_get_a_score_nor_a_scored_one_be_absent(run, campaign, committee):
    a, b = run.admitted(["甲", "乙"])
    written_exam.written_scores_record(
        campaign=campaign, rows=[(a.pk, None), (b.pk, "70")], by=committee
    )
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        written_exam.written_scores_record(
            campaign=campaign, rows=[(a.pk, "70"), (b.pk, None)], by=committee
        )
    message = " ".join(error.value.messages)
    assert "marked absent" in message and "cannot be marked absent" in message
    assert snapshot() == before


def test_a_failing_audit_leaves_no_score(run, campaign, committee, monkeypatch):
    (a,) = run.admitted(["甲"])

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit_services, "audit_record_many", boom)
    with pytest.raises(RuntimeError):
        written_exam.written_scores_record(campaign=campaign, rows=[(a.pk, "70")], by=committee)
    a.refresh_from_db()
    assert (a.state, a.written_score) == (ApplicationState.ELIGIBLE, None)


@pytest.mark.parametrize(
    "state", [CampaignState.REGISTRATION_CLOSED, CampaignState.EXAMINED, CampaignState.CANCELLED]
)
def test_wrong_campaign_state_is_refused_with_no_change(run, campaign, committee, state):
    a = run.apply("甲", written=ABSENT)
    if state == CampaignState.CANCELLED:
        run.to(CampaignState.REVIEWED).cancel()
    else:
        run.to(state)  # registration closed: 甲 waits for review; examined: 甲 was absent
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        written_exam.written_scores_record(campaign=campaign, rows=[(a.pk, "70")], by=committee)
    assert "Eligibility reviewed" in error.value.messages[0]
    with pytest.raises(ValidationError):
        written_exam.shortlist_draw(campaign=campaign, by=committee)
    with pytest.raises(ValidationError):
        review.admission_assign(campaign=campaign, by=committee)
    assert snapshot() == before


def test_wrong_role_or_township_is_refused(run, campaign, office, foreign_committee):
    (a,) = run.admitted(["甲"])
    before = snapshot()
    for user in (office, foreign_committee):
        with pytest.raises(PermissionDenied):
            written_exam.written_scores_record(campaign=campaign, rows=[(a.pk, "70")], by=user)
        with pytest.raises(PermissionDenied):
            interview.ranking_compute(campaign=campaign, by=user)
    assert snapshot() == before


# Written scores by import --------------------------------------------------------------------


def xlsx_file(rows, name="scores.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, name="scores.csv", encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


HEADER = ["准考证号", "姓名", "笔试成绩"]


def test_xlsx_import_records_scores_and_absentees(run, campaign, committee):
    a, b, c = run.admitted(["甲", "乙", "丙"])
    upload = xlsx_file(
        [
            ["2026年选聘笔试成绩"],
            HEADER,
            [int(a.admission_number), "甲", 88.5],
            [b.admission_number, "乙", "缺考"],
            [c.admission_number, " 丙 ", "59.99"],
        ]
    )
    report = written_exam.written_scores_import(campaign=campaign, file=upload, by=committee)
    assert report.ok, report.errors
    assert (report.rows, report.scored, report.absent) == (3, 2, 1)
    refresh(a, b, c)
    assert a.written_score == D("88.50") and b.state == ApplicationState.ABSENT
    assert c.written_score == D("59.99")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.after["file"] == "scores.xlsx" and entry.after["scored"] == 2


def test_import_with_one_bad_row_writes_nothing_and_names_row_column_reason(
    run, campaign, committee
):
    a, b, c = run.admitted(["甲", "乙", "丙"])
    upload = csv_file(
        [
            HEADER,
            [a.admission_number, "甲", "90"],
            [b.admission_number, "乙", "80.123"],
            [c.admission_number, "丙", "75"],
        ]
    )
    before = snapshot()
    report = written_exam.written_scores_import(campaign=campaign, file=upload, by=committee)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "笔试成绩")]
    assert "more than two decimals" in report.errors[0].reason
    assert snapshot() == before


def test_import_reports_every_kind_of_bad_row(run, campaign, committee):
    a, b, c = run.admitted(["甲", "乙", "丙"])
    written_exam.written_scores_record(campaign=campaign, rows=[(c.pk, "70")], by=committee)
    upload = csv_file(
        [
            HEADER,
            [a.admission_number, "李四", "90"],
            ["20269999999", "王五", "80"],
            [b.admission_number, "乙", "101"],
            [a.admission_number, "甲", "90"],
            [c.admission_number, "丙", "缺考"],
            ["", "赵六", "abc"],
        ],
        encoding="gb18030",
    )
    report = written_exam.written_scores_import(campaign=campaign, file=upload, by=committee)
    found = {(e.row, e.column): e.reason for e in report.errors}
    assert "belongs to 甲, not to 李四" in found[(2, "姓名")]
    assert "No candidate of this campaign" in found[(3, "准考证号")]
    assert "outside the range" in found[(4, "笔试成绩")]
    assert "appears twice" in found[(5, "准考证号")]
    assert "cannot be marked absent" in found[(6, "笔试成绩")]
    assert "missing" in found[(7, "准考证号")] and "not a number" in found[(7, "笔试成绩")]
    c.refresh_from_db()
    assert c.written_score == D("70.00")
    assert Application.objects.filter(state=ApplicationState.SCORED).count() == 1


def test_import_refuses_an_unreadable_file(run, campaign, committee):
    run.admitted(["甲"])
    with pytest.raises(written_exam.ImportFileError) as error:
        written_exam.written_scores_import(
            campaign=campaign, file=SimpleUploadedFile("old.xls", b"abc"), by=committee
        )
    assert ".xls" in error.value.message
    with pytest.raises(written_exam.ImportFileError) as error:
        written_exam.written_scores_import(
            campaign=campaign, file=csv_file([["准考证号", "成绩"], ["1", "2"]]), by=committee
        )
    assert "name (姓名)" in error.value.message


# Shortlist ----------------------------------------------------------------------------------------


def score_all(campaign, by, scores: dict):
    written_exam.written_scores_record(campaign=campaign, rows=list(scores.items()), by=by)


def test_shortlist_by_ratio_with_widening_and_pass_line(run, campaign, committee):
    apps = run.admitted(["甲", "乙", "丙", "丁", "戊", "己", "庚"])  # one post
    scores = ["90", "85", "80", "80", "79", "59.99", None]
    score_all(campaign, committee, {a.pk: s for a, s in zip(apps, scores, strict=True)})

    assert written_exam.shortlist_draw(campaign=campaign, by=committee) == 4
    refresh(*apps)
    states = [a.state for a in apps]
    assert states[:4] == [ApplicationState.SHORTLISTED] * 4  # widened on the 80/80 tie
    assert [a.written_rank for a in apps[:5]] == [1, 2, 3, 3, 5]
    assert states[4] == states[5] == ApplicationState.NOT_HIRED
    assert "written rank 5" in apps[4].outcome_note
    assert "below the pass line 60.00" in apps[5].outcome_note
    assert states[6] == ApplicationState.ABSENT
    assert AuditEntry.objects.filter(transition="shortlist").count() == 4
    assert AuditEntry.objects.filter(transition="reject").count() == 2


def test_shortlist_takes_all_when_fewer_and_needs_every_result(exam, committee):
    run = exam(villages={"新寨村": 2})
    campaign = run.campaign
    a, b, c = run.admitted(["甲", "乙", "丙"])
    score_all(campaign, committee, {a.pk: "70", b.pk: "65"})
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        written_exam.shortlist_draw(campaign=campaign, by=committee)
    assert "丙" in error.value.messages[0]
    assert snapshot() == before
    score_all(campaign, committee, {c.pk: "61"})
    assert written_exam.shortlist_draw(campaign=campaign, by=committee) == 3


# Interview marks --------------------------------------------------------------------------------


def marks(*scores):
    return [(i, f"评委{i}", s) for i, s in enumerate(scores, start=1)]


def test_interview_marks_need_the_whole_panel_with_valid_marks(run, campaign, committee):
    (a,) = run.shortlisted({"甲": "80"})
    before = snapshot()
    bad = [
        (marks("80", "81"), "The panel has 3 members; 2 mark(s)"),
        ([(1, "评委1", "80"), (1, "评委2", "81"), (3, "评委3", "82")], "only once"),
        (marks("80", "101", "82"), "Panel member 2: 101 is outside"),
        (marks("80", "81.555", "82"), "more than two decimals"),
        ([(1, "", "80"), (2, "评委2", "81"), (3, "评委3", "82")], "name is missing"),
    ]
    for given, reason in bad:
        with pytest.raises(ValidationError) as error:
            interview.interview_marks_record(application=a, marks=given, by=committee)
        assert reason in " ".join(error.value.messages)
    assert snapshot() == before

    average = interview.interview_marks_record(
        application=a, marks=marks("80", "81", "81"), by=committee
    )
    assert average == D("80.67")
    assert InterviewMark.objects.filter(application=a).count() == 3
    # Corrected: replaced, not added
    interview.interview_marks_record(application=a, marks=marks("90", "90", "90"), by=committee)
    assert sorted(InterviewMark.objects.values_list("score", flat=True)) == [D("90")] * 3


def test_interview_absent(run, campaign, committee):
    a, b = run.shortlisted({"甲": "80", "乙": "70"})
    interview.interview_absent(application=a, by=committee)
    a.refresh_from_db()
    assert a.state == ApplicationState.ABSENT and a.written_score == D("80.00")
    interview.interview_marks_record(application=b, marks=marks("70", "70", "70"), by=committee)
    with pytest.raises(ValidationError):
        interview.interview_absent(application=b, by=committee)
    with pytest.raises(ValidationError):  # absent now, not shortlisted
        interview.interview_marks_record(application=a, marks=marks("1", "1", "1"), by=committee)


# Ranking -------------------------------------------------------------------------------------


def test_ranking_half_up_composites_ties_and_pass_line(exam, committee):
    run = exam(shortlist_ratio=5)  # one post: all five are called
    campaign, offer = run.campaign, run.offer()
    apps = run.shortlisted({"甲": "80.01", "乙": "78", "丙": "78", "丁": "70", "戊": "60"})
    a, b, c, d, e = apps
    given = {
        a: ("80", "80", "80"),  # 80.01×50% + 80×50% = 80.005 → 80.01
        b: ("82", "82", "82"),  # 80.00
        c: ("82", "82", "82"),  # 80.00, tie with 乙
        d: ("70", "70", "70"),  # 70.00
        e: ("50", "50", "50"),  # 55.00: below the composite pass line
    }
    for application, scores in given.items():
        interview.interview_marks_record(
            application=application, marks=marks(*scores), by=committee
        )
    result = interview.ranking_compute(campaign=campaign, by=committee)
    assert (result.ranked, result.rejected) == (5, 1)
    refresh(*apps)
    assert a.composite_score == D("80.01")
    assert [x.rank for x in apps] == [1, 2, 2, 4, 5]
    assert [x.state for x in apps[:4]] == [ApplicationState.RANKED] * 4
    assert e.state == ApplicationState.NOT_HIRED and "below the pass line" in e.outcome_note
    proposal = result.proposals[offer.pk]
    assert [r.candidate.id for r in proposal.proposed] == [a.pk]
    assert not result.ties
    assert AuditEntry.objects.filter(transition="rank_with").count() == 5


def test_tie_at_the_cut_off_is_flagged_then_decided(run, campaign, committee):
    offer = run.offer()  # one post
    a, b, c = run.shortlisted({"甲": "80", "乙": "80", "丙": "70"})
    for application in (a, b):
        interview.interview_marks_record(
            application=application, marks=marks("80", "80", "80"), by=committee
        )
    interview.interview_marks_record(application=c, marks=marks("90", "90", "90"), by=committee)
    result = interview.ranking_compute(campaign=campaign, by=committee)
    assert result.ties == [offer.pk]
    assert result.proposals[offer.pk].proposed == []
    refresh(a, b, c)
    assert (a.rank, b.rank, c.rank) == (1, 1, 3)

    # A decision must order the whole tie, of tied candidates, with a reason
    before = snapshot()
    for ids, reason in (([a.pk, c.pk], "x"), ([a.pk], "x"), ([b.pk, a.pk], "  ")):
        with pytest.raises(ValidationError):
            interview.tie_break_record(
                offer=offer, ordered_application_ids=ids, reason=reason, by=committee
            )
    assert snapshot() == before

    order = interview.tie_break_record(
        offer=offer,
        ordered_application_ids=[b.pk, a.pk],
        reason="领导小组2026年4月28日会议研究确定",
        by=committee,
    )
    assert [e.candidate.id for e in order][:2] == [b.pk, a.pk]
    refresh(a, b, c)
    assert (b.rank, a.rank, c.rank) == (1, 2, 3)
    assert b.tie_break_position == 1 and a.tie_break_note.startswith("领导小组")
    assert AuditEntry.objects.filter(object_id=a.pk, reason__startswith="领导小组").exists()


def test_ranking_needs_complete_marks(run, campaign, committee):
    a, _b = run.shortlisted({"甲": "80", "乙": "70"})
    interview.interview_marks_record(application=a, marks=marks("80", "80", "80"), by=committee)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        interview.ranking_compute(campaign=campaign, by=committee)
    assert "乙" in error.value.messages[0]
    assert snapshot() == before


def test_drop_extremes_from_the_campaign(exam, committee):
    run = exam(interview_drop_extremes=True, interview_panel_size=5)
    campaign = run.campaign
    (a,) = run.shortlisted({"甲": "80"})
    average = interview.interview_marks_record(
        application=a, marks=marks("60", "80", "82", "84", "99"), by=committee
    )
    assert average == D("82.00")
    interview.ranking_compute(campaign=campaign, by=committee)
    a.refresh_from_db()
    assert (a.interview_score, a.composite_score) == (D("82.00"), D("81.00"))


# The score and ranking list ---------------------------------------------------------------------


def test_score_ranking_list_pdf(exam, committee):
    run = exam(villages=("城内村", "和平村"))
    campaign = run.campaign
    a, b, c = (run.apply(name, village="城内村") for name in ("王一", "李二", "赵三"))
    d = run.apply("孙四", village="和平村")
    run.to(CampaignState.REVIEWED).written({a: "90", b: "80", c: "50", d: ABSENT}).shortlist()
    interview.interview_marks_record(application=a, marks=marks("90", "90", "90"), by=committee)
    interview.interview_marks_record(application=b, marks=marks("30", "30", "30"), by=committee)
    interview.ranking_compute(campaign=campaign, by=committee)

    document = issue_score_ranking_list(campaign, by=committee)
    assert document.kind == DocumentKind.SCORE_RANKING_LIST
    assert document.township_id == campaign.township_id
    text = pdf_text(document)
    for expected in ("考试成绩及排名表", "城内村", "和平村", "王一", "90.00", "拟聘", "未达合格线"):
        assert expected in text, expected
    assert "缺考" in text and "孙四" in text
    assert "笔试未达合格线" in text  # 赵三
    assert a.masked_id_number in text and a.id_number not in text


# Pages ---------------------------------------------------------------------------------------


def page_urls(campaign, offer, application):
    from django.urls import reverse

    return [
        reverse("recruitment:exam_home", args=[campaign.pk]),
        reverse("recruitment:exam_scores", args=[campaign.pk]),
        reverse("recruitment:exam_import", args=[campaign.pk]),
        reverse("recruitment:exam_import_template", args=[campaign.pk]),
        reverse("recruitment:exam_interviews", args=[campaign.pk]),
        reverse("recruitment:exam_interview_marks", args=[application.pk]),
        reverse("recruitment:exam_ranking", args=[campaign.pk]),
        reverse("recruitment:exam_tie_break", args=[offer.pk]),
    ]


def interview_task(campaign, committee):
    """The campaign's process with its interview task assigned to ``committee``."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.flows import CampaignFlow
    from workflows.models import CampaignProcess

    process = CampaignProcess.objects.create(flow_class=CampaignFlow, campaign=campaign)
    node = CampaignFlow.enter_interview_marks
    return Task.objects.create(
        process=process,
        flow_task=node,
        flow_task_type=node.task_type,
        status=STATUS.ASSIGNED,
        owner=committee,
        owner_permission=f"workflows.township_committee@{campaign.township_id}",
    )


def test_pages_by_role(client, run, campaign, committee, office, foreign_committee):
    (application,) = run.admitted(["甲"])
    offer = run.offer()
    urls = page_urls(campaign, offer, application)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    client.force_login(committee)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(office)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(foreign_committee)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_post_actions_refuse_other_roles_and_change_nothing(client, run, campaign, office):
    from django.urls import reverse

    (application,) = run.admitted(["甲"])
    posts = [
        reverse("recruitment:exam_admit", args=[campaign.pk]),
        reverse("recruitment:exam_interview_absent", args=[application.pk]),
    ]
    before = snapshot()
    client.force_login(office)
    for url in posts:
        assert client.post(url).status_code == 403, url
    assert snapshot() == before


def test_score_entry_page_saves_a_room_and_refuses_bad_values(run, client, campaign, committee):
    from django.urls import reverse

    a, b = run.admitted(["甲", "乙"])
    client.force_login(committee)
    url = reverse("recruitment:exam_scores", args=[campaign.pk]) + "?room=01"
    before = snapshot()
    for bad in ("101", "-1", "80.123", "abc"):
        response = client.post(url, {f"score_{a.pk}": bad, f"score_{b.pk}": "70"})
        assert response.status_code == 400
        assert snapshot() == before
    response = client.post(url, {f"score_{a.pk}": "101"})
    assert "outside the range of scores" in response.content.decode()
    response = client.post(url, {f"score_{a.pk}": "70", f"absent_{a.pk}": "on"})
    assert response.status_code == 400 and "not both" in response.content.decode()

    response = client.post(url, {f"score_{a.pk}": "88.5", f"absent_{b.pk}": "on"})
    assert response.status_code == 302
    refresh(a, b)
    assert a.written_score == D("88.50") and b.state == ApplicationState.ABSENT


def test_import_page_shows_the_row_report(run, client, campaign, committee):
    from django.urls import reverse

    a, b = run.admitted(["甲", "乙"])
    client.force_login(committee)
    url = reverse("recruitment:exam_import", args=[campaign.pk])
    bad = csv_file([HEADER, [a.admission_number, "甲", "90"], [b.admission_number, "乙", "八十"]])
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "笔试成绩" in page and "not a number" in page
    assert Application.objects.filter(state=ApplicationState.SCORED).count() == 0

    good = xlsx_file([HEADER, [a.admission_number, "甲", "90"], [b.admission_number, "乙", "缺考"]])
    response = client.post(url, {"file": good})
    assert response.status_code == 200 and "The scores were imported" in response.content.decode()
    assert Application.objects.filter(state=ApplicationState.SCORED).count() == 1

    template = client.get(reverse("recruitment:exam_import_template", args=[campaign.pk]))
    text = template.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "准考证号,姓名,笔试成绩"
    assert f"{a.admission_number},甲,90.00" in text and f"{b.admission_number},乙,缺考" in text


def test_interview_and_tie_break_pages(client, run, campaign, committee):
    from django.urls import reverse

    offer = run.offer()  # one post
    a, b = run.shortlisted({"甲": "80", "乙": "80"})
    client.force_login(committee)
    url = reverse("recruitment:exam_interview_marks", args=[a.pk])
    data = {"examiner_1": "刘", "examiner_2": "陈", "examiner_3": "黄"}
    response = client.post(url, {**data, "score_1": "80", "score_2": "80", "score_3": "100.5"})
    assert response.status_code == 400 and "outside the range" in response.content.decode()
    response = client.post(url, {**data, "score_1": "80", "score_2": "80", "score_3": "80"})
    assert response.status_code == 302
    page = client.get(reverse("recruitment:exam_ranking", args=[campaign.pk])).content.decode()
    assert "waiting for the others" in page and "Proposed" not in page
    interview.interview_marks_record(application=b, marks=marks("80", "80", "80"), by=committee)

    ranking_page = client.get(reverse("recruitment:exam_ranking", args=[campaign.pk]))
    assert "tie at the cut-off" in ranking_page.content.decode()  # preview before computing
    # The ranking is computed by finishing the flow's interview task.
    task = interview_task(campaign, committee)
    assert client.post(task.reverse("execute")).status_code == 302
    refresh(a, b)
    assert a.rank == b.rank == 1

    tie_url = reverse("recruitment:exam_tie_break", args=[offer.pk])
    response = client.post(
        tie_url, {"group": "0", f"position_{a.pk}": "1", f"position_{b.pk}": "1", "reason": "x"}
    )
    assert response.status_code == 400 and "different position" in response.content.decode()
    response = client.post(
        tie_url,
        {"group": "0", f"position_{a.pk}": "2", f"position_{b.pk}": "1", "reason": "抽签确定"},
    )
    assert response.status_code == 302
    refresh(a, b)
    assert (b.rank, a.rank) == (1, 2)


def test_the_exam_state_is_enforced_on_pages(client, run, campaign, committee):
    from django.urls import reverse

    (a,) = run.admitted(["甲"])
    run.cancel()
    client.force_login(committee)
    url = reverse("recruitment:exam_scores", args=[campaign.pk]) + "?room=01"
    response = client.post(url, {f"score_{a.pk}": "70"})
    assert response.status_code == 400
    assert "Eligibility reviewed" in response.content.decode()
    a.refresh_from_db()
    assert a.state == ApplicationState.ELIGIBLE


def test_a_failing_audit_leaves_the_shortlist_undrawn(run, campaign, committee, monkeypatch):
    apps = run.admitted(["甲", "乙", "丙", "丁", "戊"])
    score_all(campaign, committee, {a.pk: s for a, s in zip(apps, "98765", strict=True)})
    before = snapshot()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit_services, "audit_record_many", boom)
    with pytest.raises(RuntimeError):
        written_exam.shortlist_draw(campaign=campaign, by=committee)
    assert snapshot() == before


# Benchmark ------------------------------------------------------------------------------------


def test_recruitment_bench_yields_its_figures_on_a_small_campaign():
    from bench import recruitment

    figures = list(recruitment.run(applications=200, villages=5, samples=1, database=False))
    assert [name for name, _value, _unit in figures] == [
        "recruitment.import_200_s",
        "recruitment.rank_200_s",
        "recruitment.rank_pure_200_ms",
    ]
    assert all(value > 0 for _name, value, _unit in figures)
    assert Application.objects.filter(state=ApplicationState.SHORTLISTED).count() == 0
    assert Application.objects.filter(state=ApplicationState.RANKED).exists()


def test_the_ticket_embeds_the_photo_as_a_data_uri(run):
    import base64

    from recruitment.constants import AttachmentKind
    from recruitment.documents.exam import admission_ticket_context, photo_data_uri

    (application,) = run.admitted(["王晓燕"])
    photo = application.attachments.get(kind=AttachmentKind.PHOTO)
    with photo.file.open("rb") as handle:
        stored = handle.read()
    uri = admission_ticket_context(application)["photo"]
    assert uri.startswith("data:image/jpeg;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == stored
    # Registration requires a photo; should its file be gone, the ticket prints without one.
    photo.delete()
    assert photo_data_uri(application) == ""
