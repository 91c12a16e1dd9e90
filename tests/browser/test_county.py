"""The county's pages in Chromium: county HR keeps the working-day calendar, the policy, the
villages and the people, and reads the audit log; the administrator changes an account's role
in the administration site. Everything is asserted in the Chinese a person reads.

The server's clock stands at 3 September 2026 (``time_machine``; the live server runs in this
process). The built-in calendar ends with 2026, so 2027 is the year county HR enters by hand.
"""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from organisation.importing import villages_import
from people.services import person_update
from tests.browser.pages import AdminPages, StaffPages
from tests.browser.world import (
    PASSWORD,
    SHANGHAI,
    make_world,
    many_people,
    workbook,
)
from workdays.services import dayoverride_create

pytestmark = pytest.mark.browser

NOW = datetime.datetime(2026, 9, 3, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
COUNTY = "关岭布依族苗族自治县"  # CountyFactory's


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, transactional_db):
    return make_world()


@pytest.fixture
def staff(new_page, steps, world):
    """``staff(username)``: that user's browser, signed in."""

    def sign_in(username: str, pages=StaffPages) -> StaffPages:
        user = pages(new_page(username), steps, username)
        user.sign_in(PASSWORD)
        return user

    return sign_in


# The working-day calendar ----------------------------------------------------------------------

NOTE_2027 = (
    "2027 年的法定节假日按《全国年节及纪念日放假办法》推算；该年的调休上班日和调休放假日须待"
    "县级人事管理员录入国务院当年的节假日安排通知后才能确定，目前尚未计入。"
)
# The 2027 statutory holidays the 办法 gives (春节 from 除夕, 5 February 2027).
COMPUTED_2027 = [
    ("2027-01-01", "星期五", "元旦"),
    ("2027-02-05", "星期五", "春节"),
    ("2027-02-08", "星期一", "春节"),
    ("2027-04-05", "星期一", "清明节"),
    ("2027-06-09", "星期三", "端午节"),
    ("2027-09-15", "星期三", "中秋节"),
    ("2027-10-03", "星期日", "国庆节"),
]


def test_county_hr_enters_the_notice_of_a_year_beyond_the_built_in_calendar(staff):
    hr = staff("county_hr")
    hr.open_calendar_year(2027)

    # Before the notice: the holidays are computed, and every page says what is not known.
    expect(hr.calendar_year_row(2027)).to_contain_text("推算的法定节假日，其余按周一至周五")
    expect(hr.calendar_year_row(2027)).to_contain_text(NOTE_2027)
    expect(hr.section("2027 年更正").get_by_role("status")).to_contain_text(NOTE_2027)
    expect(hr.section("2027 年更正")).to_contain_text("本年度暂无更正。")
    computed = hr.section("按《全国年节及纪念日放假办法》推算的 2027 年法定节假日")
    expect(computed).to_contain_text("在录入国务院 2027 年节假日安排通知之前，以下日期按休息日计算")
    expect(computed.locator("tbody tr")).to_have_count(13)
    for day, weekday, name in COMPUTED_2027:
        expect(computed.locator("tbody tr").filter(has_text=day)).to_contain_text(
            f"{weekday}\t{name}"
        )

    # The notice is published: the computed holidays are entered at once, then the days the
    # notice adds: an extra day off and the make-up working days.
    hr.adopt_statutory_holidays(2027)
    expect(hr.message()).to_have_text("已将 2027 年的 13 个法定节假日录入为更正。")
    expect(hr.corrections(2027).locator("tbody tr")).to_have_count(13)
    expect(hr.correction(2027, datetime.date(2027, 2, 5))).to_contain_text("节假日\t春节\t罗敏")
    expect(computed.locator("tbody tr").filter(has_text="2027-02-05")).to_contain_text(
        "节假日 · 春节"
    )
    expect(hr.main().get_by_role("button", name="将以上节假日录入为更正")).to_have_count(0)
    notice = "国务院办公厅关于2027年部分节假日安排的通知"
    hr.add_correction(datetime.date(2027, 2, 9), working=False, name="春节", reason=notice)
    hr.add_correction(datetime.date(2027, 2, 21), working=True, name="春节调休上班", reason=notice)
    hr.add_correction(datetime.date(2027, 10, 8), working=False, name="国庆节", reason=notice)
    expect(hr.correction(2027, datetime.date(2027, 2, 21))).to_contain_text(
        "星期日\t调休上班日\t春节调休上班"
    )

    # Two slips of the pen, put right: a make-up day on the wrong date, a day the notice
    # does not give.
    hr.edit_correction(
        datetime.date(2027, 2, 21),
        to=datetime.date(2027, 2, 20),
        working=True,
        name="春节调休上班",
        reason="录入日期有误，通知为 2 月 20 日（星期六）",
    )
    expect(hr.correction(2027, datetime.date(2027, 2, 21))).to_have_count(0)
    expect(hr.correction(2027, datetime.date(2027, 2, 20))).to_contain_text(
        "星期六\t调休上班日\t春节调休上班"
    )
    hr.remove_correction(datetime.date(2027, 10, 8), reason="通知中 10 月 8 日不放假")

    # The year is complete: its working days follow the corrections alone.
    hr.mark_year_entered(2027)
    expect(hr.calendar_year_row(2027)).to_contain_text("县级录入\t14\t1\t—")
    expect(hr.section("2027 年更正")).to_contain_text(
        f"罗敏已于 {TODAY.isoformat()} 标记为全部录入。"
    )
    expect(hr.section("2027 年更正").get_by_role("status")).to_have_count(0)
    expect(computed).to_have_count(0)
    expect(hr.main().get_by_role("button", name="将 2027 年标记为未录入")).to_be_visible()


