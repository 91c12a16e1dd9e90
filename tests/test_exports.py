"""The Excel exports of the lists (``web.exports``), each file opened with openpyxl: Chinese
headers, exactly the rows of the filtered list and nothing of another township, formulas kept
as text, ID and mobile numbers masked unless the reader may see them in full (and then
logged), absurd filters ignored as the list ignores them, the row limit, Chinese file names,
and a fixed number of queries whatever the number of rows."""

import io
import random
import re
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.constants import Role
from audit.display import describe_entries
from audit.models import AuditEntry
from core.exports import content_disposition
from people.models import IdentityAccess
from tests.factories import PersonFactory, PostFactory
from tests.matrix_support import ROLES, make_world
from tests.test_permission_matrix import ROWS

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = ['=HYPERLINK("http://example.com/x","点击")', "+cmd|' /C calc'!A0", "@SUM(1,2)"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content)).active


def cells(response) -> list[list]:
    return [list(row) for row in workbook(response).iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def text_of(rows: list[list]) -> str:
    return "\n".join(str(value) for row in rows for value in row if value is not None)


# File names ------------------------------------------------------------------------------------


def test_a_chinese_file_name_goes_as_rfc_5987_with_an_ascii_fallback():
    header = content_disposition("人员名单-2026-11-29.xlsx")
    assert header == (
        'attachment; filename="export-2026-11-29.xlsx"; '
        f"filename*=UTF-8''{quote('人员名单-2026-11-29.xlsx')}"
    )
    assert content_disposition("villages-template.csv") == (
        'attachment; filename="villages-template.csv"'
    )
    # A quote or a line break in a name cannot end the header's value.
    assert '"' not in content_disposition('a"b\r\nc.xlsx').split("filename*=")[1]


# Every export, every role, own and foreign township -------------------------------------------


def exports_world():
    """The matrix's county with records of every list on both sides: contracts, campaigns,
    courses, vacancies, months and appraisals."""
    from tests.appraisal_support import matrix_records
    from tests.assessment_matrix_support import side_month
    from tests.test_permission_matrix import vacancy_of

    world = make_world()
    for side in ("own", "foreign"):
        world.term(side)
        world.recruitment(side)
        world.course(side)
        side_month(world, side)
        matrix_records(world, side)
        PostFactory(village=world.side(side).village, number=3)
        vacancy_of(world, side)
    return world


def own_url(world, name: str) -> str:
    return ROWS[name].url(world, "own")


def test_every_export_holds_its_readers_rows_and_nothing_of_another_township(client):
    """Each role that may open a list gets a file with Chinese headers; a township's,
    village's or director's file never names the other township or its director, the
    county's names both."""
    from tests.exports_matrix import EXPORTS

    world = exports_world()
    foreign = [world.foreign.township.name, world.foreign.person.name]
    checked = 0
    for name in EXPORTS:
        for role in ROLES:
            expected = ROWS[name].expected[role]
            own = expected[0] if isinstance(expected, tuple) else expected
            if own != 200:
                continue
            client.force_login(world.users[role])
            rows = cells(client.get(own_url(world, name)))
            assert rows[0] and all(CJK.search(str(header)) for header in rows[0]), (name, rows[0])
            text = text_of(rows[1:])
            if role in (Role.ADMINISTRATOR, Role.COUNTY_HR):
                continue
            leaked = [word for word in foreign if word in text]
            assert not leaked, (name, role, leaked)
            checked += 1
    assert checked >= 20


def test_the_county_exports_both_townships(client):
    world = make_world()
    world.term("own")
    world.term("foreign")
    client.force_login(world.users[Role.COUNTY_HR])
    for name in ("people:export", "contracts:export"):
        text = text_of(cells(client.get(reverse(name))))
        assert world.own.person.name in text and world.foreign.person.name in text


# Rows equal to the filtered list ---------------------------------------------------------------


def listed_names(response, key: str, name) -> list[str]:
    return [name(item) for item in response.context[key]]


def test_the_people_export_has_the_rows_of_the_search(client):
    world = make_world()
    for n in range(3):
        PersonFactory(township=world.own.township, name=f"王{'一二三'[n]}")
    PersonFactory(township=world.own.township, name="李四")
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    listed = client.get(reverse("people:list"), {"q": "王"})
    names = [p.name for p in listed.context["people"]]
    assert len(names) == 4  # 王一, 王二, 王三, 王晓燕 (own township only)
    assert f"{reverse('people:export')}?q=%E7%8E%8B" in listed.content.decode()
    rows = cells(client.get(reverse("people:export"), {"q": "王"}))
    assert rows[0][:2] == ["姓名", "身份证号码"]
    assert column(rows, "姓名") == names


def test_the_contract_export_keeps_the_lists_filters_and_order(client):
    world = make_world()
    world.term("own")
    world.term("foreign")
    client.force_login(world.users[Role.COUNTY_HR])
    today = timezone.localdate().isoformat()
    for params in (
        {},
        {"state": "active", "order": "end"},
        {"state": "drafted"},
        {"within": "5"},
        # The dashboards' figures (contracts.selectors.ContractFilters): the export carries
        # them as the list does.
        {"township": str(world.own.township.pk), "order": "start"},
        {"on": today, "education": "meets"},
        {"on": today, "selection": "open"},
        {"on": today, "selection": "other"},
        {"left_from": "2020-01-01", "left_to": today},
    ):
        listed = client.get(reverse("contracts:list"), params)
        names = [contract.person.name for contract, _days in listed.context["rows"]]
        rows = cells(client.get(reverse("contracts:export"), params))
        assert column(rows, "姓名" if "姓名" in rows[0] else "村级人口主任") == names, params


def test_the_application_export_keeps_the_state_village_and_search(client):
    world = make_world()
    campaign = world.recruitment("own").campaign
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    list_url = reverse("recruitment:review_list", args=[campaign.pk])
    export_url = reverse("recruitment:review_export", args=[campaign.pk])
    offer = campaign.offers.get()
    for params in ({}, {"state": "ineligible"}, {"offer": offer.pk, "q": "罗"}, {"q": "无此人"}):
        listed = client.get(list_url, params)
        names = [a.name for a in listed.context["applications"]]
        assert column(cells(client.get(export_url, params)), "姓名") == names, params
    # The log names the campaign whose applications went out.
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).first()
    assert entry is not None and entry.after["export_list"] == f"报名人员：{campaign.title}"


