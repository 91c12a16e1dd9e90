"""The paperwork engine: real PDFs rendered, read back with pypdf, and the rules around them."""

import datetime
import hashlib
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
import time_machine
from django.conf import settings
from django.core.checks import Error, Warning
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from pypdf.generic import ByteStringObject, ContentStream, TextStringObject

from accounts.constants import Role
from audit.models import AuditEntry
from core.files import discard_uncommitted
from organisation.constants import PostStatus, VillageKind
from organisation.documents import village_post_register_context, village_post_register_issue
from organisation.kinds import VILLAGE_POST_REGISTER
from organisation.models import Township
from paperwork import checks, fonts, kinds
from paperwork import services as paperwork_services
from paperwork.models import CODE_ALPHABET, CODE_LENGTH, Document, ImmutableError
from paperwork.render import html_to_pdf
from paperwork.services import DocumentIssueError, document_issue
from policy.documents import policy_sheet_issue
from policy.models import Policy
from tests.factories import (
    PersonFactory,
    PolicyFactory,
    PostFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

RARE_NAMES = ["张堃", "李喆", "王昇", "刘䶮"]  # none of 堃 喆 昇 䶮 is in GB2312
TODAY = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)


# --- helpers -------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """All text of a PDF with white space removed, so that line breaks do not matter."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def stored_bytes(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def drawn_runs(data: bytes) -> list[tuple[str, str, float]]:
    """(text, font name, font size) of every piece of text the PDF draws."""
    runs: list[tuple[str, str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict is not None:
            size = abs(tm[0] * cm[0]) * font_size or font_size
            runs.append((text, str(font_dict.get("/BaseFont", "")), size))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def glyph_ids(data: bytes) -> list[int]:
    """The glyph ids drawn with the PDF's composite (CID) fonts: two bytes each."""
    reader = PdfReader(io.BytesIO(data))
    ids: list[int] = []
    for page in reader.pages:
        fonts_on_page: Any = page["/Resources"]["/Font"]  # type: ignore[index]
        font: Any = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = fonts_on_page[operands[0]].get_object()
            elif operator in (b"Tj", b"TJ") and font is not None and font["/Subtype"] == "/Type0":
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                for item in strings:
                    if isinstance(item, ByteStringObject):
                        raw = bytes(item)
                    elif isinstance(item, TextStringObject):
                        raw = item.get_original_bytes()
                    else:
                        continue  # a kerning number
                    ids.extend(int.from_bytes(raw[i : i + 2]) for i in range(0, len(raw), 2))
    assert ids, "no text drawn with a composite font"
    return ids


def media_files() -> list[Path]:
    """Every file under MEDIA_ROOT, staged ones included, once the staged files of rolled-back
    transactions are gone (as at the end of a request)."""
    discard_uncommitted()
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()]


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def township(county):
    return TownshipFactory(county=county, name="关索街道", government="关索街道办事处")


@pytest.fixture
def staffed(township, policy):
    """Two villages: 新寨村 (1800 people, one post held by 刘䶮) and 龙潭社区 (5200 people,
    posts held by 张堃 and 李喆, one vacant) plus a surplus post held by 王昇."""
    small = VillageFactory(township=township, name="新寨村", registered_population=1800)
    big = VillageFactory(
        township=township,
        name="龙潭社区",
        kind=VillageKind.COMMUNITY,
        registered_population=5200,
        population_effective_date=datetime.date(2026, 3, 1),
    )
    people = {name: PersonFactory(name=name, township=township) for name in RARE_NAMES}
    PostFactory(village=small, number=1, holder=people["刘䶮"])
    PostFactory(village=small, number=2, holder=people["王昇"], status=PostStatus.SURPLUS)
    PostFactory(village=big, number=1, holder=people["张堃"])
    PostFactory(village=big, number=2, holder=people["李喆"])
    PostFactory(village=big, number=3)
    PostFactory(village=big, number=4, status=PostStatus.ABOLISHED)
    return people


@pytest.fixture
def county_user(county):
    return UserFactory(county=county, role=Role.COUNTY_HR)


@pytest.fixture
def register(township, staffed, county_user):
    with time_machine.travel(TODAY, tick=False):
        return village_post_register_issue(township=township, by=county_user)


# --- the village post register ------------------------------------------------------------


def test_register_prints_rare_names_masked_ids_and_the_verification_code(register, staffed):
    text = pdf_text(stored_bytes(register))
    for person in staffed.values():
        assert person.name in text
        assert person.masked_id_number in text
        assert person.id_number not in text
    assert register.verification_code in text
    assert f"/verify/{register.verification_code}/" in text
    assert "关索街道村级人口主任岗位登记表" in text
    assert "2026年11月22日" in text
    assert "关索街道办事处" in text


def test_register_counts_quota_posts_vacancies_and_surplus(township, staffed, policy):
    context = village_post_register_context(township=township, on=TODAY.date())
    rows = {row.village.name: row for row in context["rows"]}
    assert (rows["新寨村"].quota, rows["新寨村"].active, rows["新寨村"].surplus) == (1, 1, 1)
    assert (rows["龙潭社区"].quota, rows["龙潭社区"].active, rows["龙潭社区"].vacant) == (3, 3, 1)
    assert [h.name for h in rows["新寨村"].holders] == ["刘䶮", "王昇"]
    assert rows["新寨村"].holders[1].surplus
    totals = context["totals"]
    assert (totals.population, totals.quota, totals.occupied, totals.vacant) == (7000, 4, 4, 1)


def test_register_context_takes_the_same_queries_for_more_villages(township, staffed, policy):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            village_post_register_context(township=township, on=TODAY.date())
        return len(queries)

    before = count()
    for n in range(4):
        village = VillageFactory(township=township, name=f"多村{n}")
        PostFactory(village=village, number=1, holder=PersonFactory(township=township))
    assert count() == before


def test_stored_bytes_match_the_recorded_hash_size_and_pages(register):
    data = stored_bytes(register)
    assert hashlib.sha256(data).hexdigest() == register.sha256
    assert len(data) == register.size
    assert len(PdfReader(io.BytesIO(data)).pages) == register.pages == 1
    assert data.startswith(b"%PDF-")


def test_issue_records_template_policy_producer_and_an_audit_row(register, county_user, policy):
    assert register.kind == VILLAGE_POST_REGISTER == "village_post_register"
    assert register.template_name == VILLAGE_POST_REGISTER.template
    assert register.template_version == str(VILLAGE_POST_REGISTER.version)
    assert register.policy == policy
    assert register.produced_by == county_user
    assert register.subject_repr == "关索街道"
    entry = AuditEntry.objects.get(object_id=register.pk, content_type__model="document")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == county_user
    assert entry.after["sha256"] == register.sha256


def test_verification_code_has_at_least_40_random_bits():
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 2**40


# --- immutability -------------------------------------------------------------------------


def test_a_document_refuses_save_and_delete(register):
    register.title = "改过的标题"
    with pytest.raises(ImmutableError):
        register.save()
    with pytest.raises(ImmutableError):
        register.delete()
    with pytest.raises(ImmutableError):
        Document.objects.filter(pk=register.pk).update(title="改过的标题")
    with pytest.raises(ImmutableError):
        Document.objects.filter(pk=register.pk).delete()
    assert Document.objects.get(pk=register.pk).title == "关索街道村级人口主任岗位登记表"


# --- atomicity ----------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["audit_record", "html_to_pdf"])
def test_a_failure_mid_issue_leaves_no_row_and_no_file(
    township, staffed, county_user, monkeypatch, step
):
    files_before = set(media_files())

    def fail(*args, **kwargs):
        raise RuntimeError(f"{step} failed")

    monkeypatch.setattr(paperwork_services, step, fail)
    with pytest.raises(RuntimeError, match="failed"):
        village_post_register_issue(township=township, by=county_user)
    assert not Document.objects.exists()
    assert set(media_files()) == files_before
    assert not AuditEntry.objects.filter(content_type__model="document").exists()


def test_a_name_no_font_can_print_is_refused_before_anything_is_stored(
    township, policy, county_user
):
    village = VillageFactory(township=township)
    # U+10FFFD is a private-use code point of plane 16: no font draws it.
    PostFactory(
        village=village, number=1, holder=PersonFactory(name="王\U0010fffd", township=township)
    )
    files_before = set(media_files())
    with pytest.raises(DocumentIssueError, match="U\\+10FFFD"):
        village_post_register_issue(township=township, by=county_user)
    assert not Document.objects.exists()
    assert set(media_files()) == files_before


def test_a_template_printing_a_full_id_number_is_refused():
    person_id = PersonFactory.build().id_number
    with pytest.raises(DocumentIssueError, match="full ID number"):
        paperwork_services._refuse_full_id_numbers(f"<td>{person_id}</td>")
    masked = f"{person_id[:6]}********{person_id[14:]}"
    paperwork_services._refuse_full_id_numbers(f"<td>{masked}</td>")


# --- superseding --------------------------------------------------------------------------


def test_a_new_register_supersedes_the_previous_one_which_stays(
    register, township, county_user, client
):
    newer = village_post_register_issue(township=township, by=county_user)
    assert newer.supersedes == register
    register.refresh_from_db()
    assert register.successor == newer
    assert newer.successor is None
    assert stored_bytes(register)  # the old file is still there

    old_page = client.get(f"/verify/{register.verification_code}/").content.decode()
    assert "superseded" in old_page.lower() or "取代" in old_page
    assert newer.verification_code in old_page


def test_only_the_current_document_of_the_same_kind_and_subject_can_be_superseded(
    register, township, county_user, policy
):
    newer = village_post_register_issue(township=township, by=county_user)
    context = village_post_register_context(township=township, on=TODAY.date())
    common = dict(
        kind=VILLAGE_POST_REGISTER,
        context=context,
        by=county_user,
        county=township.county,
        township=township,
        issuing_body=township.issuing_body,
    )
    with pytest.raises(DocumentIssueError, match="already superseded"):
        document_issue(subject=township, supersedes=register, **common)
    other = cast(Township, TownshipFactory(county=township.county))
    with pytest.raises(DocumentIssueError, match="same kind"):
        document_issue(subject=other, supersedes=newer, **common)
    assert Document.objects.count() == 2


# --- the policy sheet ---------------------------------------------------------------------


def test_policy_sheet_explains_every_number_of_the_version(county, county_user):
    policy: Policy = PolicyFactory(  # type: ignore[assignment]
        county=county,
        version=4,
        effective_from=datetime.date(2026, 1, 1),
        quota_tiers=[
            {"min": 0, "max": 1500, "posts": 1},
            {"min": 1501, "max": 4200, "posts": 2},
            {"min": 4201, "max": None, "posts": 3},
        ],
        first_hire_max_age=38,
        education_target=88,
        open_selection_target=95,
        term_years=4,
        new_hire_min_service_years=5,
        renewal_max_age=57,
        vacancy_refill_months=3,
        refresher_per_year=2,
        refresher_min_days=4,
        township_sessions_min=5,
        township_sessions_max=7,
        township_session_min_days=2,
        monthly_pay=Decimal("1850.00"),
        pay_deduction_bands=[
            {"min_score": 88, "deduction_percent": 0},
            {"min_score": 66, "deduction_percent": 12},
            {"min_score": 0, "deduction_percent": 35},
        ],
        annual_monthly_weight=35,
        annual_appraisal_weight=65,
        grade_thresholds={"excellent": 91, "competent": 77, "basically_competent": 61},
        long_service_reward=Decimal("3300"),
        long_service_years=6,
        pension_per_year=Decimal("130"),
        recommendation_excellent_years=2,
        recommendation_max_age=39,
        recommendation_bonus_points=9,
        settlement_deadline_month=3,
        exam_max_score=120,
        written_weight=45,
        interview_weight=55,
        written_pass_line=Decimal("58.50"),
        composite_pass_line=Decimal("62"),
        interview_shortlist_ratio=4,
        reserve_list_months=18,
        public_notice_working_days=8,
        contract_notice_days=31,
        dismissal_lagging_years=3,
        dismissal_missed_refresher_years=4,
        dismissal_illegal_birth_years=5,
        dismissal_illegal_births_in_year=6,
        due_announcement_approval_days=4,
        due_application_review_days=6,
        due_score_entry_days=7,
        due_ranking_confirmation_days=2,
        due_objection_handling_days=9,
        due_hire_confirmation_days=11,
        renewal_review_days=120,
        renewal_mode="committee_review",
        expiry_reminder_first_days=100,
        expiry_reminder_second_days=40,
        expiry_reminder_last_days=8,
        hearing_statement_days=12,
        due_signing_days=13,
        due_filing_days=14,
        due_acting_days=15,
        due_resignation_days=16,
        due_renewal_decision_days=17,
        due_case_decision_days=18,
        due_case_filing_days=19,
        spot_check_villages=4,
        due_month_scoring_days=21,
        due_month_publishing_days=22,
        due_month_settling_days=23,
        agreement_due_month=4,
        agreement_due_day=15,
        warning_pass_line=Decimal("62.5"),
        warning_bottom_count=2,
        warning_bottom_months=5,
        appraisal_weights={
            "ethics": 10,
            "ability": 20,
            "diligence": 10,
            "performance": 30,
            "integrity": 10,
            "satisfaction": 20,
        },
        annual_bonus_max=Decimal("6"),
        annual_deduction_max=Decimal("12"),
        excellent_share_max=25,
        lagging_grade="basically_competent",
        long_service_min_grade="basically_competent",
        due_appraisal_days=24,
    )
    with time_machine.travel(TODAY, tick=False):
        sheet = policy_sheet_issue(policy=policy, by=county_user)
    text = pdf_text(stored_bytes(sheet))
    # A sentence may run over a page break, where the page's number and the footer (code,
    # issuing body, date) are printed: take them out, then check they are printed.
    footer = rf"—\d+—|核验码{sheet.verification_code}|关岭自治县卫生健康局|2026年11月22日"
    for printed in (f"核验码{sheet.verification_code}", "关岭自治县卫生健康局", "2026年11月22日"):
        assert printed in text
    text = re.sub(footer, "", text)
    expected = [
        "政策第4版",
        "2026年1月1日起施行",
        policy.title,
        "1500人以下（含1500人）",
        "1501人至4200人",
        "4201人以上（含4201人）",
        "38周岁以下",
        "高中及以上",
        "服务满5年",
        "高中及以上学历的达到88%",
        "经公开选聘聘用的达到95%",
        "每个聘期4年",
        "超过57周岁",
        "3个月内补聘",
        "初任培训",
        "知识更新培训2次",
        "不少于4天",
        "集中培训5至7次",
        "不少于2天",
        "满分100分",
        "每月1850元",
        "88分以上（含88分）",
        "扣减12%，即222元，实发1628元",
        "扣减35%，即647.50元",
        "平均分占35%",
        "占65%",
        "91分以上（含91分）",
        "77分（含）至91分（不含）",
        "61分（含）至77分（不含）",
        "不合格",
        "连续6年",
        "3300元",
        "130元",
        "连续2年考核为优秀",
        "39周岁以下",
        "加9分",
        "次年3月底",
        "满分各为120分",
        "×45%",
        "×55%",
        "58.5分",
        "62分",
        "1∶4",
        "有效期18个月",
        "公示8个工作日",
        "提前31日",
        "连续3年落后",
        "抽取4个村",
        "21个工作日内完成评分",
        "22个工作日内公布月通报",
        "23个工作日内结算报酬",
        "4月15日前未签订",
        "低于62.5分",
        "连续5个月排在本乡镇末2位",
        "德10%、能20%、勤10%、绩30%、廉10%、群众满意度20%",
        "最多6分",
        "最多12分",
        "不超过本乡镇人数的25%",
        "基本合格或不合格的，视为当年工作落后",
        "每年考核为基本合格以上",
        "24个工作日内完成",
        "连续4年未参加",
        "连续5年出现违法生育",
        "6例以上",
        "审批选聘公告4个工作日",
        "资格审查6个工作日",
        "成绩7个工作日",
        "确认成绩排名并公示2个工作日",
        "处理异议9个工作日",
        "确认聘用11个工作日",
        "聘期届满前120日",
        "由乡镇选聘工作领导小组审核决定",
        "100日、40日、8日",
        "12日内提交书面陈述",
        "签订聘用合同13个工作日",
        "县级备案14个工作日",
        "代行职责人员15个工作日",
        "答复辞职申请16个工作日",
        "作出续聘决定17个工作日",
        "作出辞退决定18个工作日",
        "报县级备案19个工作日",
    ]
    missing = [phrase for phrase in expected if re.sub(r"\s+", "", phrase) not in text]
    assert not missing
    assert sheet.policy == policy and sheet.township is None and sheet.person is None


# --- characters outside GB2312 --------------------------------------------------------------


def test_rare_characters_come_out_as_real_glyphs_of_the_noto_cjk_fonts():
    # 鿫 (U+9FEB) is in Noto Sans CJK SC but not in Noto Serif CJK SC: it tests the fallback.
    sample = "".join(RARE_NAMES) + "鿫"
    html = (
        '<html><body style=\'font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif\'>'
        f"<p>{sample}</p></body></html>"
    )
    data = html_to_pdf(html).content
    assert re.sub(r"\s+", "", pdf_text(data)) == sample
    runs = drawn_runs(data)
    for char in sample:
        fonts_drawing = {font for text, font, _size in runs if char in text}
        assert fonts_drawing, char
        wanted = "Noto-Sans-CJK-SC" if char == "鿫" else "Noto-Serif-CJK-SC"
        assert all(wanted in font for font in fonts_drawing), (char, fonts_drawing)
    # A character missing from the font it is drawn with comes out as .notdef (glyph 0, the
    # empty box) or, from Pango, as 0xFFFF (seen when U+10FFFD is drawn with Noto Serif).
    assert not {0, 0xFFFF} & set(glyph_ids(data))
    # And the layout's fonts really have these characters (their cmaps, read with fontTools).
    assert {ord(char) for char in sample} <= fonts.layout_coverage()


def test_print_fonts_are_the_ones_the_layout_names():
    base = (Path(settings.BASE_DIR) / "templates/paperwork/base.html").read_text()
    for family in fonts.PRINT_FONT_FAMILIES:
        assert f'"{family}"' in base
    assert fonts.uncovered_characters("王\U0010fffd") == ["\U0010fffd"]


# --- the base layout ----------------------------------------------------------------------


def test_base_layout_is_a4_with_gbt_9704_margins_title_and_body_sizes(register):
    data = stored_bytes(register)
    page = PdfReader(io.BytesIO(data)).pages[0]
    mm = 72 / 25.4
    assert float(page.mediabox.width) == pytest.approx(210 * mm, abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(297 * mm, abs=0.5)

    positions: list[tuple[float, float, str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            positions.append((x, y, text, abs(tm[0] * cm[0]) * font_size))

    page.extract_text(visitor_text=visit)
    title = next(p for p in positions if "登记表" in p[2])
    assert title[3] == pytest.approx(22, abs=0.1)
    body = next(p for p in positions if p[2].startswith("截至"))
    assert body[3] == pytest.approx(16, abs=0.1)
    # The body's first line is indented two characters from the 28 mm left margin.
    assert body[0] == pytest.approx(28 * mm + 2 * 16, abs=1)
    page_number = next(p for p in positions if "— 1 —" in p[2])
    assert page_number[3] == pytest.approx(14, abs=0.1)
    # Nothing is drawn inside the top margin of 37 mm (y grows upwards from the bottom).
    assert max(p[1] for p in positions) <= (297 - 37) * mm + 1


def test_cn_date_and_cn_money_filters():
    template = Template(
        "{% load paperwork %}{{ d|cn_date }} {{ dt|cn_date }} {{ a|cn_money }} {{ b|cn_money }} "
        "{{ c|cn_money }}"
    )
    rendered = template.render(
        Context(
            {
                "d": datetime.date(2026, 11, 22),
                # 17:30 UTC is already the next day in Asia/Shanghai.
                "dt": datetime.datetime(2026, 1, 4, 17, 30, tzinfo=datetime.UTC),
                "a": Decimal("1700.00"),
                "b": Decimal("647.505"),
                "c": 12345.6,
            }
        )
    )
    assert rendered == "2026年11月22日 2026年1月5日 1700元 647.51元 12,345.60元"


# --- verify page --------------------------------------------------------------------------


def test_verify_page_shows_the_facts_and_no_personal_data(register, staffed, client):
    response = client.get(f"/verify/{register.verification_code}/")
    assert response.status_code == 200
    page = response.content.decode()
    for fact in [
        register.sha256,
        "关索街道办事处",
        "2026年11月22日",
        "村级人口主任岗位登记表",
        register.verification_code,
    ]:
        assert fact in page
    for person in staffed.values():
        assert person.id_number not in page
        assert person.name not in page
    assert response["X-Robots-Tag"].startswith("noindex")


def test_verify_page_of_a_document_about_a_person_shows_only_the_masked_id(
    township, staffed, county_user, policy, client
):
    person = staffed["刘䶮"]
    document = document_issue(
        kind=VILLAGE_POST_REGISTER,
        context=village_post_register_context(township=township, on=TODAY.date()),
        subject=person,
        person=person,
        by=county_user,
        county=township.county,
        township=township,
        issuing_body=township.issuing_body,
    )
    page = client.get(f"/verify/{document.verification_code}/").content.decode()
    assert person.masked_id_number in page
    assert person.id_number not in page
    assert person.name not in page


def test_verify_accepts_the_code_as_people_type_it(register, client):
    code = register.verification_code
    typed = f"{code[:5]}-{code[5:]}".lower()
    assert client.get(f"/verify/{typed}/").status_code == 200


def test_unknown_code_gets_a_friendly_404(client):
    response = client.get("/verify/0000000000/")
    assert response.status_code == 404
    assert "0000000000" in response.content.decode()
    assert response.templates[0].name == "paperwork/pages/verify_unknown.html"


# --- staff list and download --------------------------------------------------------------


def test_download_streams_the_stored_bytes_as_an_attachment(register, county_user, client):
    client.force_login(county_user)
    response = client.get(f"/documents/{register.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == stored_bytes(register)


def test_download_of_another_townships_document_is_404(register, county, client):
    other = TownshipFactory(county=county)
    stranger = UserFactory(county=county, role=Role.TOWNSHIP_OFFICE, township=other)
    client.force_login(stranger)
    assert client.get(f"/documents/{register.pk}/download/").status_code == 404
    insider = UserFactory(county=county, role=Role.TOWNSHIP_OFFICE, township=register.township)
    client.force_login(insider)
    assert client.get(f"/documents/{register.pk}/download/").status_code == 200


def test_download_and_list_without_permission_are_403(register, county, client):
    no_role = UserFactory(county=county, role="")
    client.force_login(no_role)
    assert client.get(f"/documents/{register.pk}/download/").status_code == 403
    assert client.get("/documents/").status_code == 403


def test_county_wide_policy_sheet_reaches_every_user_of_the_county(
    county, policy, county_user, client
):
    sheet = policy_sheet_issue(policy=policy, by=county_user)
    township_user = UserFactory(
        county=county, role=Role.TOWNSHIP_OFFICE, township=TownshipFactory(county=county)
    )
    client.force_login(township_user)
    assert client.get(f"/documents/{sheet.pk}/download/").status_code == 200
    assert sheet.verification_code in client.get("/documents/").content.decode()


def test_list_shows_only_documents_in_scope(register, county, client):
    stranger = UserFactory(
        county=county, role=Role.TOWNSHIP_OFFICE, township=TownshipFactory(county=county)
    )
    client.force_login(stranger)
    response = client.get("/documents/")
    assert response.status_code == 200
    assert register.verification_code not in response.content.decode()


# --- system checks ------------------------------------------------------------------------


def test_checks_pass_on_this_machine():
    assert checks.check_print_fonts() == []
    assert checks.check_harfbuzz_subset() == []
    assert checks.check_document_kinds() == []


def test_no_cjk_font_is_an_error(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font_families", lambda: [])
    [message] = checks.check_print_fonts()
    assert isinstance(message, Error) and message.id == "paperwork.E001"
    assert "fonts-noto-cjk" in (message.hint or "")


def test_fontconfig_missing_is_an_error(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font_families", lambda: None)
    [message] = checks.check_print_fonts()
    assert isinstance(message, Error) and message.id == "paperwork.E002"


def test_other_cjk_fonts_only_is_a_warning(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font_families", lambda: ["AR PL UMing CN"])
    [message] = checks.check_print_fonts()
    assert isinstance(message, Warning) and message.id == "paperwork.W002"


def test_missing_harfbuzz_subset_is_a_warning(monkeypatch):
    monkeypatch.setattr(checks.ctypes.util, "find_library", lambda name: None)
    [message] = checks.check_harfbuzz_subset()
    assert isinstance(message, Warning) and message.id == "paperwork.W001"
    assert "libharfbuzz-subset0" in (message.hint or "")


def test_every_document_kind_is_registered_with_an_existing_template():
    assert {str(kind) for kind in kinds.all_kinds()} >= {
        "village_post_register",
        "policy_sheet",
        "recruitment_announcement",
        "registration_form",
        "eligibility_result",
        "admission_ticket",
        "score_ranking_list",
        "public_notice",
        "hiring_notice",
        "not_hired_letter",
        "contract",
    }
    assert checks.check_document_kinds() == []