def test_a_correction_without_its_kind_and_name_is_refused_with_the_reasons(staff):
    hr = staff("county_hr")
    hr.open_calendar_year(2027)
    with hr.steps.record("save an empty correction", hr.page):
        hr.main().get_by_role("link", name="添加节假日或调休上班日").click()
        expect(hr.heading()).to_have_text("添加节假日或调休上班日")
        status = hr.submit(hr.main().get_by_role("button", name="保存"))
    assert status in (400, 422), status
    expect(hr.heading()).to_have_text("添加节假日或调休上班日")
    expect(hr.main()).to_contain_text("未保存，请修改以下内容：")
    expect(hr.main()).to_contain_text("类型: 此项为必填项。")
    expect(hr.main()).to_contain_text("名称: 此项为必填项。")


# The policy ------------------------------------------------------------------------------------

NEW_TIERS = "0-1500:1\n1501-4999:2\n5000-:3"


def test_county_hr_writes_a_new_policy_version_and_the_villages_follow_it(staff, world):
    version = world.policy.version + 1
    hr = staff("county_hr")
    hr.open_policy(COUNTY)
    expect(hr.policy_versions()).to_have_count(1)
    expect(hr.policy_versions().first).to_contain_text("现行版本")

    # A tier line without its colon: refused, naming the line, nothing saved.
    status = hr.write_policy_version(
        COUNTY,
        effective_from=TODAY,
        note="县卫生健康局2026年9月通知：提高月报酬，调整职数档次。",
        fields={
            "按户籍人口核定的每村职数": "0-1500:1\n1501-4999 2\n5000-:3",
            "月报酬（元）": "1800",
        },
    )
    assert status == 400, status
    expect(hr.main()).to_contain_text(
        "第 2 行（“1501-4999 2”）不是有效的人口档次。请按“最低-最高:岗位数”填写"
    )

    hr.policy_field("按户籍人口核定的每村职数").fill(NEW_TIERS)
    assert hr.submit(hr.main().get_by_role("button", name="保存新版本")) == 302
    expect(hr.heading()).to_contain_text(f"政策第 {version} 版")
    expect(hr.heading()).to_contain_text("现行版本")
    # 城内村 (1800 people) now has two posts: one is created.
    expect(hr.message()).to_contain_text("职数档次已变化：已按新档次核对 3 个村的岗位。")
    expect(hr.message()).to_contain_text("新增岗位：1 个")
    expect(hr.policy_value("月报酬（元）")).to_contain_text("1800")
    expect(hr.policy_value("按户籍人口核定的每村职数")).to_contain_text("1501")
    expect(hr.main()).to_contain_text("县卫生健康局2026年9月通知：提高月报酬，调整职数档次。")

    hr.open_policy(COUNTY)
    expect(hr.policy_versions()).to_have_count(2)
    current = hr.policy_versions().filter(has_text="现行版本")
    expect(current).to_have_count(1)
    expect(current).to_contain_text(f"{version}\t{TODAY.isoformat()}")
    hr.open_menu("村与岗位")
    expect(hr.main().locator("tr").filter(has_text="关索街道")).to_contain_text("4485\t4\t1\t0")


