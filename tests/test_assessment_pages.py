"""The monthly assessment's pages and flow: a township month from opening to the settled
bulletin through the pages, each step's task completed when its fact is recorded, and the
director reading their slip on /my-term/."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from assessment.constants import MonthState
from assessment.models import AssessmentMonth
from tests.assessment_support import make_scheme, office_user, seat_directors, split_points
from tests.builders import committee_member

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def open_tasks(month):
    return list(
        Task.objects.filter(
            process__monthprocess__month=month,
            flow_task_type="HUMAN",
            status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
        ).values_list("flow_task", flat=True)
    )


def test_a_month_from_opening_to_settled_through_the_pages(client, township, hr):
    make_scheme(township.county, 2026, by=hr)
    contracts = seat_directors(township, 3)
    office = office_user(township)
    committee = committee_member(township)
    client.force_login(office)
    response = client.post(reverse("assessment:open"), {"year": 2026, "month": 10}, follow=True)
    assert response.status_code == 200
    month = AssessmentMonth.objects.get()
    assert [str(t).rsplit(".", 1)[-1].lower() for t in open_tasks(month)] == ["score"]
    page = client.get(reverse("assessment:month", args=[month.pk]))
    assert "保存" in page.content.decode() or "Save" in page.content.decode()
    data = {}
    for score, total in zip(month.scores.all(), ["95", "85", "85"], strict=True):
        for key, value in split_points(month.scheme, total).items():
            data[f"s{score.pk}-{key}"] = value
        data[f"s{score.pk}-remarks"] = ""
    client.post(reverse("assessment:scores", args=[month.pk]), data)
    assert month.scores.filter(total__isnull=False).count() == 3
    client.post(reverse("assessment:action", args=[month.pk, "finish"]))
    month.refresh_from_db()
    assert month.state == MonthState.SCORED
    assert [str(t).rsplit(".", 1)[-1].lower() for t in open_tasks(month)] == ["publish"]
    # the office cannot publish
    client.post(reverse("assessment:action", args=[month.pk, "publish"]))
    assert AssessmentMonth.objects.get(pk=month.pk).state == MonthState.SCORED
    client.force_login(committee)
    client.post(reverse("assessment:action", args=[month.pk, "publish"]))
    response = client.post(reverse("assessment:action", args=[month.pk, "publish"]), follow=True)
    assert response.status_code == 200  # a second publish: a message, not an error page
    month.refresh_from_db()
    assert month.state == MonthState.PUBLISHED
    assert [str(t).rsplit(".", 1)[-1].lower() for t in open_tasks(month)] == ["settle"]
    client.post(reverse("assessment:action", args=[month.pk, "settle"]))
    month.refresh_from_db()
    assert month.state == MonthState.SETTLED and open_tasks(month) == []
    client.post(reverse("assessment:action", args=[month.pk, "reopen"]), {"reason": ""})
    assert AssessmentMonth.objects.get(pk=month.pk).state == MonthState.SETTLED
    client.post(reverse("assessment:action", args=[month.pk, "reopen"]), {"reason": "更正"})
    month.refresh_from_db()
    assert month.state == MonthState.OPEN and month.revision == 2
    assert [str(t).rsplit(".", 1)[-1].lower() for t in open_tasks(month)] == ["score"]

    director = contracts[0].person.user
    client.force_login(director)
    page = client.get(reverse("my_term:index")).content.decode()
    assert "2026" in page
    # the county ranking and the schemes for county HR
    client.force_login(hr)
    assert client.get(reverse("assessment:county") + "?year=2026&month=10").status_code == 200
    assert client.get(reverse("assessment:schemes")).status_code == 200
    assert client.get(reverse("assessment:scheme_edit", args=[2027])).status_code == 200
    assert client.get(reverse("assessment:months")).status_code == 200


def test_director_reads_their_slip(client, township, hr):
    from tests.assessment_support import scored_month

    make_scheme(township.county, 2026, by=hr)
    contracts = seat_directors(township, 2)
    from assessment.services import month_publish

    month_publish(month=scored_month(township, ["92", "88"]), by=committee_member(township))
    client.force_login(contracts[0].person.user)
    page = client.get(reverse("my_term:index")).content.decode()
    assert "1700.00" in page or "1615.00" in page
    assert "/download/" in page
    client.force_login(contracts[0].person.user)
    assert client.get(reverse("assessment:months")).status_code == 403


def test_the_grid_and_the_phone_page_show_each_villages_inspection_findings(client, township, hr):
    make_scheme(township.county, 2026, by=hr)
    seat_directors(township, 2)
    client.force_login(office_user(township))
    client.post(reverse("assessment:open"), {"year": 2026, "month": 11})
    month = AssessmentMonth.objects.get()
    page = client.get(reverse("assessment:month", args=[month.pk])).content.decode()
    assert page.count('class="assessment-findings"') == 2
    score = month.scores.first()
    page = client.get(reverse("assessment:score", args=[month.pk, score.pk])).content.decode()
    assert 'id="findings"' in page


def test_a_refused_grid_keeps_what_was_typed(client, township, hr):
    make_scheme(township.county, 2026, by=hr)
    seat_directors(township, 2)
    office = office_user(township)
    client.force_login(office)
    client.post(reverse("assessment:open"), {"year": 2026, "month": 10})
    month = AssessmentMonth.objects.get()
    first, second = month.scores.order_by("pk")
    data = {}
    for score, total in ((first, "88.5"), (second, "95")):
        for key, value in split_points(month.scheme, total).items():
            data[f"s{score.pk}-{key}"] = value
        data[f"s{score.pk}-remarks"] = "按时上报"
    item = str(month.scheme.items.order_by("order").first().pk)
    data[f"s{second.pk}-{item}"] = "999"  # beyond the item's most points
    response = client.post(reverse("assessment:scores", args=[month.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    # Nothing was saved, and the grid shows what was typed, the refused value included.
    assert not month.scores.filter(total__isnull=False).exists()
    assert 'value="999"' in html and html.count('value="按时上报"') == 2
    assert second.person.name in html
