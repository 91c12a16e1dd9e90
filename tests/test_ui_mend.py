"""An applicant marked absent from the written exam by mistake is given their score, with a
reason, audited, until the ranking is confirmed; after the shortlist was drawn they are
placed by the shortlist rule without anyone losing their place."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from audit.services import audit_trail
from recruitment.constants import ApplicationState
from recruitment.models import Application
from recruitment.services import interview, notice, written_exam
from tests.builders import SPRING_2026
from tests.test_recruitment_exams import marks

pytestmark = pytest.mark.django_db

D = Decimal
REASON = "该考生在第02考场参加考试，被误记为第01考场缺考。"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def run(open_campaign):
    """An announced campaign offering one post (three are called to the interview)."""
    return open_campaign(timetable=SPRING_2026)


@pytest.fixture
def campaign(run):
    return run.campaign


def record(campaign, by, scores: dict) -> None:
    written_exam.written_scores_record(campaign=campaign, rows=list(scores.items()), by=by)


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def mend(application, by, score="88", reason=REASON) -> Application:
    return written_exam.written_score_mend(
        application=application, score=score, reason=reason, by=by
    )


def test_before_the_shortlist_the_applicant_is_simply_scored(run, campaign, committee):
    a, b = run.admitted(["甲", "乙"])
    record(campaign, committee, {a.pk: "70", b.pk: None})
    assert fresh(b).state == ApplicationState.ABSENT
    mend(b, committee, "81.5")
    b = fresh(b)
    assert (b.state, b.written_score) == (ApplicationState.SCORED, D("81.50"))
    entry = audit_trail(b).get(transition="mend_absence")
    assert entry.actor == committee and entry.reason == REASON
    assert entry.before["state"] == "absent" and entry.after["written_score"] == "81.50"
    assert written_exam.shortlist_draw(campaign=campaign, by=committee) == 2


def test_after_the_shortlist_a_qualifying_score_joins_it_and_nobody_loses_a_place(
    run, campaign, committee
):
    a, b, c, d, late = run.admitted(["甲", "乙", "丙", "丁", "戊"])  # 1 post × 3
    record(campaign, committee, {a.pk: "90", b.pk: "85", c.pk: "80", d.pk: "75", late.pk: None})
    written_exam.shortlist_draw(campaign=campaign, by=committee)
    assert fresh(d).state == ApplicationState.NOT_HIRED

    mend(late, committee, "88")
    states = {x.name: (x.state, x.written_rank) for x in map(fresh, [a, b, c, d, late])}
    assert states == {
        "甲": (ApplicationState.SHORTLISTED, 1),
        "戊": (ApplicationState.SHORTLISTED, 2),
        "乙": (ApplicationState.SHORTLISTED, 3),
        "丙": (ApplicationState.SHORTLISTED, 4),  # called already: keeps the place
        "丁": (ApplicationState.NOT_HIRED, 5),
    }
    assert AuditEntry.objects.filter(object_id=c.pk, reason__contains="recomputed").exists()


@pytest.mark.parametrize(
    ("score", "note"), [("70", "written rank 4"), ("59.5", "below the pass line 60.00")]
)
def test_after_the_shortlist_a_lower_score_is_not_called(run, campaign, committee, score, note):
    a, b, c, late = run.admitted(["甲", "乙", "丙", "戊"])
    record(campaign, committee, {a.pk: "90", b.pk: "85", c.pk: "80", late.pk: None})
    written_exam.shortlist_draw(campaign=campaign, by=committee)
    mend(late, committee, score)
    late = fresh(late)
    assert late.state == ApplicationState.NOT_HIRED and note in late.outcome_note
    assert [fresh(x).state for x in (a, b, c)] == [ApplicationState.SHORTLISTED] * 3


def test_refusals_change_nothing(run, campaign, committee, office):
    a, b = run.admitted(["甲", "乙"])
    record(campaign, committee, {a.pk: "70", b.pk: None})
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        mend(b, committee, "101", reason=" ")
    assert set(error.value.error_dict) == {"score", "reason"}
    with pytest.raises(ValidationError, match="not marked absent"):
        mend(a, committee)
    with pytest.raises(PermissionDenied):
        mend(b, office)
    assert AuditEntry.objects.count() == before
    # Once the ranking is confirmed, the absence stands.
    run.shortlist().interview().finish_exams().confirm_ranking()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        mend(b, committee)
    assert fresh(b).state == ApplicationState.ABSENT
    assert AuditEntry.objects.count() == before


def test_after_the_exams_the_called_applicant_is_interviewed_and_ranked_on_confirming(
    run, campaign, committee, monkeypatch
):
    monkeypatch.setattr(notice, "issue_for", lambda *args, **kwargs: [])
    a, late = run.admitted(["甲", "戊"])
    record(campaign, committee, {a.pk: "80", late.pk: None})
    written_exam.shortlist_draw(campaign=campaign, by=committee)
    interview.interview_marks_record(application=a, marks=marks("80", "80", "80"), by=committee)
    interview.campaign_finish_exams(campaign=campaign, by=committee)
    assert fresh(a).state == ApplicationState.RANKED

    mend(late, committee, "90")
    assert fresh(late).state == ApplicationState.SHORTLISTED
    with pytest.raises(ValidationError, match="no complete interview marks"):
        notice.campaign_confirm_ranking(campaign=campaign, by=committee)
    interview.interview_marks_record(application=late, marks=marks("85", "85", "85"), by=committee)
    notice.campaign_confirm_ranking(campaign=campaign, by=committee)
    late, a = fresh(late), fresh(a)
    assert (late.state, late.composite_score, late.rank) == (
        ApplicationState.RANKED,
        D("87.50"),
        1,
    )
    assert a.rank == 2


def test_the_mend_page(run, client, campaign, committee):
    a, b = run.admitted(["甲", "乙"])
    record(campaign, committee, {a.pk: "70", b.pk: None})
    client.force_login(committee)
    scores = client.get(reverse("recruitment:exam_scores", args=[campaign.pk]) + "?room=01")
    url = reverse("recruitment:exam_absence_mend", args=[b.pk])
    assert url in scores.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "abc", "reason": REASON})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a number" in html and html.count("is not a number") == 1
    response = client.post(url, {"score": "77", "reason": REASON})
    assert response.status_code == 302
    assert fresh(b).written_score == D("77.00")