@pytest.mark.xfail(
    strict=True,
    reason="The site shows only the last message of a step (viewflow's snackbar): a new "
    "policy version's 'saved and applies from' message is never seen when the tiers change.",
)
def test_a_new_policy_version_says_it_is_saved_when_the_tiers_change(staff, world):
    version = world.policy.version + 1
    hr = staff("county_hr")
    hr.open_policy(COUNTY)
    status = hr.write_policy_version(
        COUNTY,
        effective_from=TODAY,
        note="调整职数档次。",
        fields={"按户籍人口核定的每村职数": NEW_TIERS},
    )
    assert status == 302
    expect(hr.heading()).to_contain_text(f"政策第 {version} 版")
    expect(hr.message()).to_contain_text("职数档次已变化")
    expect(hr.page.locator("body")).to_contain_text(
        f"第 {version} 版已保存，自 {TODAY.isoformat()} 起生效。", timeout=2000
    )


# Importing villages ----------------------------------------------------------------------------


def test_county_hr_imports_villages_from_the_template_workbook(staff):
    hr = staff("county_hr")
    hr.open_village_import(COUNTY)
    template = hr.download(hr.main().get_by_role("link", name="下载模板（Excel .xlsx）"))
    assert template.filename.endswith(".xlsx"), template.filename

    # The officer fills in the template's sheet, under its header row.
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]][:3] == ["乡镇(街道)", "村(居、社区)", "户籍人口"]
    rows = {
        ("关索街道", "新寨村"): 3200,  # new: 2 posts
        ("关索街道", "北口村"): 2685,  # unchanged
        ("花江镇", "和平村"): 5100,  # grows: a third post
    }
    for (township, village), population in rows.items():
        sheet.append([township, village, population])
    filled = io.BytesIO()
    book.save(filled)

    # The figures of 1 January, as the population information system gives them.
    figures_of = datetime.date(2026, 1, 1)
    status = hr.import_villages("2026年村居人口.xlsx", filled.getvalue(), on=figures_of)
    assert status == 200, status
    result = hr.section("文件已导入")
    expect(result).to_contain_text("2026年村居人口.xlsx：共读取 3 行。")
    expect(hr.import_figure("新增村（居、社区）")).to_have_text("1")
    expect(hr.import_figure("人口数据变更")).to_have_text("1")
    expect(hr.import_figure("未变更村（居、社区）")).to_have_text("1")
    expect(hr.import_figure("新增岗位")).to_have_text("3")

    result.get_by_role("link", name="查看乡镇（街道）和村（居、社区）").click()
    expect(hr.main().locator("tr").filter(has_text="关索街道")).to_contain_text("3\t7685\t5")
    expect(hr.main().locator("tr").filter(has_text="花江镇")).to_contain_text("1\t5100\t3")


