"""The county's pages in Chromium: county HR keeps the working-day calendar, the policy, the
villages and the people, and reads the audit log; the administrator changes an account's role
in the administration site. Everything is asserted in the Chinese a person reads.

The server's clock stands at 3 September 2026 (``time_machine``; the live server runs in this
process). The built-in calendar ends with 2026, so 2027 is the year county HR enters by hand.
"""

import datetime
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from organisation.importing import villages_import
from people.services import person_update
from recruitment.constants import CampaignState, EligibilityRule
from recruitment.models import Campaign
from recruitment.services.review import application_review, waiver_request
from tests.browser.pages import AdminPages, StaffPages, chinese_date, labelled
from tests.browser.world import (
    PASSWORD,
    SHANGHAI,
    make_world,
    many_people,
    open_campaign,
    register,
    workbook,
)
from tests.factories import make_id_number
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
    ("2027年1月1日", "星期五", "元旦"),
    ("2027年2月5日", "星期五", "春节"),
    ("2027年2月8日", "星期一", "春节"),
    ("2027年4月5日", "星期一", "清明节"),
    ("2027年6月9日", "星期三", "端午节"),
    ("2027年9月15日", "星期三", "中秋节"),
    ("2027年10月3日", "星期日", "国庆节"),
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
    expect(computed.locator("tbody tr").filter(has_text="2027年2月5日")).to_contain_text(
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
        f"罗敏已于 {chinese_date(TODAY)} 标记为全部录入。"
    )
    expect(hr.section("2027 年更正").get_by_role("status")).to_have_count(0)
    expect(computed).to_have_count(0)
    # Marked too early by mistake, then again once every day is in.
    with hr.steps.record("mark the year as not entered", hr.page):
        hr.main().get_by_role("button", name="将 2027 年标记为未录入").click()
        expect(hr.message()).to_contain_text("已取消 2027 年的已录入标记。")
    expect(hr.section("2027 年更正").get_by_role("status")).to_contain_text(NOTE_2027)
    hr.mark_year_entered(2027)
    expect(hr.calendar_year_row(2027)).to_contain_text("县级录入")


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
    expect(hr.main()).to_contain_text("类型：此项为必填项。")
    expect(hr.main()).to_contain_text("名称：此项为必填项。")


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
    expect(current).to_contain_text(f"{version}\t{chinese_date(TODAY)}")
    hr.open_menu("村与岗位")
    expect(hr.main().locator("tr").filter(has_text="关索街道")).to_contain_text("4485\t4\t1\t0")


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
        f"第 {version} 版已保存，自 {chinese_date(TODAY)} 起生效。", timeout=2000
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
    expect(hr.main()).to_contain_text("截止日期：截止日期早于起始日期。")


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
    expect(hr.main()).to_contain_text(re.compile(r"政策第\d+版：户籍人口5200人，设3个岗位"))
    expect(hr.main()).to_contain_text("导入 村居人口.csv 第2行")
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


def test_the_administrator_sets_a_new_password_for_a_forgetful_user(staff, new_page, steps):
    admin = staff("admin", AdminPages)
    assert isinstance(admin, AdminPages)
    admin.open_admin()
    admin.open_user("guansuo_office")
    assert admin.reset_password("Xin-Mima-0851") == 302
    expect(admin.admin_messages()).to_contain_text("密码")

    holder = StaffPages(new_page("guansuo_office"), steps, "guansuo_office")
    with steps.record("sign in with the old password", holder.page):
        holder.page.goto("/accounts/login/")
        holder.page.get_by_label("用户名").fill("guansuo_office")
        holder.page.get_by_label("密码").fill(PASSWORD)
        holder.page.get_by_role("button", name="登录").click()
        expect(holder.page.locator("body")).to_contain_text(
            "请输入一个正确的用户名和密码。注意，两者都区分大小写。"
        )
    holder.sign_in("Xin-Mima-0851")
    expect(holder.heading()).to_contain_text("乡镇计生办工作人员 岑丽")


