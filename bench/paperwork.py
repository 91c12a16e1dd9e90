"""Paperwork figures: how long printing a document takes.

The subject is a one-page Chinese letter (a hiring notice with a rare-character name) in the
base print layout (templates/paperwork/base.html), with its own verification code and QR code.
Each measurement covers what ``paperwork.services.document_issue`` spends on the paper itself:
rendering the Django template (QR code included) and ``paperwork.render.html_to_pdf``. It
leaves out the database and storage. Before measuring, ``WARMUP`` renders load WeasyPrint and
the fonts, which a running server pays once.

- paperwork.single_ms: median wall time of ``samples`` renders of one letter, each its own
  PDF.
- paperwork.batch_page_ms: ``batch`` letters (default 50, each with its own code) rendered as
  one HTML document into one PDF of ``batch`` pages; median over ``BATCH_SAMPLES`` runs of
  the total time, divided by the number of pages.
- paperwork.latin_floor_ms: as single_ms for the same letter with every Chinese character
  replaced by its pinyin and Chinese punctuation by Latin punctuation, in the same layout and
  fonts: the cost of the layout when no Chinese glyph has to be shaped and embedded. Its
  samples alternate with single_ms's, so that a busy machine weighs on both alike.
"""

import datetime
import re
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.template import engines
from pypinyin import lazy_pinyin

from paperwork.models import new_verification_code
from paperwork.render import html_to_pdf
from paperwork.services import Paper, qr_data_uri, verify_url
from recruitment.kinds import HIRING_NOTICE

WARMUP = 3
SAMPLES = 15
BATCH = 50
BATCH_SAMPLES = 3

TITLE = "聘用通知书"
ISSUING_BODY = "关岭自治县关索街道办事处"
PARAGRAPHS = [
    "刘䶮同志：",
    "经个人报名、资格审查、笔试、面试和公示，你已被确定为关索街道新寨村村级人口主任，"
    "身份证号520424********0011。请于2026年12月1日前持本通知到街道计生办报到，签订聘用合同，"
    "并参加县级初任培训。",
    "聘期三年，自合同签订之日起计算。每月报酬1700元，由街道办事处按月发放，"
    "并根据月度考核得分结算。",
    "特此通知。",
]

_PUNCTUATION = str.maketrans(
    {"，": ", ", "。": ". ", "：": ": ", "、": ", ", "；": "; ", "（": " (", "）": ") "}
)

LETTER_TEMPLATE = """{% extends "paperwork/base.html" %}{% load paperwork %}
{% block style %}{% if latin %}
@page :right { @bottom-left { content: "Code " string(vcode); } }
@page :left { @bottom-right { content: "Code " string(vcode); } }
{% endif %}{% endblock %}
{% block document %}{% for letter in letters %}{% with paper=letter.paper %}
<main class="document" data-code="{{ paper.verification_code }}">
  <h1 class="doc-title">{{ paper.title }}</h1>
  {% for text in letter.paragraphs %}
  <p{% if forloop.first %} class="flush"{% endif %}>{{ text }}</p>
  {% endfor %}
  {% if latin %}
  <div class="signature"><div class="block"><p>{{ paper.issuing_body }}</p>
    <p>{{ paper.issued_on|date:"Y-m-d" }}</p></div></div>
  <div class="verification"><img src="{{ paper.qr_data_uri }}" alt="QR">
    <p>Scan the QR code or visit this address to verify the document:</p>
    <p>{{ paper.verify_url }}</p>
    <p>Code: <span class="code">{{ paper.verification_code }}</span></p>
    <p>Template v{{ paper.template_version }}</p></div>
  {% else %}
  {% include "paperwork/_signature.html" %}{% include "paperwork/_verification.html" %}
  {% endif %}
</main>{% endwith %}{% endfor %}{% endblock %}
"""


@dataclass(frozen=True)
class Letter:
    paper: Paper
    paragraphs: list[str]


def latin(text: str) -> str:
    """The text in pinyin with Latin punctuation: 刘䶮同志： → liu yan tong zhi:"""
    words = " ".join(lazy_pinyin(text.translate(_PUNCTUATION)))
    words = re.sub(r"\s+([,.:;)])", r"\1", words)
    return re.sub(r"\s+", " ", words).strip()


def letter(*, latin_only: bool = False) -> Letter:
    code = new_verification_code()
    url = verify_url(code)
    convert = latin if latin_only else str
    paper = Paper(
        kind=HIRING_NOTICE,
        title=convert(TITLE),
        issuing_body=convert(ISSUING_BODY),
        issued_on=datetime.date(2026, 11, 22),
        verification_code=code,
        verify_url=url,
        qr_data_uri=qr_data_uri(url),
        template_version=1,
        policy_version=None,
    )
    result = Letter(paper=paper, paragraphs=[convert(p) for p in PARAGRAPHS])
    if latin_only:
        texts = [paper.title, paper.issuing_body, *result.paragraphs]
        if any(ord(ch) > 0x24F for text in texts for ch in text):
            raise AssertionError("The Latin letter still contains non-Latin characters.")
    return result


def render_letters(count: int, *, latin_only: bool = False) -> int:
    """Render ``count`` fresh letters as one PDF; return its page count."""
    letters = [letter(latin_only=latin_only) for _ in range(count)]
    html = (
        engines["django"]
        .from_string(LETTER_TEMPLATE)
        .render({"letters": letters, "paper": letters[0].paper, "latin": latin_only})
    )
    pages = html_to_pdf(html).pages
    if pages != count:
        raise AssertionError(f"{count} letter(s) took {pages} pages; each must fit one page.")
    return pages


def _timed(func, *args, **kwargs) -> float:
    start = time.perf_counter()
    func(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def run(*, samples: int = SAMPLES, batch: int = BATCH) -> Iterator[tuple[str, float, str]]:
    for _ in range(WARMUP):
        render_letters(1)
        render_letters(1, latin_only=True)

    # Chinese and Latin samples alternate, so that a busy machine weighs on both alike.
    single: list[float] = []
    floor: list[float] = []
    for _ in range(samples):
        single.append(_timed(render_letters, 1))
        floor.append(_timed(render_letters, 1, latin_only=True))
    yield "paperwork.single_ms", statistics.median(single), "ms"

    batches = [_timed(render_letters, batch) for _ in range(min(BATCH_SAMPLES, samples))]
    yield "paperwork.batch_page_ms", statistics.median(batches) / batch, "ms"

    yield "paperwork.latin_floor_ms", statistics.median(floor), "ms"