HEADER = ["乡镇(街道)", "村(居、社区)", "户籍人口"]
BAD_FILES = [
    pytest.param(
        "村居人口.xlsx",
        b"PK\x03\x04 this is not really a workbook",
        ["无法按 Excel 工作簿（.xlsx）读取该文件。请在 Excel 或 WPS 中重新另存为 .xlsx"],
        id="damaged-workbook",
    ),
    pytest.param(
        "村居人口.xls",
        workbook([HEADER, ["关索街道", "新寨村", 3200]]),
        ["“村居人口.xls”是旧版 Excel 文件（.xls），无法读取。"],
        id="old-excel",
    ),
    pytest.param(
        "村居人口.txt",
        b"guansuo,xinzhai,3200",
        ["只能导入 Excel 工作簿（.xlsx）和 CSV 文件（.csv）"],
        id="text-file",
    ),
    pytest.param(
        "村居人口.xlsx",
        workbook(
            [
                HEADER,
                ["关索街道", "新寨村", 3200],
                ["顶云街道", "石板村", 2100],
                ["关索街道", "坡贡村", "两千"],
            ]
        ),
        [
            "村居人口.xlsx 存在 2 处问题。请修改文件后重新上传",
            "3\t乡镇(街道)\t关岭布依族苗族自治县没有名为“顶云街道”的乡镇（街道）。",
            "4\t户籍人口\t",
        ],
        id="bad-rows",
    ),
]


@pytest.mark.parametrize(("name", "content", "says"), BAD_FILES)
def test_a_bad_village_file_is_refused_with_a_clear_message(staff, world, name, content, says):
    hr = staff("county_hr")
    hr.open_village_import(COUNTY)
    status = hr.import_villages(name, content, on=TODAY)
    assert status == 400, status
    for text in says:
        expect(hr.main()).to_contain_text(text)
    expect(hr.section("文件已导入")).to_have_count(0)
    hr.open_menu("村与岗位")
    expect(hr.main().locator("tr").filter(has_text="关索街道")).to_contain_text("2\t4485\t3")


# People ----------------------------------------------------------------------------------------


def test_county_hr_finds_people_by_name_and_pinyin_and_pages_through_the_list(staff, world):
    many_people(world.own, "李", 55)
    hr = staff("county_hr")
    hr.open_menu("人员")
    expect(hr.heading()).to_have_text("人员")

    # 57 people, 50 a page, by pinyin: the 李 first, 王堃 and 韦春燕 on the second page.
    expect(hr.pages_line()).to_contain_text("第 1 页，共 2 页")
    assert len(hr.people_names()) == 50
    assert "王堃" not in hr.people_names()
    hr.turn_page("下一页", to=2, of=2)
    names = hr.people_names()
    assert len(names) == 7 and names[-2:] == ["王堃", "韦春燕"], names
    hr.turn_page("上一页", to=1, of=2)

    for term, found in [
        ("王堃", ["王堃"]),
        ("wang kun", ["王堃"]),
        ("Wei2 Chun1yan4", ["韦春燕"]),
        ("春燕", ["韦春燕"]),
        (world.people["韦春燕"].id_number.lower(), ["韦春燕"]),
    ]:
        hr.search_people(term)
        assert hr.people_names() == found, (term, hr.people_names())
        row = hr.main().locator("tbody tr").first
        expect(row).to_contain_text("****")  # the ID and phone numbers masked

    hr.search_people("zhang")
    expect(hr.main()).to_contain_text("未查询到符合条件的人员。")

    # A search with many matches pages too, and the pages keep the search.
    hr.search_people("li")
    expect(hr.pages_line()).to_contain_text("第 1 页，共 2 页")
    hr.turn_page("下一页", to=2, of=2)
    expect(hr.main().get_by_label("姓名、拼音或完整身份证号码")).to_have_value("li")
    assert all(name.startswith("李") for name in hr.people_names()), hr.people_names()
    assert len(hr.people_names()) == 5


# The audit log ---------------------------------------------------------------------------------


