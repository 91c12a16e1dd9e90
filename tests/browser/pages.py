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
        expect(self.page.locator("h1")).to_have_text("文书验证")

    @step("type verification code")
    def verify_code(self, typed: str) -> None:
        self.page.get_by_label("验证码").fill(typed)
        self.page.get_by_role("button", name="验证", exact=True).click()
        expect(self.page.locator("h1")).to_have_text("文书验证")


def choose(select: Locator, text: str) -> None:
    """Choose the option of ``select`` whose label contains ``text``."""
    value = select.locator("option", has_text=text).get_attribute("value")
    assert value, text
    select.select_option(value)


def date_input(day: datetime.date) -> str:
    return day.isoformat()


def datetime_input(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")
