"""Page helpers: what a person does on a page, in the words on the screen.

Each helper holds one browser page and the test's ``Steps``; each public method is one step
(photographed afterwards, see ``tests.browser.steps``) and waits for the page the action
leads to, asserting what the person must see there. Locators use the visible Chinese labels,
as a person finds the fields; when a page changes, its helper is the one place to adjust.

- ``PublicPages``: anyone on ``/apply/`` and ``/verify/`` (the applicant, on a phone).
- ``StaffPages``: a signed-in member of staff: sign in, the dashboard, the campaign tasks
  ("选聘任务") and the recruitment pages (review, exam, objections).
"""

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote_plus

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.steps import Steps, step


def chinese_date(day: datetime.date) -> str:
    """A date as the staff pages write it: 2026年9月3日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Applicant:
    """What an applicant types into the registration form."""

    name: str
    id_number: str
    phone: str
    village: str
    education: str = "high_school"  # the option's value
    school: str = "关岭民族高级中学"
    graduation_year: int = 2010
    household_registration: str = "贵州省关岭自治县关索街道"


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes

    def pdf_text(self) -> str:
        """The PDF's text without white space (it must be a PDF pypdf can read)."""
        assert self.content.startswith(b"%PDF-"), self.content[:20]
        reader = PdfReader(io.BytesIO(self.content))
        return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


class BasePages:
    def __init__(self, page: Page, steps: Steps) -> None:
        self.page = page
        self.steps = steps

    def main(self) -> Locator:
        return self.page.locator("main")

    def see(self, *texts: str) -> None:
        """Each of ``texts`` is on the page."""
        for text in texts:
            expect(self.page.locator("body")).to_contain_text(text)

    def download(self, link: Locator) -> Download:
        with self.page.expect_download() as info:
            link.click()
        download = info.value
        path = download.path()
        return Download(download.suggested_filename, path.read_bytes())

    @step("switch language")
    def switch_language(self, language: str) -> None:
        """Choose ``language`` (as the list shows it: "English", "简体中文") and switch; the
        same page comes back in that language."""
        url = self.page.url
        switcher = self.page.locator("form.cunpin-language")
        switcher.locator("select").select_option(label=language)
        switcher.get_by_role("button").click()
        lang = {"English": "en", "简体中文": "zh-hans"}[language]
        expect(self.page.locator("html")).to_have_attribute("lang", lang)
        assert self.page.url == url, (self.page.url, url)

    # Added for test_county.py and test_public_more.py (browser-county) ----------------------

    def submit(self, button: Locator) -> int:
        """Press ``button`` of a form that posts; the status of the server's answer to the
        post (302 when it moves on, 400 or 422 when it refuses the form). A refusal is never
        an error page: the caller asserts what the person reads next."""
        action = button.evaluate("button => (button.form && button.form.action) || location.href")

        def answer(response) -> bool:  # not the live checks the page posts meanwhile
            return response.request.method == "POST" and response.url == action

        with self.page.expect_response(answer) as info:
            button.click()
        status = info.value.status
        assert status < 500, f"the server failed ({status}) at {info.value.url}"
        return status

    def open_address(self, path: str) -> int:
        """Type ``path`` into the address bar; the status of the answer."""
        response = self.page.goto(path)
        assert response is not None, path
        return response.status

    def error_page(self) -> Locator:
        """The error page's box (404, 403, 400, 500): standalone, without the staff menu."""
        return self.page.locator("main")