def test_the_campaign_vacancy_course_and_compliance_exports_follow_their_lists(client):
    world = exports_world()
    client.force_login(world.users[Role.COUNTY_HR])
    township = world.own.township.pk
    cases = [
        ("recruitment:campaign_list", "recruitment:campaign_export", {"state": "publicised"},
         "campaigns", lambda c: c.title, "选聘"),
        ("vacancies:list", "vacancies:export", {"township": township, "show": "all"},
         "rows", lambda r: r.vacancy.post.village.name, "村（居、社区）"),
        ("training:list", "training:export", {"year": 2026, "kind": "township_session"},
         "courses", lambda c: c.title, "培训名称"),
    ]  # fmt: skip
    for list_name, export_name, params, key, shown, header in cases:
        listed = client.get(reverse(list_name), params)
        expected = [shown(item) for item in listed.context[key]]
        assert expected, list_name
        rows = cells(client.get(reverse(export_name), params))
        assert column(rows, header) == expected, export_name
    listed = client.get(reverse("training:compliance"), {"township": township})
    expected = [c.person.name for _t, rows in listed.context["groups"] for c, _row in rows]
    rows = cells(client.get(reverse("training:compliance_export"), {"township": township}))
    assert column(rows, "村级人口主任") == expected == [world.own.person.name]


# Formula injection -----------------------------------------------------------------------------


