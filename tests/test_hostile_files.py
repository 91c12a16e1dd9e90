"""Hostile files: malformed, encrypted and bomb spreadsheets for both imports, pictures that
declare huge dimensions, and PDFs that are no certificate. Each is generated here, posted
where a person would post it, and must get a clear message in Chinese (never a 500) with
nothing written."""

import functools
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image, ImageFile
from pypdf import PdfWriter

from audit.models import AuditEntry
from core import tabular
from organisation.models import Village
from recruitment.constants import ApplicationState, AttachmentKind
from recruitment.models import Application, Attachment
from recruitment.services import written_exam
from tests.factories import make_pdf
from tests.test_recruitment_public import (
    applicant_data,
    image_bytes,
    stored_upload_files,
)
from tests.test_recruitment_public import (
    make_campaign as make_public_campaign,
)

pytestmark = pytest.mark.django_db

VILLAGE_HEADER = ("乡镇(街道)", "村(居、社区)", "户籍人口")
SCORE_HEADER = ("准考证号", "姓名", "笔试成绩")
SCORE_ROW = ("20260010001", "甲", "80")  # the files fail as files: the row is not read


@pytest.fixture(autouse=True)
def fresh_cache():
    """The public pages' rate limits count in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


# Building hostile workbooks ------------------------------------------------------------------


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def packed(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_part(content: bytes, name: str, data: bytes | None) -> bytes:
    parts = members(content)
    if data is None:
        del parts[name]
    else:
        parts[name] = data
    return packed(parts)


SHEET = "xl/worksheets/sheet1.xml"


def sheet_with_rows(base: bytes, rows_xml: str, *, dimension: str | None = None) -> bytes:
    xml = members(base)[SHEET].decode()
    xml = xml.replace("</sheetData>", rows_xml + "</sheetData>")
    if dimension is not None:
        start = xml.index("<dimension")
        end = xml.index("/>", start) + 2
        xml = xml[:start] + f'<dimension ref="{dimension}"/>' + xml[end:]
    return with_part(base, SHEET, xml.encode())


def corrupt_stream(content: bytes, name: str) -> bytes:
    """``content`` with bytes of the compressed data of ``name`` flipped: a bad zlib stream."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(content)
    for offset in range(start + 4, start + min(info.compress_size, 40)):
        damaged[offset] ^= 0xFF
    return bytes(damaged)


def encrypted_flag(content: bytes) -> bytes:
    """Every part marked as encrypted (general purpose flag bit 0), as a zip tool that
    encrypts entries writes it."""
    damaged = bytearray(content)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := damaged.find(signature, start)) != -1:
            damaged[found + flag_offset] |= 0x01
            start = found + 4
    return bytes(damaged)


