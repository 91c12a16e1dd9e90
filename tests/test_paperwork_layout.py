"""The print layout after the speed work: the same GB/T 9704 look, cheaper to lay out.

The closing block (QR code and verification lines at the left, issuing body and date at the
right) has fixed widths instead of a flex box, the QR code is a small PNG drawn without
smoothing, and table headings use the title's serif face, so that a document with tables and
no 一级标题 embeds the serif faces only. Timings are measured by ``make bench``, not here.
"""

import io
import re
from pathlib import Path

import pytest
import segno
from django.conf import settings
from pypdf import PdfReader

from paperwork.services import verify_url
from tests import test_paperwork as paperwork_tests

pytestmark = pytest.mark.django_db

# The register of tests/test_paperwork.py: a one-page table with headings.
township = paperwork_tests.township
staffed = paperwork_tests.staffed
county_user = paperwork_tests.county_user
register = paperwork_tests.register
stored_bytes = paperwork_tests.stored_bytes

PRINT_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "paperwork"


def images(data: bytes) -> list:
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            found.append(image)
    return found


def font_names(data: bytes) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get("/Font", {})  # type: ignore[index, union-attr]
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_qr_code_is_one_sharp_image_of_the_verify_address(register):
    data = stored_bytes(register)
    [image] = images(data)
    interpolate = image.indirect_reference.get_object()["/Interpolate"]
    assert interpolate.value is False  # drawn without smoothing
    expected = segno.make_qr(verify_url(register.verification_code), error="m").symbol_size(
        border=0, scale=1
    )
    assert image.image.size == expected
    # The pixels are the symbol of the address printed beside it (any mask reads the same).
    pixels = image.image.convert("1")
    modules = segno.make_qr(verify_url(register.verification_code), error="m", mask=2).matrix
    dark = [
        [pixels.getpixel((x, y)) == 0 for x in range(len(row))] for y, row in enumerate(modules)
    ]
    assert dark == [[bool(m) for m in row] for row in modules]


def test_the_register_embeds_the_serif_faces_only(register):
    assert font_names(stored_bytes(register)) == {
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
    }


def test_the_closing_block_puts_the_signature_right_of_the_verification_lines(register):
    page = PdfReader(io.BytesIO(stored_bytes(register))).pages[0]
    placed: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            placed.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)

    def where(pattern: str) -> tuple[float, float]:
        x, y, _text = next(p for p in placed if re.search(pattern, p[2]))
        return x, y

    mm = 72 / 25.4
    lines_x, lines_y = where("^扫码或访问")
    body_x, body_y = where("^关索街道办事处$")
    date_x, date_y = where("^2026年11月22日$")
    assert lines_x == pytest.approx(28 * mm + 23 * mm, abs=1)  # beside the 20 mm QR code
    assert body_x > lines_x + 50 * mm  # in the right-hand column
    assert abs(body_y - lines_y) < 16  # side by side, tops aligned within a line
    assert date_y < body_y  # the date under the issuing body
    assert abs((body_x + len("关索街道办事处") * 16 / 2) - (date_x + 11 * 16 / 4)) < 20


def test_print_templates_use_no_flex_or_grid_layout():
    # Each measured its content: a flex closing block took a third of a batch (make bench).
    for path in PRINT_TEMPLATES.rglob("*.html"):
        if "pages" in path.parts:
            continue  # the web pages around the documents, not printed
        text = path.read_text()
        assert not re.search(r"display:\s*(inline-)?(flex|grid)", text), path.name