def test_a_hostile_name_reaches_the_file_as_text(client):
    world = make_world()
    for name in HOSTILE_NAMES:
        PersonFactory(township=world.own.township, name=name)
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    sheet = workbook(client.get(reverse("people:export")))
    found = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    for name in HOSTILE_NAMES:
        cell = found[name]
        assert (cell.data_type, cell.quotePrefix) == ("s", True), name
    assert found[world.own.person.name].quotePrefix is False


# ID and mobile numbers ---------------------------------------------------------------------------


def test_numbers_are_masked_for_a_reader_without_the_full_value_permission(client):
    world = make_world()
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    rows = cells(client.get(reverse("people:export")))
    person = world.own.person
    assert column(rows, "身份证号码") == [person.masked_id_number]
    assert column(rows, "手机号码") == [person.masked_phone]
    assert person.id_number not in text_of(rows) and person.phone not in text_of(rows)
    assert not IdentityAccess.objects.exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.after["export_full_numbers"] == "无（已遮蔽）"


def test_full_numbers_go_to_a_reader_who_may_see_them_and_each_is_logged(client):
    world = make_world()
    world.term("own")
    world.term("foreign")
    hr = world.users[Role.COUNTY_HR]
    client.force_login(hr)
    rows = cells(client.get(reverse("people:export"), {"q": "王"}))
    assert column(rows, "身份证号码") == [world.own.person.id_number]
    accesses = IdentityAccess.objects.filter(user=hr)
    assert sorted(accesses.values_list("field", flat=True)) == ["id_number", "phone"]
    assert {a.person_id for a in accesses} == {world.own.person.pk}
    assert "人员" in accesses[0].reason
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.actor, entry.object_id, entry.county_id) == (hr, hr.pk, world.county.pk)
    assert entry.after == {
        "export_list": "人员",
        "export_filters": "查询：王",
        "export_rows": 1,
        "export_full_numbers": "身份证号码、手机号码",
    }
    # The contract list's numbers too: one access per person and number.
    assert client.get(reverse("contracts:export")).status_code == 200
    assert IdentityAccess.objects.filter(user=hr).count() == 2 + 4