@functools.cache
def hostile_workbooks(header: tuple, row: tuple) -> dict[str, tuple[bytes, str]]:
    """name → (file content, a fragment of the Chinese message it must get)."""
    base = workbook([list(header), list(row)])
    workbook_xml = members(base)["xl/workbook.xml"]
    empty_rows = "".join(f'<row r="{n}"/>' for n in range(3, 120_000))
    unreadable = "无法按 Excel 工作簿（.xlsx）读取"
    too_many_rows = "最多只能读取"
    return {
        "broken workbook.xml": (
            with_part(base, "xl/workbook.xml", b"<workbook><sheets"),
            unreadable,
        ),
        "bad zlib stream": (corrupt_stream(base, SHEET), "无法"),
        "truncated archive": (base[: len(base) // 2], unreadable),
        "not a zip at all": (b"PK\x03\x04" + b"\x00" * 200, unreadable),
        "encrypted workbook (OLE container)": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
            "密码",
        ),
        "encrypted zip parts": (encrypted_flag(base), "密码"),
        "no worksheet": (
            with_part(
                base,
                "xl/workbook.xml",
                re.sub(rb"<sheets>.*</sheets>", b"<sheets></sheets>", workbook_xml),
            ),
            "没有工作表",
        ),
        "no sheet part": (with_part(base, SHEET, None), "没有工作表"),
        "a million rows declared": (
            sheet_with_rows(base, "", dimension="A1:C1048576"),
            too_many_rows,
        ),
        "120,000 empty rows": (sheet_with_rows(base, empty_rows), too_many_rows),
        "one cell in the last row": (
            sheet_with_rows(base, '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'),
            too_many_rows,
        ),
        "zip bomb": (
            sheet_with_rows(
                base,
                f"<row r='3'><c r='A3' t='inlineStr'><is><t>{'啊' * 6_000_000}</t></is></c></row>",
            ),
            "压缩程度",
        ),
        "unpacks to too much": (
            packed(
                {**members(base), **{f"xl/media/pad{n}.bin": bytes(1024 * 1024) for n in range(22)}}
            ),
            "解压后",
        ),
        "too many parts": (
            packed({**members(base), **{f"xl/media/p{n}.bin": b"x" for n in range(600)}}),
            "组成部分",
        ),
    }


@functools.cache
def hostile_csvs(header: tuple, row: tuple) -> dict[str, tuple[bytes, str]]:
    line = ",".join(header) + "\n" + ",".join(str(v) for v in row) + "\n"
    return {
        "NUL bytes": ((line + "\x00\x00\x00").encode(), "空字符"),
        "a million blank lines": ((line + "\n" * 1_000_000).encode(), "最多只能读取"),
        "a quotation mark never closed": ((line + '"' + "啊" * 200_000).encode(), "格式有误"),
        "binary garbage": (bytes(range(256)) * 50, "UTF-8"),
    }


# The village import ---------------------------------------------------------------------------


def post_villages(client, name: str, content: bytes):
    return client.post(
        reverse("organisation:import"),
        {"file": SimpleUploadedFile(name, content), "effective_date": "2026-01-01"},
    )


def nothing_imported() -> tuple:
    return (
        Village.objects.count(),
        AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count(),
    )


VILLAGE_ROW = ("关索街道", "新寨村", 1200)


@pytest.mark.parametrize("case", list(hostile_workbooks(VILLAGE_HEADER, VILLAGE_ROW)))
def test_a_hostile_workbook_gets_a_message_on_the_village_import(client, hr, township, case):
    content, message = hostile_workbooks(VILLAGE_HEADER, VILLAGE_ROW)[case]
    client.force_login(hr)
    response = post_villages(client, "villages.xlsx", content)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert nothing_imported() == (0, 0)


@pytest.mark.parametrize("case", list(hostile_csvs(VILLAGE_HEADER, VILLAGE_ROW)))
def test_a_hostile_csv_gets_a_message_on_the_village_import(client, hr, township, case):
    content, message = hostile_csvs(VILLAGE_HEADER, VILLAGE_ROW)[case]
    client.force_login(hr)
    response = post_villages(client, "villages.csv", content)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert nothing_imported() == (0, 0)


def test_a_good_workbook_still_imports(client, hr, township):
    client.force_login(hr)
    response = post_villages(client, "villages.xlsx", workbook([VILLAGE_HEADER, VILLAGE_ROW]))
    assert response.status_code == 200
    assert nothing_imported() == (1, 1)


def test_a_cell_too_long_is_a_row_error(client, hr, township):
    client.force_login(hr)
    rows = [VILLAGE_HEADER, ["关索街道", "村" * 1001, 100]]
    response = post_villages(client, "villages.xlsx", workbook(rows))
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert any((e.row, e.column) == (2, "村(居、社区)") and "1001" in e.reason for e in errors), (
        errors
    )
    assert nothing_imported() == (0, 0)


def test_reading_stops_when_it_takes_too_long(client, hr, township, monkeypatch):
    monkeypatch.setattr(tabular, "READ_SECONDS", 0.0)
    client.force_login(hr)
    rows = [VILLAGE_HEADER, *(("关索街道", f"村{n}", 100) for n in range(300))]
    response = post_villages(client, "villages.xlsx", workbook(rows))
    assert response.status_code == 400
    assert "用时过长" in " ".join(response.context["form"].errors["file"])
    assert nothing_imported() == (0, 0)


# The written-score import --------------------------------------------------------------------


@pytest.fixture
def exam(open_campaign):
    """A campaign whose one candidate, 甲, waits for a written score."""
    run = open_campaign()
    (candidate,) = run.admitted(["甲"])
    return run.campaign, candidate


def post_scores(client, campaign, name: str, content: bytes):
    return client.post(
        reverse("recruitment:exam_import", args=[campaign.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def scores_unchanged(candidate) -> bool:
    candidate.refresh_from_db()
    return candidate.state == ApplicationState.ELIGIBLE and candidate.written_score is None


@pytest.mark.parametrize("case", list(hostile_workbooks(SCORE_HEADER, SCORE_ROW)))
def test_a_hostile_workbook_gets_a_message_on_the_score_import(client, committee, exam, case):
    campaign, candidate = exam
    content, message = hostile_workbooks(SCORE_HEADER, SCORE_ROW)[case]
    client.force_login(committee)
    response = post_scores(client, campaign, "scores.xlsx", content)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert scores_unchanged(candidate)


@pytest.mark.parametrize("case", list(hostile_csvs(SCORE_HEADER, SCORE_ROW)))
def test_a_hostile_csv_gets_a_message_on_the_score_import(client, committee, exam, case):
    campaign, candidate = exam
    content, message = hostile_csvs(SCORE_HEADER, SCORE_ROW)[case]
    client.force_login(committee)
    response = post_scores(client, campaign, "scores.csv", content)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert scores_unchanged(candidate)


@pytest.mark.parametrize("written", ["1_0", "1e2", "٨٠", "30 00", "８０\x1b"])
def test_a_lenient_or_hostile_score_cell_is_a_row_error(client, committee, exam, written):
    campaign, candidate = exam
    client.force_login(committee)
    content = f"准考证号,姓名,笔试成绩\n{candidate.admission_number},甲,{written}\n".encode()
    response = post_scores(client, campaign, "scores.csv", content)
    assert response.status_code == 400
    (error,) = response.context["report"].errors
    assert error.column == "笔试成绩"
    assert scores_unchanged(candidate)


def test_the_score_file_is_read_before_the_campaign_is_locked(committee, exam, monkeypatch):
    campaign, candidate = exam
    order: list[str] = []
    real_read, real_lock = written_exam.scores_import.read_score_table, written_exam.campaign_lock

    def read(*args, **kwargs):
        order.append("read")
        return real_read(*args, **kwargs)

    def lock(*args, **kwargs):
        order.append("lock")
        return real_lock(*args, **kwargs)

    monkeypatch.setattr(written_exam.scores_import, "read_score_table", read)
    monkeypatch.setattr(written_exam, "campaign_lock", lock)
    upload = SimpleUploadedFile(
        "scores.xlsx", workbook([SCORE_HEADER, [candidate.admission_number, "甲", "80"]])
    )
    report = written_exam.written_scores_import(campaign=campaign, file=upload, by=committee)
    assert report.ok and report.scored == 1
    assert order == ["read", "lock"]


# Pictures and scans on the public form ---------------------------------------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` × ``height``: what a 336 KB picture of
    9400 × 9400 pixels looks like before it is decoded."""
    content = bytearray(image_bytes("PNG", (16, 16)))
    ihdr = content.index(b"IHDR")
    content[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(content[ihdr : ihdr + 17]))
    content[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(content)


def jpeg_declaring(width: int, height: int) -> bytes:
    content = bytearray(image_bytes("JPEG", (16, 16)))
    sof = content.index(b"\xff\xc0")
    content[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(content)


@pytest.fixture
def no_decoding(monkeypatch):
    """A picture refused for its dimensions must be refused before it is decoded."""

    def load(self):
        raise AssertionError("the picture was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


@pytest.fixture
def registration_open(policy):
    return make_public_campaign(policy=policy)


@pytest.fixture
def files_before():
    """The stored upload files other tests left: a refusal adds none."""
    return stored_upload_files()


def register(client, campaign, **overrides):
    return client.post(
        reverse("apply:campaign_detail", args=[campaign.pk]), applicant_data(campaign, **overrides)
    )


def nothing_registered(files_before: set[str]) -> bool:
    return (
        not Application.objects.exists()
        and not Attachment.objects.exists()
        and stored_upload_files() == files_before
    )


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (png_declaring(9400, 9400), "bomb.png"),
        (png_declaring(8000, 8000), "huge.png"),
        (png_declaring(5000, 5000), "25-megapixels.png"),
        (jpeg_declaring(9400, 9400), "bomb.jpg"),
        (png_declaring(50, 9000), "thin.png"),
    ],
    ids=["9400x9400 png", "8000x8000 png", "5000x5000 png", "9400x9400 jpeg", "50x9000 png"],
)
def test_a_photo_of_huge_dimensions_is_refused_before_decoding(
    client, registration_open, files_before, no_decoding, content, name
):
    photo = SimpleUploadedFile(name, content, "image/png")
    response = register(client, registration_open, photo=photo)
    assert response.status_code == 400
    assert "像素" in response.content.decode()
    assert nothing_registered(files_before)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (png_declaring(13_000, 100), "像素"),
        (png_declaring(8000, 8000), "像素"),
        (b"%PDF-", "不是可以打开的 PDF"),
        (b"%PDF-1.7\n" + b"\x00" * 2000, "不是可以打开的 PDF"),
        (make_pdf(21), "21 页"),
        (image_bytes("PNG", (400, 300))[:-30], "损坏"),
        (image_bytes("JPEG", (400, 300))[:1200], "损坏"),
    ],
    ids=[
        "13000 px wide png",
        "64 megapixel png",
        "5-byte %PDF-",
        "%PDF- header and zeros",
        "21 pages",
        "truncated png",
        "truncated jpeg",
    ],
)
def test_a_scan_that_is_no_certificate_is_refused(
    client, registration_open, files_before, monkeypatch, content, message
):
    # As in a process that has rendered a document: WeasyPrint turns this on when imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    scan = SimpleUploadedFile("diploma.pdf", content, "application/pdf")
    response = register(client, registration_open, education_certificate=[scan])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_registered(files_before)


@pytest.mark.parametrize("load_truncated", [False, True])
def test_a_cut_off_photo_is_refused(
    client, registration_open, files_before, monkeypatch, load_truncated
):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", load_truncated)
    content = image_bytes("JPEG", (400, 300))
    photo = SimpleUploadedFile("me.jpg", content[: len(content) // 2], "image/jpeg")
    response = register(client, registration_open, photo=photo)
    assert response.status_code == 400
    assert "JPEG 或 PNG" in response.content.decode()
    assert nothing_registered(files_before)


def test_a_pdf_that_needs_a_password_is_refused(client, registration_open, files_before):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    scan = SimpleUploadedFile("diploma.pdf", buffer.getvalue(), "application/pdf")
    response = register(client, registration_open, education_certificate=[scan])
    assert response.status_code == 400
    assert "密码" in response.content.decode()
    assert nothing_registered(files_before)


def test_a_pdf_whose_page_tree_loops_is_refused(client, registration_open, files_before):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
    ]
    content = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(content))
        content += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(content)
    content += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    content += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    content += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    content += f"startxref\n{xref}\n%%EOF\n".encode()
    scan = SimpleUploadedFile("diploma.pdf", bytes(content), "application/pdf")
    response = register(client, registration_open, education_certificate=[scan])
    assert response.status_code == 400
    assert nothing_registered(files_before)


def test_the_photo_is_stored_downscaled_upright_and_without_metadata(client, registration_open):
    picture = Image.new("RGB", (1600, 1200), (180, 40, 40))  # as the camera stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to see it upright
    exif[0x010F] = "手机厂商"  # make
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95)
    response = register(
        client,
        registration_open,
        photo=SimpleUploadedFile("me.jpg", buffer.getvalue(), "image/jpeg"),
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(kind=AttachmentKind.PHOTO)
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    assert attachment.size == len(stored) < len(buffer.getvalue())
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (600, 800)  # upright portrait, within 600 × 800
        assert dict(image.getexif()) == {}
    assert attachment.content_type == "image/jpeg"


def test_a_transparent_png_photo_is_stored_as_a_jpeg_on_white(client, registration_open):
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 400), (0, 0, 0, 0)).save(buffer, "PNG")
    response = register(
        client,
        registration_open,
        photo=SimpleUploadedFile("me.png", buffer.getvalue(), "image/png"),
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(kind=AttachmentKind.PHOTO)
    with attachment.file.open("rb") as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and image.size == (300, 400)
        assert image.getpixel((10, 10)) == (255, 255, 255)


def test_good_scans_are_kept_as_uploaded(client, registration_open):
    pdf = make_pdf(2)
    png = image_bytes("PNG", (2480, 3508))  # A4 at 300 dpi
    scans = [
        SimpleUploadedFile("diploma.pdf", pdf, "application/pdf"),
        SimpleUploadedFile("diploma.png", png, "image/png"),
    ]
    response = register(client, registration_open, education_certificate=scans)
    assert response.status_code == 302
    stored = {
        a.content_type: a.size
        for a in Attachment.objects.filter(kind=AttachmentKind.EDUCATION_CERTIFICATE)
    }
    assert stored == {"application/pdf": len(pdf), "image/png": len(png)}