def test_the_administrator_adds_a_township_and_county_hr_sees_it(staff):
    admin = staff("admin", AdminPages)
    assert isinstance(admin, AdminPages)
    admin.open_admin()
    status = admin.add_township(
        county=COUNTY, name="顶云街道", kind="街道", government="顶云街道办事处"
    )
    assert status == 302, status
    expect(admin.admin_messages()).to_contain_text("顶云街道")

    hr = staff("county_hr")
    hr.open_menu("村与岗位")
    expect(hr.main().locator("tr").filter(has_text="顶云街道")).to_contain_text("街道\t0\t0")
    hr.open_audit()
    entry = hr.audit_rows().filter(has_text="乡镇（街道）：顶云街道").first
    expect(entry).to_contain_text("陈立新")
    expect(entry).to_contain_text("新建")
    expect(entry).to_contain_text("在系统管理中修改")


def test_a_second_township_of_the_same_name_is_refused_in_words(staff):
    admin = staff("admin", AdminPages)
    assert isinstance(admin, AdminPages)
    admin.open_admin()
    status = admin.add_township(
        county=COUNTY, name="关索街道", kind="街道", government="关索街道办事处"
    )
    assert status == 200, status
    errors = admin.page.locator("#content-main .errorlist")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("本县已有同名的乡镇（街道）。")


# A person's record -----------------------------------------------------------------------------


def test_county_hr_adds_a_person_corrects_the_record_and_sees_a_full_number_once(staff, world):
    id_number = make_id_number(datetime.date(1990, 7, 1))
    mistyped = id_number[:-1] + ("1" if id_number[-1] == "0" else "0")
    hr = staff("county_hr")
    hr.open_menu("人员")
    with hr.steps.record("add a person", hr.page):
        hr.main().get_by_role("link", name="新增人员").click()
        expect(hr.heading()).to_have_text("新增人员")
        form = hr.main().locator("form")
        form.get_by_label(labelled("姓名")).fill("韦国强")
        form.get_by_label(labelled("身份证号码")).fill(mistyped)
        form.get_by_label(labelled("手机号码")).fill("137 0851 0001")
        form.get_by_label(labelled("学历")).select_option(label="中专")
        form.get_by_label(labelled("户籍所在地")).fill("贵州省关岭自治县花江镇和平村")
        form.get_by_label(labelled("乡镇（街道）")).select_option(label="花江镇")
        form.get_by_label(labelled("村（居、社区）")).select_option(label="花江镇 和平村")
        assert hr.submit(form.get_by_role("button", name="保存")) in (400, 422)
    expect(hr.main()).to_contain_text("身份证号码校验位错误：最后一位应为")
    with hr.steps.record("correct the ID number", hr.page):
        form.get_by_label(labelled("身份证号码")).fill(id_number)
        assert hr.submit(form.get_by_role("button", name="保存")) == 302
    expect(hr.heading()).to_have_text("韦国强")
    expect(hr.message()).to_contain_text("已添加人员：韦国强。")
    record = hr.section("记录")
    expect(record).to_contain_text(f"{id_number[:6]}********{id_number[-4:]}")
    expect(record).to_contain_text("137****0001")
    expect(record).to_contain_text("和平村")

    with hr.steps.record("correct the phone number", hr.page):
        hr.main().get_by_role("link", name="编辑").click()
        expect(hr.heading()).to_have_text("编辑：韦国强")
        form = hr.main().locator("form")
        form.get_by_label(labelled("手机号码")).fill("13985120002")
        form.get_by_label(labelled("修改原因")).fill("本人来电更正手机号码")
        assert hr.submit(form.get_by_role("button", name="保存")) == 302
    expect(hr.message()).to_contain_text("保存成功。")
    expect(hr.section("变更记录")).to_contain_text("手机号码：137****0001 → 139****0002")
    expect(hr.section("变更记录")).to_contain_text("本人来电更正手机号码")

    with hr.steps.record("show the full ID number", hr.page):
        reveal = hr.section("查看完整号码")
        reveal.get_by_label(labelled("查看的号码")).select_option(label="身份证号码")
        reveal.get_by_label(labelled("原因")).fill("填写县备案表")
        assert hr.submit(reveal.get_by_role("button", name="查看")) == 200
    expect(hr.section("身份证号码")).to_contain_text(id_number)
    expect(hr.main()).to_contain_text("本次查看已记入查看记录。其他页面不会显示完整号码。")
    with hr.steps.record("back to the record", hr.page):
        hr.main().get_by_role("link", name="返回人员信息").click()
        expect(hr.heading()).to_have_text("韦国强")
    expect(hr.main()).not_to_contain_text(id_number)
    expect(hr.section("完整号码查看记录")).to_contain_text("罗敏")
    expect(hr.section("完整号码查看记录")).to_contain_text("填写县备案表")


