"""What a document may load while it renders: data: URLs only.

A document's HTML carries text from people and files (names, schools, uploaded photos). Were
``file:`` URLs fetched, a value ending up in an ``src`` could print a server file into a PDF.
"""

import base64
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from paperwork.render import ResourceRefused, html_to_pdf


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def images_drawn(pdf: bytes) -> int:
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        objects = resources.get("/XObject") if resources else None
        for ref in (objects or {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><body><p>核验</p>{body}</body></html>"


@pytest.fixture
def real_png(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    path.write_bytes(png_bytes())
    return path


@pytest.mark.parametrize(
    "body",
    [
        '<img src="file:///etc/passwd">',
        '<img src="{png}">',  # a real image, readable by the server, is still refused
        '<img src="file://{png}">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<style>@import url("file:///etc/hosts");</style>',
        '<p style="background: url(file:///etc/passwd)">x</p>',
        '<img src="photo.png">',  # relative: there is no folder to resolve it against
        '<img src="http://127.0.0.1:9/x.png">',
    ],
)
def test_any_url_but_data_stops_the_render(body, real_png):
    with pytest.raises(ResourceRefused, match="data: URLs"):
        html_to_pdf(page(body.format(png=real_png)))


def test_data_uri_images_are_drawn():
    uri = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    pdf = html_to_pdf(page(f'<img src="{uri}" style="width: 20mm">')).content
    assert images_drawn(pdf) == 1


@pytest.mark.django_db
def test_a_document_whose_context_points_at_a_server_file_is_not_issued(
    county, policy, real_png, hr
):
    from paperwork.models import Document
    from paperwork.services import document_issue
    from recruitment.kinds import REGISTRATION_FORM
    from tests.factories import TownshipFactory

    township = TownshipFactory(county=county)
    with pytest.raises(ResourceRefused):
        document_issue(
            kind=REGISTRATION_FORM,
            context={"photo": f"file://{real_png}"},
            subject=township,
            by=hr,
            county=county,
            township=township,
            issuing_body=township.issuing_body,
        )
    assert not Document.objects.exists()