def test_the_export_reads_in_chinese_in_the_audit_log(client):
    world = make_world()
    committee = world.users[Role.TOWNSHIP_COMMITTEE]
    client.force_login(committee)
    client.get(reverse("contracts:export"), {"state": "active", "within": "30"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.township_id == world.own.township.pk
    (view,) = describe_entries([entry])
    assert view.what == "导出"
    shown = {change.label: change.after for change in view.changes}
    assert shown["导出的列表"] == "聘用合同"
    assert shown["筛选条件"] == "状态：有效；在聘且在以下天数内到期：30；排序：姓名（拼音序）"
    assert shown["导出行数"] == "0"
    page = client.get(reverse("audit:list")).content.decode()
    assert "导出" in page and "聘用合同" in page


def test_a_searched_full_id_number_is_masked_in_the_log(client):
    world = make_world()
    client.force_login(world.users[Role.COUNTY_HR])
    number = world.own.person.id_number
    client.get(reverse("people:export"), {"q": number})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert number not in str(entry.after)
    assert world.own.person.masked_id_number in entry.after["export_filters"]


# Absurd filters ----------------------------------------------------------------------------------

ABSURD = [
    {"state": "x" * 5000},
    {"state": ["active", "drafted"]},
    {"within": "9" * 40},
    {"within": "-5"},
    {"within": "²"},
    {"township": "٣"},
    {"township": "9" * 30},
    {"township": "0"},
    {"offer": "99999999999999999999999"},
    {"year": "1e3", "kind": "\x00"},
    {"year": "２０２６"},
    {"month": "13", "year": "99999"},
    {"q": "\x00" + "王" * 5000},
    {"show": "everything", "order": "__class__"},
    {"page": "-1"},
]


@pytest.mark.parametrize("params", ABSURD, ids=lambda p: ",".join(p))
def test_absurd_filters_are_ignored_as_the_list_ignores_them(client, params):
    """Never a 500: the export of the same address as the list lists the list's rows."""
    world = make_world()
    world.term("own")
    campaign = world.recruitment("own").campaign
    client.force_login(world.users[Role.COUNTY_HR])
    pairs = [
        ("people:list", "people:export", [], "people", lambda p: p.name, "姓名"),
        ("contracts:list", "contracts:export", [], "rows", lambda r: r[0].person.name,
         "村级人口主任"),
        ("recruitment:review_list", "recruitment:review_export", [campaign.pk],
         "applications", lambda a: a.name, "姓名"),
        ("vacancies:list", "vacancies:export", [], "rows", lambda r: r.vacancy.pk, None),
        ("training:list", "training:export", [], "courses", lambda c: c.title, "培训名称"),
    ]  # fmt: skip
    for list_name, export_name, args, key, shown, header in pairs:
        listed = client.get(reverse(list_name, args=args), params)
        assert listed.status_code == 200, list_name
        response = client.get(reverse(export_name, args=args), params)
        rows = cells(response)
        expected = [shown(item) for item in listed.context[key]]
        assert len(rows) - 1 == len(expected), export_name
        if header:
            assert column(rows, header) == expected, export_name
    for name in ("training:compliance_export", "assessment:county_export"):
        assert client.get(reverse(name), params).status_code == 200


def test_an_appraisal_year_out_of_range_is_not_found(client):
    world = make_world()
    client.force_login(world.users[Role.COUNTY_HR])
    township = world.own.township.pk
    for year in (99999999999, 1999):
        for name in ("appraisal:township_year", "appraisal:township_year_export"):
            assert client.get(reverse(name, args=[township, year])).status_code == 404


def test_another_townships_record_is_not_found_and_leaks_nothing(client):
    world = make_world()
    foreign = world.recruitment("foreign").campaign
    client.force_login(world.users[Role.TOWNSHIP_COMMITTEE])
    response = client.get(reverse("recruitment:review_export", args=[foreign.pk]))
    assert response.status_code == 404
    assert world.foreign.township.name not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


# The row limit ----------------------------------------------------------------------------------


def test_a_list_longer_than_the_limit_is_refused_with_a_message(client, settings):
    settings.CUNPIN_EXPORT_MAX_ROWS = 2
    world = make_world()
    for name in ("王一", "王二"):
        PersonFactory(township=world.own.township, name=name)
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(reverse("people:export"), {"q": "王"})
    assert response.status_code == 302
    assert response.url == f"{reverse('people:list')}?q=%E7%8E%8B"
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "超过 2 行" in message and "筛选" in message
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    assert not IdentityAccess.objects.exists()
    # Two rows are within the limit.
    rows = cells(client.get(reverse("people:export"), {"q": "王一"}))
    assert len(rows) == 2


# File names and sheets -------------------------------------------------------------------------


def test_the_file_is_named_for_the_list_and_the_day(client):
    world = make_world()
    client.force_login(world.users[Role.COUNTY_HR])
    response = client.get(reverse("training:export"))
    disposition = response["Content-Disposition"]
    match = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert match and re.fullmatch(quote("培训") + r"-\d{4}-\d{2}-\d{2}\.xlsx", match.group(1)), (
        disposition
    )
    assert workbook(response).title == "培训"


# Queries ----------------------------------------------------------------------------------------


def export_queries(client, world, names) -> dict[str, int]:
    counts = {}
    client.force_login(world.users[Role.COUNTY_HR])
    for name in names:
        url = own_url(world, name)
        assert client.get(url).status_code == 200  # warms caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    return counts


def test_an_export_runs_as_many_queries_with_five_times_the_rows(client):
    from tests.test_perf_lists import grow

    rng = random.Random(3)
    world = exports_world()
    names = [
        "people:export",
        "organisation:village_export",
        "recruitment:campaign_export",
        "recruitment:review_export",
        "contracts:export",
        "training:compliance_export",
    ]
    grow(world, scale=1, rng=rng)
    small = export_queries(client, world, names)
    grow(world, scale=4, rng=rng)
    large = export_queries(client, world, names)
    assert small == large