# A village's population, the post register and the policy sheet ------------------------------


def test_county_hr_updates_a_population_and_issues_the_post_register_and_the_policy_sheet(
    staff, world
):
    hr = staff("county_hr")
    hr.open_menu("村与岗位")
    with hr.steps.record("open a village", hr.page):
        hr.main().get_by_role("link", name="关索街道").click()
        expect(hr.heading()).to_have_text("关索街道村（居、社区）")
        hr.main().get_by_role("link", name="城内村").click()
        expect(hr.heading()).to_have_text("城内村")
    with hr.steps.record("change the population", hr.page):
        change = hr.section("变更人口数据")
        change.get_by_label(labelled("户籍人口")).fill("2150")
        change.get_by_label(labelled("数据日期")).fill("2026-09-01")
        change.get_by_label(labelled("原因")).fill("人口信息系统9月数据")
        assert hr.submit(change.get_by_role("button", name="保存人口数据")) == 302
    expect(hr.message()).to_contain_text("城内村的户籍人口现为 2150 人，岗位职数为 2 个。")
    expect(hr.message()).to_contain_text("新增岗位：1 个")
    expect(hr.section("岗位").locator("tbody tr")).to_have_count(2)
    expect(hr.section("人口数据变更记录")).to_contain_text("人口信息系统9月数据")

    with hr.steps.record("issue the post register", hr.page):
        hr.main().get_by_role("link", name="返回关索街道村（居、社区）列表").click()
        expect(hr.heading()).to_have_text("关索街道村（居、社区）")
        register = hr.download(
            hr.main().get_by_role("button", name="签发村级人口主任岗位登记表（PDF）")
        )
    text = register.pdf_text()
    assert "村级人口主任岗位登记表" in text and "城内村" in text and "王堃" in text, text

    hr.open_policy(COUNTY)
    with hr.steps.record("issue the policy sheet", hr.page):
        hr.main().get_by_role(
            "link", name="关岭自治县进一步加强村级人口计生队伍职业化建设实施方案"
        ).click()
        expect(hr.heading()).to_contain_text("现行版本")
        sheet = hr.download(hr.main().get_by_role("button", name="签发政策要点（PDF）"))
    assert "1700" in sheet.pdf_text(), sheet.pdf_text()

    # Both are on the list of issued documents, and download again from there.
    hr.open_menu("文书")
    expect(hr.heading()).to_have_text("已签发文书")
    listed = hr.main().locator("tbody tr")
    expect(listed.filter(has_text="村级人口主任岗位登记表")).to_have_count(1)
    expect(listed.filter(has_text="政策要点")).to_have_count(1)
    with hr.steps.record("download from the list", hr.page):
        again = hr.download(
            listed.filter(has_text="村级人口主任岗位登记表").get_by_role("link", name="下载 PDF")
        )
    assert again.content == register.content
    with hr.steps.record("verify from the list", hr.page):
        listed.filter(has_text="政策要点").locator("td").nth(5).get_by_role("link").click()
        expect(hr.page.locator("h1")).to_have_text("文书核验")
    hr.see("本文书由系统签发，为现行有效版本。", "政策要点")


def test_the_administrator_opens_an_account_whose_holder_signs_in_and_out(staff, new_page, steps):
    admin = staff("admin", AdminPages)
    assert isinstance(admin, AdminPages)
    admin.open_admin()
    status = admin.add_user(
        "beikou_village",
        "Huajiao-Shan-4471",
        surname="罗",
        given_name="永芬",
        role="村（居）两委",
        scope={"县": COUNTY, "乡镇（街道）": "关索街道", "村（居、社区）": "关索街道 北口村"},
    )
    assert status == 302, status
    expect(admin.admin_messages()).to_contain_text("beikou_village")
    expect(admin.page.locator("#content h1")).to_have_text("修改 用户")

    holder = StaffPages(new_page("beikou_village"), steps, "beikou_village")
    holder.sign_in("Huajiao-Shan-4471")
    expect(holder.heading()).to_contain_text("村（居）两委 罗永芬")
    holder.see("北口村")
    holder.sign_out()
    with steps.record("a page after signing out", holder.page):
        holder.page.goto("/people/")
        expect(holder.page).to_have_url(re.compile(r"/accounts/login/\?next=/people/$"))

    admin.page.goto("/")
    admin.open_audit()
    admin.filter_audit(record_type="用户")
    entry = admin.audit_rows().filter(has_text="用户：罗永芬").first
    expect(entry).to_contain_text("新建")
    expect(entry).to_contain_text("角色：村（居）两委")
    expect(entry).to_contain_text("村（居、社区）：关索街道 北口村")