def test_county_hr_reads_the_audit_log_in_chinese_and_filters_it(staff, world):
    hr_user = world.users["county_hr"]
    person_update(
        person=world.people["王堃"], phone="13908512345", by=hr_user, reason="本人来电更正"
    )
    dayoverride_create(
        date=datetime.date(2027, 2, 20),
        is_working_day=True,
        name="春节调休上班",
        by=hr_user,
        reason="国务院办公厅通知",
    )
    hr = staff("county_hr")
    hr.open_audit()
    rows = hr.audit_rows()
    newest = rows.first
    expect(newest).to_contain_text("罗敏")
    expect(newest).to_contain_text("新建")
    expect(newest).to_contain_text("日历更正：2027-02-20 春节调休上班")
    expect(newest).to_contain_text("日期：2027年2月20日")
    expect(newest).to_contain_text("工作日：是")
    expect(newest).to_contain_text("国务院办公厅通知")

    hr.filter_audit(record_type="人员")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("修改")
    expect(rows.first).to_contain_text("人员：王堃")
    expect(rows.first).to_contain_text("手机号码：188****0593 → 139****2345")
    expect(rows.first).to_contain_text("本人来电更正")
    expect(hr.main()).not_to_contain_text("18812340593")

    hr.filter_audit(record_type="人员", since=TODAY + datetime.timedelta(days=1))
    expect(hr.main()).to_contain_text("没有符合条件的记录。")
    hr.filter_audit(since=TODAY, until=TODAY - datetime.timedelta(days=1))
    expect(hr.main()).to_contain_text("截止日期: 截止日期早于起始日期。")


@pytest.mark.xfail(
    strict=True,
    reason="organisation.services.village_reconcile_posts and organisation.importing store "
    "their audit reasons as English f-strings ('quota 2 for population 2685 (policy v1)', "
    "'import 村居人口.csv row 2'), shown as they are on the Chinese audit log.",
)
def test_the_audit_log_gives_the_reasons_of_village_and_post_changes_in_chinese(staff, world):
    villages_import(
        file_name="村居人口.csv",
        content="乡镇(街道),村(居、社区),户籍人口\n关索街道,北口村,5200\n".encode(),
        default_date=datetime.date(2026, 1, 1),
        by=world.users["county_hr"],
    )
    hr = staff("county_hr")
    hr.open_audit()
    hr.filter_audit(record_type="岗位")
    expect(hr.audit_rows().first).to_contain_text("岗位：关索街道 北口村 3 号岗位")
    hr.filter_audit(record_type="村（居、社区）")
    expect(hr.audit_rows().first).to_contain_text("户籍人口：2685 → 5200")
    hr.filter_audit()
    for english in ("for population", "policy v", "import 村居人口.csv"):
        expect(hr.main()).not_to_contain_text(english, timeout=2000)


# The administrator -----------------------------------------------------------------------------


def test_the_administrator_moves_an_account_to_another_township_and_the_change_is_audited(
    staff, new_page, steps
):
    admin = staff("admin", AdminPages)
    assert isinstance(admin, AdminPages)
    admin.open_admin()
    admin.open_user("guansuo_office")

    # A township role without a township is refused, and nothing is saved.
    assert admin.change_role(role="乡镇选聘领导小组成员", township=None) == 200
    expect(admin.admin_errors()).to_contain_text("该角色须指定乡镇（街道）。")

    status = admin.change_role(role="乡镇选聘领导小组成员", township="花江镇")
    assert status == 302, status
    expect(admin.admin_messages()).to_contain_text("guansuo_office")
    expect(admin.admin_messages()).to_contain_text("成功")

    # The audit log of the staff site says it in words.
    admin.page.goto("/")
    admin.open_audit()
    entry = admin.audit_rows().filter(has_text="用户：岑丽").first
    expect(entry).to_contain_text("陈立新")
    expect(entry).to_contain_text("修改")
    expect(entry).to_contain_text("角色：乡镇计生办工作人员 → 乡镇选聘领导小组成员")
    expect(entry).to_contain_text("乡镇（街道）：关索街道 → 花江镇")
    expect(entry).to_contain_text("在系统管理中修改")

    # The account holder signs in to her new township's work.
    moved = StaffPages(new_page("guansuo_office"), steps, "guansuo_office")
    moved.sign_in(PASSWORD)
    expect(moved.heading()).to_contain_text("乡镇选聘领导小组成员 岑丽")
    moved.see("和平村")
