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

from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.browser.steps import Steps, step


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