# A waiver the county decides -------------------------------------------------------------------

JUSTIFICATION = "申请人已与本村村民结婚并长期居住，户口迁移手续正在办理，村两委出具了证明。"


@pytest.fixture
def pending_waiver(world, clock):
    """罗昇 registered for 北口村; after registration closed the committee found that the
    household registration fails and asked the county to waive it."""
    campaign = open_campaign(world)
    application = register(
        campaign,
        name="罗昇",
        id_number=make_id_number(datetime.date(1993, 6, 8)),
        phone="13987654321",
    )
    clock.move_to(datetime.datetime(2026, 9, 11, 9, 0, tzinfo=SHANGHAI))
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.REGISTRATION_CLOSED)
    committee = world.users["guansuo_committee"]
    application_review(
        application=application,
        by=committee,
        eligible=False,
        checks=[
            {
                "rule": rule,
                "passed": rule != EligibilityRule.HOUSEHOLD,
                "detail": "户籍在邻县" if rule == EligibilityRule.HOUSEHOLD else "",
            }
            for rule in EligibilityRule.values
        ],
        note="户籍不在本乡镇",
    )
    application.refresh_from_db()
    return waiver_request(
        application=application,
        rule=EligibilityRule.HOUSEHOLD,
        justification=JUSTIFICATION,
        by=committee,
    )


def test_county_hr_finds_a_waiver_waiting_for_a_decision_on_the_dashboard(staff, pending_waiver):
    hr = staff("county_hr")
    waivers = hr.section("待审批的豁免申请")
    with hr.steps.record("follow the dashboard's waiver link", hr.page):
        waivers.get_by_role("link", name="1 项豁免申请待您审批").click()
    expect(hr.main().locator("h1")).to_have_text("待审批的豁免申请")
    expect(hr.main()).to_contain_text("罗昇")


def test_county_hr_decides_a_waiver(staff, pending_waiver):
    hr = staff("county_hr")
    with hr.steps.record("open the waivers", hr.page):
        assert hr.open_address("/recruitment/waivers/") == 200
        expect(hr.heading()).to_have_text("待审批的豁免申请")
    row = hr.main().locator("tbody tr").filter(has_text="罗昇")
    expect(row).to_contain_text("关索街道")
    expect(row).to_contain_text("户籍所在地")
    expect(row).to_contain_text("吴兴华")
    with hr.steps.record("open the waiver", hr.page):
        row.get_by_role("link", name="罗昇").click()
        expect(hr.heading()).to_have_text("是否豁免罗昇的“户籍所在地”条件？")
    hr.see(JUSTIFICATION, "待县级审批")

    form = hr.section("处理").locator("form")
    with hr.steps.record("approve without a note", hr.page):
        form.get_by_label("批准豁免").check()
        status = hr.submit(form.get_by_role("button", name="登记处理决定"))
    assert status in (400, 422), status
    expect(hr.main()).to_contain_text("说明：此项为必填项。")
    with hr.steps.record("approve with a note", hr.page):
        form.get_by_label("批准豁免").check()
        form.get_by_label(labelled("说明")).fill("情况属实，同意放宽户籍条件。")
        assert hr.submit(form.get_by_role("button", name="登记处理决定")) == 302
    expect(hr.heading()).to_have_text("待审批的豁免申请")
    expect(hr.message()).to_contain_text("豁免申请已批准。")
    expect(hr.main()).to_contain_text("暂无待审批的豁免申请。")
    decided = hr.section("最近审批").locator("tbody tr").filter(has_text="罗昇")
    expect(decided).to_contain_text("已批准")