class PublicPages(BasePages):
    """Anyone, without signing in: the applicant's pages and the verify page."""

    @step("open campaigns")
    def open_campaigns(self) -> None:
        response = self.page.goto("/apply/")
        assert response is not None and response.status == 200
        expect(self.page.locator("h1")).to_have_text("村级人口主任公开选聘")

    @step("choose campaign")
    def choose_campaign(self, title: str) -> None:
        self.main().get_by_role("link", name=title).click()
        expect(self.page.locator("h1")).to_have_text(title)

    @step("fill registration")
    def fill_registration(self, applicant: Applicant, *, photo: bytes, certificate: bytes) -> None:
        form = self.page.locator("form.apply")
        choose(form.get_by_label("报考村（居、社区）"), applicant.village)
        form.get_by_label("姓名").fill(applicant.name)
        form.get_by_label("身份证号码").fill(applicant.id_number)
        form.get_by_label("手机号码").fill(applicant.phone)
        form.get_by_label("最高学历").select_option(applicant.education)
        form.get_by_label("毕业院校").fill(applicant.school)
        form.get_by_label("毕业年份").fill(str(applicant.graduation_year))
        form.get_by_label("户籍所在地").fill(applicant.household_registration)
        form.get_by_label("照片").set_input_files(
            {"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": photo}
        )
        form.get_by_label("学历证书").set_input_files(
            {"name": "毕业证书.pdf", "mimeType": "application/pdf", "buffer": certificate}
        )
        form.get_by_label("本人承诺所提交的信息和材料真实、完整。").check()

    def live_message(self, field: str) -> Locator:
        """The line under a field that the live check fills while the person types."""
        return self.page.locator(f'[data-live-for="{field}"]')

    @step("submit registration")
    def submit_registration(self, applicant: Applicant) -> None:
        self.page.get_by_role("button", name="提交报名").click()
        expect(self.page.locator("h1")).to_have_text("报名已提交")
        self.see(f"{applicant.name}，感谢您报名。您报考{applicant.village}的报名信息已登记。")

    @step("download registration form")
    def download_registration_form(self) -> Download:
        return self.download(self.main().get_by_role("link", name="报名表 (PDF)"))

    @step("look up status")
    def look_up(self, id_number: str, phone: str) -> None:
        self.page.get_by_role("link", name="查询报名").first.click()
        expect(self.page.locator("h1")).to_have_text("查询报名")
        form = self.page.locator("form.apply")
        form.get_by_label("身份证号码").fill(id_number)
        form.get_by_label("报名时填写的手机号码").fill(phone)
        form.get_by_role("button", name="查询").click()
        expect(self.page.locator("section.card").first).to_be_visible()

    def status_card(self, campaign_title: str) -> Locator:
        return self.page.locator("section.card").filter(has_text=campaign_title)

    @step("open verify page")
    def open_verify(self) -> None:
        response = self.page.goto("/verify/")
        assert response is not None and response.status == 200
        expect(self.page.locator("h1")).to_have_text("文书核验")

    @step("type verification code")
    def verify_code(self, typed: str) -> None:
        self.page.get_by_label("核验码").fill(typed)
        self.page.get_by_role("button", name="核验", exact=True).click()
        expect(self.page.locator("h1")).to_have_text("文书核验")

    # Added for test_public_more.py (browser-county) -----------------------------------------

    def registration_form(self) -> Locator:
        return self.page.locator("form.apply")

    def registration_errors(self) -> Locator:
        """The box above a refused registration form, one line a problem: "label: message"."""
        return self.registration_form().locator(".errors")

    def field(self, name: str) -> Locator:
        """One field of the registration form, with its label, input and messages."""
        return self.registration_form().locator(f'[data-field="{name}"]')

    @step("attach the files again")
    def attach_files(self, *, photo: bytes, certificate: bytes, photo_name="照片.jpg") -> None:
        """After a refusal the browser forgets the files: the person attaches them again."""
        form = self.registration_form()
        mime = "image/png" if photo_name.endswith(".png") else "image/jpeg"
        form.get_by_label("照片").set_input_files(
            {"name": photo_name, "mimeType": mime, "buffer": photo}
        )
        form.get_by_label("学历证书").set_input_files(
            {"name": "毕业证书.pdf", "mimeType": "application/pdf", "buffer": certificate}
        )

    @step("submit a registration that is refused")
    def submit_refused_registration(self) -> None:
        """Press "提交报名"; the form comes back with the problems listed above it."""
        status = self.submit(self.page.get_by_role("button", name="提交报名"))
        assert status == 400, status
        expect(self.registration_errors()).to_contain_text(
            "报名未成功。请修改以下内容，并重新上传文件："
        )

    @step("open withdrawal")
    def open_withdrawal(self, campaign_title: str) -> None:
        """From the status page, follow "撤回此次报名" on the card of ``campaign_title``."""
        self.status_card(campaign_title).get_by_role("link", name="撤回此次报名").click()
        expect(self.page.locator("h1")).to_have_text("撤回报名")

    @step("withdraw the application")
    def withdraw(self, *, confirmed: bool) -> int:
        """Press "确认撤回报名", with the confirmation ticked or not; the status."""
        if confirmed:
            self.page.get_by_label("本人撤回此次报名，不参加考试。").check()
        return self.submit(self.page.get_by_role("button", name="确认撤回报名"))


def choose(select: Locator, text: str) -> None:
    """Choose the option of ``select`` whose label contains ``text``."""
    value = select.locator("option", has_text=text).get_attribute("value")
    assert value, text
    select.select_option(value)


def date_input(day: datetime.date) -> str:
    return day.isoformat()


