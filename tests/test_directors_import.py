"""Importing the directors already in post (issue 7, item 2): all or nothing, with a report
that names the row, the column and the reason; on success persons, contracts in force,
occupied posts and vacancies at import."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.constants import Role
from audit.models import AuditEntry
from contracts import importing
from contracts.constants import (
    ContractOrigin,
    ContractState,
    InductionSource,
    VacancyCause,
    VacancyState,
)
from contracts.importing import directors_import, term_years_between
from contracts.models import Contract, Vacancy
from core.education import Education
from core.tabular import ImportFileError
from organisation.constants import PostStatus
from organisation.models import Post
from people.models import Person
from tests.factories import (
    CountyFactory,
    PersonFactory,
    PolicyFactory,
    TownshipFactory,
    UserFactory,
    make_id_number,
    make_village,
)
from tests.test_hostile_files import hostile_csvs, hostile_workbooks

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
HEADER = [
    "乡镇(街道)",
    "村(居、社区)",
    "姓名",
    "身份证号码",
    "手机号码",
    "学历",
    "聘期开始日期",
    "聘期结束日期",
]
ID_A = make_id_number(datetime.date(1988, 3, 12))
ID_B = make_id_number(datetime.date(1992, 10, 5), female=True)
ID_C = make_id_number(datetime.date(1985, 1, 20))


@pytest.fixture(autouse=True)
def today():
    shanghai = timezone.get_default_timezone()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=shanghai), tick=False):
        yield TODAY


@pytest.fixture
def places(township, other_township):
    """关索街道 新寨村 (two posts) and 龙潭村 (one post), 花江镇 板贵村 (one post)."""
    xinzhai = make_village(township, 3000, name="新寨村")
    longtan = make_village(township, 1800, name="龙潭村")
    bangui = make_village(other_township, 1800, name="板贵村")
    assert (xinzhai.posts.count(), longtan.posts.count(), bangui.posts.count()) == (2, 1, 1)
    return {"新寨村": xinzhai, "龙潭村": longtan, "板贵村": bangui}


def row(**changes) -> list:
    values = {
        "township": "关索街道",
        "village": "新寨村",
        "name": "王晓燕",
        "id": ID_A,
        "phone": "13812345678",
        "education": "大专",
        "start": "2024-06-01",
        "end": "2027-05-31",
    }
    values.update(changes)
    return list(values.values())


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(by, rows=None, *, name="directors.csv", content=None):
    if content is None:
        content = csv_bytes([HEADER, *rows])
    return directors_import(file_name=name, content=content, by=by)


def state() -> tuple:
    return (
        Person.objects.count(),
        Contract.objects.count(),
        Vacancy.objects.count(),
        Post.objects.filter(holder__isnull=False).count(),
        AuditEntry.objects.count(),
    )


# A good file ---------------------------------------------------------------------------------


def test_a_valid_file_creates_persons_contracts_in_force_occupied_posts_and_vacancies(
    hr, places, policy
):
    report = run(
        hr,
        [
            row(),
            row(name="李芳", id=ID_B, phone="139 0000 1111", education="本科", village="龙潭村"),
        ],
    )
    assert report.ok, report.errors
    assert (report.persons_created, report.contracts_created) == (2, 2)

    wang = Person.objects.get(id_number=ID_A)
    assert (wang.name, wang.birth_date, wang.sex) == ("王晓燕", datetime.date(1988, 3, 12), "M")
    assert wang.education == Education.JUNIOR_COLLEGE
    assert wang.township.name == "关索街道" and wang.village == places["新寨村"]
    li = Person.objects.get(id_number=ID_B)
    assert (li.phone, li.sex, li.education) == ("13900001111", "F", Education.BACHELOR)

    contract = Contract.objects.get(person=wang)
    assert contract.state == ContractState.ACTIVE
    assert contract.origin == ContractOrigin.IMPORT
    assert (contract.start_date, contract.end_date) == (
        datetime.date(2024, 6, 1),
        datetime.date(2027, 5, 31),
    )
    assert contract.term_years == 3
    assert contract.policy == policy and contract.monthly_pay == policy.monthly_pay
    assert contract.induction_source == InductionSource.IMPORTED
    assert contract.induction_on == datetime.date(2024, 6, 1)
    assert contract.filed_on is None and "导入" in contract.induction_note
    assert contract.post.village == places["新寨村"] and contract.post.holder == wang
    assert Post.objects.get(pk=contract.post.pk).holder == wang

    # 新寨村's second post has no director: it is vacant from the import day. 龙潭村's one post
    # is held; 板贵村 was not in the file and is left alone.
    vacancy = Vacancy.objects.get()
    assert vacancy.post.village == places["新寨村"] and vacancy.post.holder is None
    assert (vacancy.cause, vacancy.state, vacancy.opened_on) == (
        VacancyCause.AT_IMPORT,
        VacancyState.OPEN,
        TODAY,
    )
    assert report.vacancies_opened == 1

    imports = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    assert imports.filter(transition="import").count() == 2
    reasons = [entry.reason for entry in imports.filter(transition="import")]
    assert all("导入在岗村级人口主任" in reason for reason in reasons)
    assert imports.filter(reason__contains="directors.csv").count() == 3  # and the county's


def test_a_person_on_record_is_brought_up_to_date_not_duplicated(hr, places, township):
    applicant = PersonFactory(id_number=ID_A, name="王小燕", township=township, phone="13700000000")
    report = run(hr, [row()])
    assert report.ok, report.errors
    assert (report.persons_created, report.persons_updated) == (0, 1)
    applicant.refresh_from_db()
    assert (applicant.name, applicant.phone) == ("王晓燕", "13812345678")
    assert applicant.household_registration == "贵州省关岭自治县关索街道"  # kept
    assert Contract.objects.get().person == applicant


def test_an_open_vacancy_is_not_opened_twice_and_a_filled_post_closes_it(hr, places):
    assert run(hr, [row()]).ok
    assert Vacancy.objects.filter(state=VacancyState.OPEN).count() == 1
    # A second file for the same village: the second post gets its director; the vacancy
    # opened at the first import is filled by that contract, none is opened again.
    report = run(hr, [row(name="李芳", id=ID_B)])
    assert report.ok, report.errors
    assert report.vacancies_opened == 0
    vacancy = Vacancy.objects.get()
    assert vacancy.state == VacancyState.FILLED
    assert vacancy.filled_by == Contract.objects.get(person__id_number=ID_B)


def test_a_contract_ending_within_the_renewal_window_is_imported(hr, places):
    report = run(hr, [row(start="2023-06-20", end="2026-06-19")])
    assert report.ok, report.errors
    assert Contract.objects.get().state == ContractState.ACTIVE


def test_xlsx_with_dates_numbers_full_width_digits_and_invisible_characters(hr, places):
    full_width = ID_A.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    content = xlsx_bytes(
        [
            ["在岗村级人口主任名册"],
            HEADER,
            [
                "关索\u200b街道",
                "新寨村\ufeff",
                "王\u200d晓燕",
                full_width,
                13812345678,
                " 大专 ",
                datetime.datetime(2024, 6, 1),
                datetime.date(2027, 5, 31),
            ],
        ]
    )
    report = run(hr, content=content, name="directors.xlsx")
    assert report.ok, report.errors
    person = Person.objects.get()
    assert (person.name, person.id_number, person.phone) == ("王晓燕", ID_A, "13812345678")


def test_english_headers_and_gbk_csv_are_read(hr, places):
    header = ["township", "village", "name", "ID number", "phone", "education", "contract start",
              "contract end"]  # fmt: skip
    content = csv_bytes([header, row()], encoding="gb18030")
    assert run(hr, content=content).ok


def test_term_years_follow_the_dates():
    assert term_years_between(datetime.date(2024, 12, 1), datetime.date(2027, 11, 30)) == 3
    assert term_years_between(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == 1
    assert term_years_between(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)) == 1


# Bad rows: each refused with its message, nothing changed ----------------------------------


BAD_ROWS = [
    ({"id": "520424198803120011"}, "身份证号码", "校验位"),
    ({"id": "52042419880312"}, "身份证号码", "18"),
    ({"township": "不存在镇"}, "乡镇(街道)", "没有名为“不存在镇”的乡镇"),
    ({"village": "不存在村"}, "村(居、社区)", "没有名为“不存在村”的村"),
    ({"village": "板贵村"}, "村(居、社区)", "没有名为“板贵村”的村"),  # of another township
    ({"end": "2024-05-31"}, "聘期结束日期", "不晚于"),
    ({"end": "2026-05-31"}, "聘期结束日期", "已不在有效期内"),
    ({"start": "2026-07-01", "end": "2029-06-30"}, "聘期开始日期", "晚于今天"),
    ({"start": "2014-01-01", "end": "2026-12-31"}, "聘期开始日期", "没有有效的政策"),
    ({"start": "2024-13-01"}, "聘期开始日期", "不是日期"),
    ({"phone": "0851-3612345"}, "手机号码", "不是手机号码"),
    ({"phone": "23812345678"}, "手机号码", "不是手机号码"),
    ({"education": "大学"}, "学历", "不是学历"),
    ({"education": ""}, "学历", "缺少学历"),
    ({"name": '=HYPERLINK("http://x","王")'}, "姓名", "不是人名"),
    ({"name": "王\ue000燕"}, "姓名", "无法"),  # a private-use character cannot be printed
]


@pytest.mark.parametrize(("changes", "column", "reason"), BAD_ROWS)
def test_a_bad_row_is_refused_naming_row_column_and_reason(hr, places, changes, column, reason):
    before = state()
    report = run(hr, [row(name="李芳", id=ID_B, village="龙潭村"), row(**changes)])
    assert not report.ok
    assert any((e.row, e.column) == (3, column) and reason in e.reason for e in report.errors), (
        report.errors
    )
    assert {e.row for e in report.errors} == {3}
    assert state() == before


def test_an_id_twice_in_the_file_is_refused_naming_both_rows(hr, places):
    before = state()
    report = run(hr, [row(), row(name="王晓燕", village="龙潭村")])
    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号码")]
    assert "第2行" in report.errors[0].reason
    assert state() == before


def test_a_person_with_a_contract_in_force_is_refused(hr, places):
    assert run(hr, [row()]).ok
    before = state()
    report = run(hr, [row(village="龙潭村")])
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号码")]
    assert "已有有效的聘用合同" in report.errors[0].reason
    assert "新寨村" in report.errors[0].reason
    assert state() == before


def test_a_person_with_a_contract_waiting_to_start_is_refused_and_its_post_is_not_free(
    hr, places, township
):
    from contracts.services import contract_draft

    hired = PersonFactory(id_number=ID_B, township=township)
    post = places["龙潭村"].posts.get()
    contract_draft(application=None, person=hired, post=post, start_date=TODAY, by=hr)
    before = state()
    report = run(hr, [row(name="李芳", id=ID_B), row(village="龙潭村")])
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号码"), (3, "村(居、社区)")]
    assert "尚待签订或备案" in report.errors[0].reason
    assert "没有空余岗位" in report.errors[1].reason
    assert state() == before


def test_a_village_without_a_free_post_is_refused(hr, places):
    before = state()
    report = run(hr, [row(village="龙潭村"), row(name="李芳", id=ID_B, village="龙潭村")])
    assert [(e.row, e.column) for e in report.errors] == [(3, "村(居、社区)")]
    assert "没有空余岗位" in report.errors[0].reason
    assert state() == before


def test_a_surplus_or_abolished_post_is_not_free(hr, places):
    post = places["龙潭村"].posts.get()
    Post.objects.filter(pk=post.pk).update(status=PostStatus.SURPLUS)
    report = run(hr, [row(village="龙潭村")])
    assert "没有空余岗位" in report.errors[0].reason


def test_every_bad_row_is_reported_not_only_the_first(hr, places):
    report = run(
        hr,
        [
            row(id="123"),
            row(name="李芳", id=ID_B, education="扫盲"),
            row(name="张三", id=ID_C, village="龙潭村", phone="12345"),
        ],
    )
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "身份证号码"),
        (3, "学历"),
        (4, "手机号码"),
    ]
    assert not Contract.objects.exists()


def test_a_failure_while_writing_rolls_everything_back(hr, places, monkeypatch):
    before = state()
    calls = []

    def failing_occupy(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return original(**kwargs)

    original = importing.post_occupy
    monkeypatch.setattr(importing, "post_occupy", failing_occupy)
    with pytest.raises(RuntimeError):
        run(hr, [row(), row(name="李芳", id=ID_B, village="龙潭村")])
    assert state() == before


def test_townships_of_another_county_are_unknown(hr, places):
    far = CountyFactory(name="镇宁布依族苗族自治县")
    PolicyFactory(county=far)
    far_township = TownshipFactory(county=far, name="丁旗街道")
    make_village(far_township, 1800, name="新寨村")
    report = run(hr, [row(township="丁旗街道")])
    assert report.errors[0].column == "乡镇(街道)"
    assert not Contract.objects.exists()


def test_only_county_hr_may_import(county, places, township):
    committee = UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=county, township=township)
    with pytest.raises(PermissionDenied):
        run(committee, [row()])
    assert not Contract.objects.exists()


# Hostile files -------------------------------------------------------------------------------


def test_a_header_without_the_id_column_is_refused_naming_it(hr, places):
    with pytest.raises(ImportFileError) as exc:
        run(hr, content=csv_bytes([[h for h in HEADER if h != "身份证号码"], row()[:7]]))
    assert "身份证号码" in exc.value.message


def test_a_file_over_the_row_limit_is_refused(hr, places, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [row(name="甲乙", id=make_id_number()) for _n in range(4)]
    with pytest.raises(ImportFileError):
        run(hr, rows)
    assert not Person.objects.exists()


def test_formula_cells_of_a_workbook_are_not_taken_as_values(hr, places):
    """openpyxl writes formulas without a computed value: the cell reads as empty, and the
    import says what is missing instead of storing ``=...``."""
    values = row()
    values[2] = '=CONCATENATE("王","晓燕")'
    values[3] = "=A1"
    report = run(hr, content=xlsx_bytes([HEADER, values]), name="directors.xlsx")
    reasons = {e.column: e.reason for e in report.errors}
    assert "缺少姓名" in reasons["姓名"] and "缺少身份证号码" in reasons["身份证号码"]
    assert not Person.objects.exists()


def post_file(client, name: str, content: bytes):
    return client.post(
        reverse("contracts_import:import"), {"file": SimpleUploadedFile(name, content)}
    )


HOSTILE_ROW = tuple(row())


@pytest.mark.parametrize("case", list(hostile_workbooks(tuple(HEADER), HOSTILE_ROW)))
def test_a_hostile_workbook_gets_a_message(client, hr, places, case):
    content, message = hostile_workbooks(tuple(HEADER), HOSTILE_ROW)[case]
    client.force_login(hr)
    before = state()
    response = post_file(client, "directors.xlsx", content)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert state() == before


@pytest.mark.parametrize("case", list(hostile_csvs(tuple(HEADER), HOSTILE_ROW)))
def test_a_hostile_csv_gets_a_message(client, hr, places, case):
    content, message = hostile_csvs(tuple(HEADER), HOSTILE_ROW)[case]
    client.force_login(hr)
    before = state()
    response = post_file(client, "directors.csv", content)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert state() == before


def test_a_file_over_the_size_limit_is_refused_by_the_form(client, hr, places):
    client.force_login(hr)
    response = post_file(client, "directors.csv", b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "5 MB" in " ".join(response.context["form"].errors["file"])


# The page ------------------------------------------------------------------------------------


def test_the_page_shows_the_layout_and_the_template_links(client, hr):
    client.force_login(hr)
    response = client.get(reverse("contracts_import:import"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "导入在岗村级人口主任" in text and "聘期开始日期" in text
    assert reverse("contracts_import:template") in text


def test_the_menu_links_the_page_for_county_hr_only(client, hr, township):
    client.force_login(hr)
    url = reverse("contracts_import:import")
    assert url in client.get(reverse("organisation:township_list")).content.decode()
    client.force_login(
        UserFactory(role=Role.TOWNSHIP_COMMITTEE, county=hr.county, township=township)
    )
    assert url not in client.get(reverse("organisation:township_list")).content.decode()


def test_the_page_with_a_bad_row_shows_the_report_and_changes_nothing(client, hr, places):
    client.force_login(hr)
    before = state()
    content = csv_bytes(
        [HEADER, row(), row(name="李芳", id=ID_B, village="龙潭村", end="2024-01-01")]
    )
    response = post_file(client, "directors.csv", content)
    assert response.status_code == 400
    text = response.content.decode()
    assert "未导入任何数据" in text and "聘期结束日期" in text and "2024年1月1日" in text
    assert state() == before


def test_the_page_with_a_good_file_shows_the_counts(client, hr, places):
    client.force_login(hr)
    response = post_file(client, "directors.csv", csv_bytes([HEADER, row()]))
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.contracts_created, report.vacancies_opened) == (1, 1)
    assert "已导入" in response.content.decode()


def test_the_template_files_have_the_headers_the_import_reads(client, hr):
    client.force_login(hr)
    response = client.get(reverse("contracts_import:template"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = importing.read_table("t.csv", response.content + csv_bytes([row()]))
    assert set(table.header_map) == set(importing.HEADERS)
    response = client.get(reverse("contracts_import:template") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == importing.TEMPLATE_HEADER


@pytest.mark.parametrize("role", [Role.TOWNSHIP_COMMITTEE, Role.TOWNSHIP_OFFICE])
def test_the_page_is_refused_to_other_roles(client, county, township, role):
    client.force_login(UserFactory(role=role, county=county, township=township))
    assert client.get(reverse("contracts_import:import")).status_code == 403
    assert client.get(reverse("contracts_import:template")).status_code == 403
    before = state()
    response = post_file(client, "directors.csv", csv_bytes([HEADER, row()]))
    assert response.status_code == 403
    assert state() == before


# The demo county ------------------------------------------------------------------------------


def test_the_demo_county_has_imported_directors_two_years_into_their_term():
    from demo.directors import IMPORTED, demo_directors_load, two_years_ago
    from demo.services import demo_load

    demo_load()
    assert demo_directors_load() == len(IMPORTED)
    contracts = Contract.objects.filter(origin=ContractOrigin.IMPORT).select_related(
        "person", "post__village__township"
    )
    assert {c.person.name for c in contracts} == {d.name for d in IMPORTED}
    for contract in contracts:
        assert contract.state == ContractState.ACTIVE
        assert contract.start_date == two_years_ago(TODAY) == datetime.date(2024, 6, 1)
        assert contract.end_date == datetime.date(2027, 5, 31)
        assert contract.post.holder == contract.person
        assert contract.township.name != "花江镇"
        village = contract.post.village.name
        assert contract.person.household_registration.endswith(
            (f"{village}3组", f"{village}第3居民小组")
        )
    # The other vacant posts of their villages are vacant at import; a second load does
    # nothing.
    assert Vacancy.objects.filter(cause=VacancyCause.AT_IMPORT).exists()
    before = state()
    assert demo_directors_load() == 0
    assert state() == before


# Twenty imports of one file at once (PostgreSQL) ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_imports_of_one_file_at_once_import_it_once(hr, places):
    """The county is locked while the rows are checked and written: the first import creates
    the contract, and every other one finds the person already in post and changes nothing
    (never a second contract, never a 500)."""
    from django.db import connections

    from tests.test_hostile_races import race

    content = csv_bytes([HEADER, row()])

    def work(_i):
        try:
            by = type(hr).objects.select_related("county").get(pk=hr.pk)
            return directors_import(file_name="directors.csv", content=content, by=by)
        finally:
            connections.close_all()

    results = race(work)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(report.ok for report in results) == 1
    for report in results:
        if not report.ok:
            assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号码")]
            assert "已有有效的聘用合同" in report.errors[0].reason
    assert Contract.objects.count() == 1
    assert Person.objects.filter(id_number=ID_A).count() == 1
    assert Vacancy.objects.count() == 1  # 新寨村's other post, opened once