def datetime_input(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class CampaignPlan:
    """What the committee member types into the form that opens a campaign."""

    title: str
    seats: dict[str, int]  # village name: posts offered
    registration: tuple[datetime.date, datetime.date]
    written_exam_at: datetime.datetime
    interview_at: datetime.datetime
    venue: str
    contact: str
    panel: int  # interview panel members


class StaffPages(BasePages):
    """A member of staff in the staff site."""

    def __init__(self, page: Page, steps: Steps, username: str) -> None:
        super().__init__(page, steps)
        self.username = username

    # Signing in and finding one's way ---------------------------------------------------------

    @step("sign in")
    def sign_in(self, password: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("用户名").fill(self.username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        expect(self.page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # the dashboard
        expect(self.heading()).to_be_visible()

    def heading(self) -> Locator:
        return self.main().locator("h1")

    @step("open menu entry")
    def open_menu(self, entry: str) -> None:
        """Follow ``entry`` of the site menu, "主导航" (工作台, 选聘, 选聘任务 ...)."""
        link = self.page.get_by_role("navigation", name="主导航").get_by_role(
            "link", name=entry, exact=True
        )
        href = link.get_attribute("href") or ""
        link.click()
        expect(self.page).to_have_url(re.compile(re.escape(href) + "$"))

    @step("open campaign tasks")
    def open_campaign_tasks(self) -> None:
        self.open_menu("选聘任务")
        expect(self.heading()).to_have_text("选聘任务")

    @step("open my task")
    def open_my_task(self, task: str, campaign: str) -> None:
        """On "选聘任务", follow ``task`` of ``campaign`` under "我的任务"."""
        self.open_campaign_tasks()
        mine = (
            self.main()
            .locator("section")
            .filter(has=self.page.get_by_role("heading", name="我的任务"))
        )
        row = mine.locator("tr").filter(has_text=campaign).filter(has_text=task)
        row.get_by_role("link", name=task).click()
        expect(self.heading()).to_have_text(task)

    @step("finish the step")
    def finish(self, button: str, *, then: str) -> None:
        """Press the task's finishing button; the message ``then`` says the step is done."""
        self.main().get_by_role("button", name=button).click()
        self.see(then)

    @step("open campaign page")
    def open_campaign(self, title: str) -> None:
        self.open_menu("选聘")
        self.main().get_by_role("link", name=title).click()
        expect(self.heading()).to_have_text(title)

    def campaign_state(self) -> Locator:
        """The state line under the campaign page's title."""
        return self.main().locator("h1 + p strong")

    def documents(self) -> Locator:
        """The "文书" section of a campaign or application page."""
        return (
            self.main()
            .locator("section")
            .filter(has=self.page.get_by_role("heading", name="文书", exact=True))
        )

    # The campaign's steps ---------------------------------------------------------------------

    @step("open a campaign")
    def open_new_campaign(self, plan: CampaignPlan) -> None:
        self.open_campaign_tasks()
        self.main().get_by_role("link", name="发起选聘").click()
        expect(self.heading()).to_have_text("发起选聘")
        form = self.main().locator("form")
        form.get_by_label("标题").fill(plan.title)
        form.get_by_label("种类").select_option(label="公开选聘")
        form.get_by_label("报名开始日期").fill(date_input(plan.registration[0]))
        form.get_by_label("报名截止日期").fill(date_input(plan.registration[1]))
        form.get_by_label("笔试时间").fill(datetime_input(plan.written_exam_at))
        form.get_by_label("面试时间").fill(datetime_input(plan.interview_at))
        form.get_by_label("考试地点").fill(plan.venue)
        form.get_by_label("咨询方式").fill(plan.contact)
        form.get_by_label("面试考官人数").select_option(str(plan.panel))
        for village, seats in plan.seats.items():
            form.get_by_label(village, exact=True).fill(str(seats))
        form.get_by_role("button", name="发起选聘").click()
        self.see(f"已发起选聘“{plan.title}”")

    @step("approve the announcement")
    def approve_announcement(self) -> None:
        self.main().get_by_label("批准：发布公告并开始报名").check()
        self.finish("登记处理决定", then="公告已批准，报名已开始。")

    @step("review an application")
    def review(self, name: str) -> None:
        """From the review task, check ``name``'s application and find it eligible: every
        rule is ticked once the scans are seen."""
        task_url = self.page.url
        row = self.main().locator("tr").filter(has_text=name)
        row.get_by_role("link", name="审查").click()
        expect(self.heading()).to_have_text(name)
        checklist = self.main().locator("form")
        boxes = checklist.get_by_role("checkbox")
        for index in range(boxes.count()):
            boxes.nth(index).check()
        checklist.get_by_label("资格审查合格").check()
        checklist.get_by_role("button", name="登记结论并签发审查结果").click()
        expect(self.main().locator("dd strong").first).to_have_text("资格审查合格")
        self.page.goto(task_url)

    @step("enter written scores")
    def enter_written_scores(self, scores: dict[str, str]) -> None:
        """From the written-scores task: type each candidate's score, save the room."""
        task_url = self.page.url
        self.main().get_by_role("link", name="录入成绩和缺考情况").click()
        expect(self.heading()).to_have_text("笔试成绩")
        room = self.main().locator("form").filter(has=self.page.locator("table"))
        for name, score in scores.items():
            room.get_by_label(f"{name}的笔试成绩").fill(score)
        room.get_by_role("button", name="保存本考场成绩").click()
        self.see("笔试成绩")
        for name, score in scores.items():
            saved = self.main().get_by_label(f"{name}的笔试成绩").input_value()
            assert Decimal(saved) == Decimal(score), (name, saved, score)
        self.page.goto(task_url)

    @step("enter interview marks")
    def enter_interview_marks(self, name: str, marks: list[tuple[str, str]]) -> None:
        """From the interview task: the panel's (member, mark) for ``name``."""
        task_url = self.page.url
        row = self.main().locator("tr").filter(has_text=name)
        row.get_by_role("link", name="评分").click()
        expect(self.heading()).to_contain_text(name)
        for seat, (member, mark) in enumerate(marks, start=1):
            self.main().get_by_label(f"{seat} 号面试考官", exact=True).fill(member)
            self.main().get_by_label(f"{seat} 号面试考官评分", exact=True).fill(mark)
        self.main().get_by_role("button", name="保存评分").click()
        expect(self.heading()).not_to_contain_text(name)
        self.page.goto(task_url)
        expect(self.main().locator("tr").filter(has_text=name)).to_contain_text(
            f"{len(marks)} / {len(marks)}"
        )

    @step("record an objection")
    def record_objection(self, name: str, received_on: datetime.date, by: str, says: str) -> None:
        task_url = self.page.url
        self.main().get_by_role("link", name="登记异议").click()
        expect(self.heading()).to_have_text("登记异议")
        form = self.main().locator("form")
        choose(form.get_by_label("被提出异议的拟聘用人员"), name)
        form.get_by_label("收到日期").fill(date_input(received_on))
        form.get_by_label("提出人").fill(by)
        form.get_by_label("异议内容").fill(says)
        form.get_by_role("button", name="记录").click()
        expect(self.heading()).not_to_have_text("登记异议")
        self.page.goto(task_url)

    @step("decide an objection")
    def decide_objection(self, name: str, *, upheld: bool, finding: str) -> None:
        task_url = self.page.url
        row = self.main().locator("tr").filter(has_text=name).filter(has_text="处理")
        row.get_by_role("link", name="处理").click()
        expect(self.heading()).to_have_text("处理异议")
        form = self.main().locator("form")
        decision = "成立：该人员不予聘用" if upheld else "不成立：该人员仍为拟聘用人员"
        form.get_by_label(decision).check()
        form.get_by_label("核查情况").fill(finding)
        form.get_by_role("button", name="登记处理决定").click()
        expect(self.heading()).not_to_have_text("处理异议")
        self.page.goto(task_url)

    @step("close the public notice")
    def close_notice(self) -> None:
        """Irreversible: the step asks for a ticked confirmation first."""
        self.main().get_by_role("button", name="结束公示").click()
        self.see("请勾选确认；此操作不能撤销。")
        self.main().get_by_label(re.compile("^我确认结束公示")).check()
        self.finish("结束公示", then="公示期已满，所有异议均已处理。")

    @step("confirm the hires")
    def confirm_hires(self, start: datetime.date, *, title: str) -> None:
        """Irreversible: asks for a ticked confirmation; then the campaign's page, with the
        documents just issued."""
        self.main().get_by_label("聘用合同起始日期").fill(date_input(start))
        self.main().get_by_role("button", name="确认聘用").click()
        self.see("请勾选确认；此操作不能撤销。")
        self.main().get_by_label("聘用合同起始日期").fill(date_input(start))
        self.main().get_by_label(re.compile("^我确认聘用")).check()
        self.finish("确认聘用", then="聘用已确认")
        expect(self.heading()).to_have_text(title)

    # ------------------------------------------------------------------------------------------
    # Mending, objections, cancelling, dashboards and records (test_township_mending.py,
    # test_dashboards.py, test_review_and_records.py): kept together at the end of the class.
    # ------------------------------------------------------------------------------------------
    # County HR: calendar, policy, villages, people, audit (browser-county) -------------------
    # Added for test_county.py; keep this block together at the end of the class.

    def section(self, heading: str) -> Locator:
        """The section of the page under the heading ``heading``."""
        return (
            self.main()
            .locator("section")
            .filter(has=self.page.get_by_role("heading", name=heading, exact=True))
        )

    def history(self) -> Locator:
        """The change log ("变更记录") of a record's page."""
        return self.section("变更记录")

    def history_entry(self, what: str) -> Locator:
        """The change log's entries whose "操作" reads ``what``."""
        return self.history().locator("tbody tr").filter(has_text=what)

    def row(self, text: str, *, within: Locator | None = None) -> Locator:
        """The table rows containing ``text`` (of the page, or of ``within``)."""
        return (within or self.main()).locator("tr").filter(has_text=text)

    @step("open menu entry")
    def navigate(self, entry: str) -> None:
        """``open_menu`` on any screen: on a phone the site menu is a drawer behind the top
        bar's menu button."""
        navigation = self.page.get_by_role("navigation", name="主导航")
        if not navigation.is_visible():
            self.page.get_by_role("banner").locator(".vf-page__menu-toggle").click()
            expect(navigation).to_be_visible()
        self.open_menu(entry)

    @step("open the dashboard")
    def open_dashboard(self) -> None:
        """The site menu's "工作台"; its first section is the user's tasks ("我的任务")."""
        self.navigate("工作台")
        expect(self.main().locator("h2").first).to_have_text("我的任务")

    @step("open a campaign's exam scores")
    def open_written_scores(self, title: str) -> None:
        """From the campaign's page: "考试", then "2. 笔试成绩"."""
        self.open_campaign(title)
        self.main().get_by_role("link", name="考试", exact=True).click()
        expect(self.heading()).to_have_text("考生名单")
        self.main().get_by_role("link", name="2. 笔试成绩").click()
        expect(self.heading()).to_have_text("笔试成绩")

    @step("save a room's written scores")
    def save_room(self, scores: dict[str, str | None]) -> None:
        """On the written scores page: each candidate's score, or ``None`` to tick them
        absent; then save the room."""
        for name, score in scores.items():
            row = self.row(name)
            if score is None:
                row.get_by_role("checkbox").check()
            else:
                row.get_by_role("textbox").fill(score)
        self.main().get_by_role("button", name="保存本考场成绩").click()
        self.see("第 01 考场已保存")
        for name, score in scores.items():
            state = "缺考" if score is None else "已录入笔试成绩"
            expect(self.row(name).locator("td").last).to_contain_text(state)

    @step("mend a mistaken absence")
    def mend_absence(self, name: str, score: str, reason: str) -> None:
        """From the written scores page: "误记缺考？" in ``name``'s row, the score from the
        room's sheet and the reason."""
        self.row(name).get_by_role("link", name="误记缺考？").click()
        expect(self.heading()).to_contain_text(f"补录{name}")
        form = self.main().locator("form")
        form.get_by_label("笔试成绩").fill(score)
        form.get_by_label("误记缺考的原因").fill(reason)
        form.get_by_role("button", name="补录成绩").click()
        expect(self.heading()).to_have_text("笔试成绩")
        self.see(f"已补录{name}的笔试成绩 {score}")

    @step("open the applications")
    def open_applications(self, title: str) -> None:
        """From the campaign's page, its applications ("报名人员")."""
        self.open_campaign(title)
        self.main().get_by_role("link", name="报名人员").click()
        expect(self.main().get_by_label("姓名或完整身份证号码")).to_be_visible()
        expect(self.heading()).to_have_text(title)

    @step("open an application")
    def open_application(self, name: str) -> None:
        """From the applications list, ``name``'s page."""
        self.row(name).get_by_role("link", name=name, exact=True).click()
        expect(self.heading()).to_have_text(name)

    @step("record the review")
    def record_review(self, *, unmet: dict[str, str] | None = None, note: str = "") -> None:
        """On an application's page: tick every rule except those of ``unmet`` (rule: why
        not), decide eligible when nothing is unmet, else not eligible with ``note``."""
        unmet = unmet or {}
        checklist = self.section("资格审查清单")
        for row in checklist.locator("tbody tr").all():
            rule = row.locator("th").inner_text().strip()
            box = row.get_by_role("checkbox")
            if rule in unmet:
                box.uncheck()
                row.get_by_role("textbox").fill(unmet[rule])
            else:
                box.check()
        decision = "资格审查不合格" if unmet else "资格审查合格"
        checklist.get_by_label(decision).check()
        if note:
            checklist.get_by_label("说明").fill(note)
        checklist.get_by_role("button", name="登记结论并签发审查结果").click()
        expect(self.main().locator("dd strong").first).to_have_text(decision)

    @step("follow the next application to review")
    def next_to_review(self, name: str) -> None:
        self.main().get_by_role("link", name=re.compile(f"^下一位待审查：{name}")).click()
        expect(self.heading()).to_have_text(name)

    @step("open the campaign's process")
    def open_process(self, title: str) -> None:
        """From "选聘任务", the campaign's process ("选聘流程")."""
        self.open_campaign_tasks()
        self.main().get_by_role("link", name=title).first.click()
        expect(self.heading()).to_have_text("选聘流程")

    @step("fill in the cancellation")
    def fill_cancellation(self, reason: str, *, confirm: bool) -> None:
        """On the process's page, "取消选聘及其流程": the reason, the ticked confirmation
        (or not), and the button."""
        self.main().get_by_role("link", name="取消选聘及其流程").click()
        expect(self.heading()).to_have_text("取消选聘及其流程")
        form = self.main().locator("form")
        form.get_by_label("原因").fill(reason)
        if confirm:
            form.get_by_label(re.compile("^我确认")).check()
        form.get_by_role("button", name="取消选聘").click()

    @step("search documents")
    def search_documents(self, term: str) -> None:
        """On "文书": the person's name, pinyin or ID number, then "筛选"."""
        self.navigate("文书")
        expect(self.heading()).to_have_text("已签发文书")
        self.main().get_by_label("人员：姓名、拼音或完整身份证号码").fill(term)
        self.main().get_by_role("button", name="筛选").click()
        expect(self.page).to_have_url(re.compile(re.escape(f"q={quote_plus(term)}") + "(&|$)"))

    def document_rows(self) -> Locator:
        return self.main().locator("tbody tr")

    @step("open a person")
    def open_person(self, name: str) -> None:
        """On "人员": search ``name`` and open their page."""
        self.navigate("人员")
        self.main().get_by_label("姓名、拼音或完整身份证号码").fill(name)
        self.main().get_by_role("button", name="查询").click()
        self.row(name).get_by_role("link", name=name).click()
        expect(self.heading()).to_contain_text(name)

    def message(self) -> Locator:
        """The message the site shows after a step (the snackbar at the foot of the page)."""
        return self.page.locator("vf-snackbar")

    @step("show a year of the calendar")
    def open_calendar_year(self, year: int) -> None:
        """ "工作日日历" in the menu, then the year typed into "查看年份"."""
        self.open_menu("工作日日历")
        expect(self.heading()).to_have_text("工作日日历")
        self.main().get_by_label("查看年份").fill(str(year))
        self.main().get_by_role("button", name="查看", exact=True).click()
        expect(self.main().get_by_role("heading", name=f"{year} 年更正")).to_be_visible()

    def calendar_year_row(self, year: int) -> Locator:
        """The year's line in the "年份" table."""
        return (
            self.section("年份")
            .locator("tbody tr")
            .filter(has=self.page.get_by_role("link", name=str(year), exact=True))
        )

    def corrections(self, year: int) -> Locator:
        """The table of the year's corrections."""
        return self.section(f"{year} 年更正").locator("table")

    def correction(self, year: int, day: datetime.date) -> Locator:
        return self.corrections(year).locator("tbody tr").filter(has_text=chinese_date(day))

    @step("enter the computed statutory holidays")
    def adopt_statutory_holidays(self, year: int) -> None:
        self.main().get_by_role("button", name="将以上节假日录入为更正").click()
        expect(self.message()).to_contain_text(f"已将 {year} 年的")
        expect(self.message()).to_contain_text("个法定节假日录入为更正。")

    @step("add a calendar correction")
    def add_correction(
        self, day: datetime.date, *, working: bool, name: str, reason: str = ""
    ) -> None:
        """ "添加节假日或调休上班日": one day of the State Council's notice."""
        self.main().get_by_role("link", name="添加节假日或调休上班日").click()
        expect(self.heading()).to_have_text("添加节假日或调休上班日")
        self._fill_correction(day, working=working, name=name, reason=reason)
        self.main().get_by_role("button", name="保存").click()
        expect(self.message()).to_contain_text(f"已登记 {chinese_date(day)} {name}。")
        expect(self.correction(day.year, day)).to_contain_text(name)

    def _fill_correction(
        self, day: datetime.date, *, working: bool, name: str, reason: str
    ) -> None:
        form = self.main().locator("form")
        form.get_by_label("日期").fill(date_input(day))
        kind = "调休上班日（调休上班）" if working else "节假日或休息日（放假）"
        form.get_by_label(kind).check()
        form.get_by_label("名称").fill(name)
        form.get_by_label("依据或原因").fill(reason)

    @step("edit a calendar correction")
    def edit_correction(
        self, day: datetime.date, *, to: datetime.date, working: bool, name: str, reason: str
    ) -> None:
        """ "编辑" on the line of ``day``: the correction moves ``to`` another date (or stays)."""
        self.correction(day.year, day).get_by_role("link", name="编辑").click()
        expect(self.heading()).to_have_text(f"编辑 {chinese_date(day)} 的更正")
        self._fill_correction(to, working=working, name=name, reason=reason)
        self.main().get_by_role("button", name="保存").click()
        expect(self.message()).to_contain_text("更正已保存。")
        expect(self.correction(to.year, to)).to_contain_text(name)

    @step("remove a calendar correction")
    def remove_correction(self, day: datetime.date, *, reason: str) -> None:
        self.correction(day.year, day).get_by_role("link", name="删除").click()
        expect(self.heading()).to_have_text("删除更正")
        self.main().get_by_label("原因").fill(reason)
        self.main().get_by_role("button", name="删除").click()
        expect(self.message()).to_contain_text("更正已删除。")
        expect(self.correction(day.year, day)).to_have_count(0)

    @step("mark the year as entered")
    def mark_year_entered(self, year: int) -> None:
        self.main().get_by_role("button", name=f"将 {year} 年标记为全部录入").click()
        expect(self.message()).to_contain_text(
            f"已将 {year} 年标记为已录入：该年工作日按您录入的更正计算。"
        )

    @step("open the policy")
    def open_policy(self, county: str) -> None:
        self.open_menu("政策")
        expect(self.heading()).to_have_text(f"{county}政策版本")

    def policy_versions(self) -> Locator:
        return self.main().locator("table tbody tr")

    @step("write a new policy version")
    def write_policy_version(
        self,
        county: str,
        *,
        effective_from: datetime.date,
        note: str,
        fields: dict[str, str],
    ) -> int:
        """ "新建版本": the form starts from the version in force; ``fields`` are typed over
        it (label: text), then "保存新版本". The status of the answer."""
        self.main().get_by_role("link", name="新建版本").click()
        expect(self.heading()).to_have_text(f"新建{county}政策版本")
        form = self.main().locator("form")
        form.get_by_label("生效日期").fill(date_input(effective_from))
        form.get_by_label("修改内容").fill(note)
        for label, text in fields.items():
            self.policy_field(label).fill(text)
        return self.submit(form.get_by_role("button", name="保存新版本"))

    def policy_field(self, label: str) -> Locator:
        """A field of the policy form by its label (which ends with a colon)."""
        return self.main().locator("form").get_by_label(labelled(label))

    def policy_value(self, label: str) -> Locator:
        """The value of one number of the policy version shown."""
        return (
            self.main()
            .locator("tr")
            .filter(has=self.page.get_by_role("rowheader", name=label, exact=True))
            .locator("td")
        )

    @step("open the village import")
    def open_village_import(self, county: str) -> None:
        self.open_menu("村与岗位")
        self.main().get_by_role("link", name="导入村（居、社区）及人口数据").click()
        expect(self.heading()).to_have_text(f"导入{county}村（居、社区）及人口数据")

    @step("upload a file of villages")
    def import_villages(self, name: str, content: bytes, *, on: datetime.date) -> int:
        """Attach the file, give the date of its figures and press "导入"; the status."""
        form = self.section("上传文件").locator("form")
        mime = {
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".csv": "text/csv",
        }.get(name[name.rfind(".") :], "application/octet-stream")
        form.get_by_label("文件").set_input_files(
            {"name": name, "mimeType": mime, "buffer": content}
        )
        form.get_by_label("人口数据日期").fill(date_input(on))
        status = self.submit(form.get_by_role("button", name="导入"))
        expect(self.heading()).to_contain_text("村（居、社区）及人口数据")
        return status

    def import_figure(self, label: str) -> Locator:
        """One count of a successful import ("新增村（居、社区）", "新增岗位" ...)."""
        return self.section("文件已导入").locator("li").filter(has_text=label).locator("strong")

    @step("search people")
    def search_people(self, term: str) -> None:
        self.main().get_by_label("姓名、拼音或完整身份证号码").fill(term)
        self.main().get_by_role("button", name="查询").click()
        expect(self.page).to_have_url(re.compile(r"/people/\?q="))

    def people_names(self) -> list[str]:
        """The names in the people list, in order."""
        return self.main().locator("tbody th").all_inner_texts()

    def pages_line(self) -> Locator:
        """The pagination bar under a list ("第 1 页，共 2 页" and its links)."""
        return self.main().get_by_role("navigation", name="分页")

    @step("turn the page")
    def turn_page(self, link: str, *, to: int, of: int) -> None:
        """Follow "下一页" or "上一页"."""
        self.pages_line().get_by_role("link", name=link).click()
        expect(self.pages_line()).to_contain_text(f"第 {to} 页，共 {of} 页")

    @step("open the audit log")
    def open_audit(self) -> None:
        self.open_menu("审计日志")
        expect(self.heading()).to_have_text("审计日志")

    @step("filter the audit log")
    def filter_audit(
        self,
        *,
        record_type: str = "全部",
        since: datetime.date | None = None,
        until: datetime.date | None = None,
    ) -> None:
        form = self.main().locator("form")
        form.get_by_label("记录类型").select_option(label=record_type)
        form.get_by_label("起始日期").fill(date_input(since) if since else "")
        form.get_by_label("截止日期").fill(date_input(until) if until else "")
        form.get_by_role("button", name="筛选").click()
        expect(self.page).to_have_url(re.compile(r"/audit/\?"))

    def audit_rows(self) -> Locator:
        return self.main().locator("table.cunpin-audit tbody tr")

    @step("sign out")
    def sign_out(self) -> None:
        """The menu under one's name, then "退出登录": back to the sign-in page."""
        self.page.locator(".vf-page__menu-toggle-button").click()
        self.page.get_by_role("button", name="退出登录").click()
        expect(self.page).to_have_url(re.compile(r"/accounts/login/$"))
        expect(self.page.get_by_role("button", name="登录")).to_be_visible()


class AdminPages(StaffPages):
    """The administrator in Django's administration site ("系统管理"), in Chinese
    (browser-county)."""

    @step("open the administration site")
    def open_admin(self) -> None:
        self.open_menu("系统管理")
        expect(self.page.locator("#content h1")).to_have_text("站点管理")

    @step("open a user account")
    def open_user(self, username: str) -> None:
        """ "账号与角色 › 用户", then the account."""
        self.page.locator("#content-main").get_by_role("link", name="用户", exact=True).click()
        expect(self.page.locator("#content h1")).to_have_text("选择 用户 来修改")
        self.page.locator("#result_list").get_by_role("link", name=username, exact=True).click()
        expect(self.page.locator("#content h1")).to_have_text("修改 用户")

    @step("change the role and scope")
    def change_role(self, *, role: str, township: str | None) -> int:
        """Under "角色与管辖范围": the role and the township (as the lists show them; None
        for none), then "保存"; the status of the answer."""
        form = self.page.locator("#user_form")
        form.get_by_label(labelled("角色")).select_option(label=role)
        form.get_by_label(labelled("乡镇（街道）")).select_option(label=township or "---------")
        return self.submit(form.get_by_role("button", name="保存", exact=True))

    @step("open a new account")
    def add_user(
        self,
        username: str,
        password: str,
        *,
        surname: str,
        given_name: str,
        role: str,
        scope: dict[str, str],
    ) -> int:
        """ "用户" › "增加 用户": name, password, role and scope (label: option, e.g.
        {"县": ..., "乡镇（街道）": ...}), then "保存"; the status of the answer."""
        self.page.locator("#content-main").get_by_role("link", name="用户", exact=True).click()
        self.page.locator("#content-main").get_by_role("link", name="增加 用户").click()
        expect(self.page.locator("#content h1")).to_have_text("增加 用户")
        self.page.wait_for_load_state("load")  # the admin's scripts set the form up first
        form = self.page.locator("#user_form")
        enabled = form.get_by_role("radio", name="启用")
        if enabled.count():
            enabled.check()
        form.get_by_label(labelled("用户名")).fill(username)
        form.get_by_label(labelled("密码"), exact=True).fill(password)
        form.get_by_label(labelled("密码确认")).fill(password)
        form.get_by_label(labelled("姓氏")).fill(surname)
        form.get_by_label(labelled("名字")).fill(given_name)
        form.get_by_label(labelled("角色")).select_option(label=role)
        for label, option in scope.items():
            form.get_by_label(labelled(label)).select_option(label=option)
        expect(form.get_by_label(labelled("用户名"))).to_have_value(username)
        return self.submit(form.get_by_role("button", name="保存", exact=True))

    @step("set a new password")
    def reset_password(self, password: str) -> int:
        """On an account's page, "重置密码": the new password twice; the status."""
        self.page.locator("#user_form").get_by_role("link", name="重置密码").click()
        form = self.page.locator("#content-main form")
        form.get_by_label(labelled("密码"), exact=True).fill(password)
        form.get_by_label(labelled("密码确认")).fill(password)
        return self.submit(form.locator('input[type="submit"], button[type="submit"]').first)

    @step("add a township")
    def add_township(self, *, county: str, name: str, kind: str, government: str) -> int:
        """ "组织机构" › "乡镇（街道）" › "增加 乡镇（街道）"; the status of the answer."""
        self.page.locator("#content-main").get_by_role(
            "link", name="乡镇（街道）", exact=True
        ).click()
        self.page.locator("#content-main").get_by_role("link", name="增加 乡镇（街道）").click()
        expect(self.page.locator("#content h1")).to_have_text("增加 乡镇（街道）")
        form = self.page.locator("#content-main form")
        form.get_by_label(labelled("县")).select_option(label=county)
        form.get_by_label(labelled("名称")).fill(name)
        form.get_by_label(labelled("种类")).select_option(label=kind)
        form.get_by_label(labelled("政府机关")).fill(government)
        return self.submit(form.locator('input[name="_save"]'))

    def admin_messages(self) -> Locator:
        return self.page.locator("ul.messagelist")

    def admin_errors(self) -> Locator:
        return self.page.locator("#user_form .errorlist")


def labelled(label: str) -> re.Pattern:
    """The accessible name of a field labelled ``label`` by Django, which adds a colon."""
    return re.compile(rf"^{re.escape(label)}[:：]?$")
