"""Pictures and PDF files uploaded by strangers, checked at a bounded cost.

Pictures (JPEG and PNG). Pillow reads the header on ``Image.open`` and decodes the pixels only
on ``load``; decoding is where a picture costs time and memory (width × height × 4 bytes: a
9400 × 9400 PNG of 336 KB takes 337 MB). So the header is read first and the dimensions are
refused before anything is decoded (``image_header``); Pillow's own guard
(``Image.MAX_IMAGE_PIXELS``) lets that picture through. A JPEG is then decoded at a reduced
scale where that is all that is needed (libjpeg scales by 1/2, 1/4 or 1/8 while decoding).

``photo_downscaled`` re-encodes a photo as a JPEG of at most ``PHOTO_BOX`` pixels, turned
upright by its EXIF orientation and without its metadata (camera, place, time): every
document that prints the photo stays small and cheap to render.

``scan_image_check`` verifies a scanned picture without decoding all of it: a PNG's chunks and
checksums (``Image.verify``), a JPEG decoded at 1/8 scale.

``pdf_page_count`` opens a PDF with pypdf and counts its pages: the file must parse, have at
least one page and at most the number allowed. Only the cross-reference table and the page
tree are read (no page content is decoded; pypdf bounds what its filters unpack), and the
tree is walked with a budget of nodes rather than flattened: a 5 MB file can declare a
hundred thousand pages, and pypdf's own count would visit them all.
"""

import io
import warnings
from dataclasses import dataclass

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
PHOTO_BOX = (600, 800)  # width × height a stored photo fits in: a 1-inch photo at 600 dpi
PHOTO_QUALITY = 85


class UploadError(ValueError):
    """A file that is not what it claims, or cannot be read."""


@dataclass(frozen=True)
class ImageHeader:
    format: str  # "JPEG" or "PNG"
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def content_type(self) -> str:
        return IMAGE_FORMATS[self.format][0]

    @property
    def extension(self) -> str:
        return IMAGE_FORMATS[self.format][1]


def _open(content: bytes):
    from PIL import Image

    with warnings.catch_warnings():
        # Our own limits are checked against the header; Pillow's warning is not needed.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(content))


def image_header(content: bytes) -> ImageHeader | None:
    """Format and dimensions of a JPEG or PNG from its header, decoding nothing; None for
    anything else (or a header Pillow cannot read)."""
    try:
        with _open(content) as image:
            image_format = image.format or ""
            width, height = image.size
    except Exception:  # Pillow raises many kinds of errors for a file it cannot read
        return None
    if image_format not in IMAGE_FORMATS or width <= 0 or height <= 0:
        return None
    return ImageHeader(image_format, width, height)


def _truncated(content: bytes, header: ImageHeader) -> bool:
    """Whether a picture ends before its last marker: a JPEG without an end-of-image marker
    after its scan, a PNG without its IEND chunk. Checked here because Pillow's own check
    depends on a process-wide switch (``ImageFile.LOAD_TRUNCATED_IMAGES``) that WeasyPrint
    turns on when it is imported: after the first document, Pillow fills a cut-off picture
    with grey instead of failing."""
    if header.format == "JPEG":
        scan = content.find(b"\xff\xda")
        return scan == -1 or content.find(b"\xff\xd9", scan) == -1
    return b"IEND" not in content


def _upright_box(image, box: tuple[int, int]) -> tuple[int, int]:
    """``box`` as the picture is stored, before its EXIF orientation turns it upright."""
    try:
        orientation = image.getexif().get(0x0112)
    except Exception:
        return box
    return (box[1], box[0]) if orientation in (5, 6, 7, 8) else box


def photo_downscaled(content: bytes, header: ImageHeader, *, box=PHOTO_BOX) -> bytes:
    """The photo as a JPEG that fits in ``box``, upright, without metadata. Call it only
    after ``header`` has been checked against the limits: it decodes the picture (a JPEG at
    the smallest scale that still fills ``box``). Raises UploadError when the picture
    cannot be decoded."""
    from PIL import Image, ImageOps

    if _truncated(content, header):
        raise UploadError("the picture is cut off")
    try:
        with _open(content) as image:
            image.thumbnail(_upright_box(image, box), Image.Resampling.LANCZOS)
            upright = ImageOps.exif_transpose(image) or image
            if upright.mode in ("RGBA", "LA", "P", "PA"):
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
            else:
                flat = upright.convert("RGB")
            output = io.BytesIO()
            flat.save(output, "JPEG", quality=PHOTO_QUALITY, optimize=True)
    except Exception as exc:  # a truncated or fake file fails while decoding
        raise UploadError(str(exc)) from exc
    return output.getvalue()


def scan_image_check(content: bytes, header: ImageHeader) -> None:
    """Verify a scanned picture whose ``header`` has been checked against the limits,
    without decoding all of it; UploadError when it is damaged."""
    if _truncated(content, header):
        raise UploadError("the picture is cut off")
    try:
        with _open(content) as image:
            if header.format == "PNG":
                image.verify()  # chunk structure and checksums; no pixels decoded
            else:
                image.draft("RGB", (max(header.width // 8, 1), max(header.height // 8, 1)))
                image.load()
    except Exception as exc:
        raise UploadError(str(exc)) from exc


class PdfPasswordError(UploadError):
    """A PDF that opens only with a password."""


def _count_pages(reader, limit: int) -> int:
    """The pages of the document's page tree, walked from the catalogue: stops at
    ``limit + 1`` pages, refuses a node seen twice (a cycle) and a tree of more than
    ``10 × limit + 10`` nodes, so that a file's cost never depends on what it declares."""
    from pypdf.generic import IndirectObject

    stack = [reader.trailer["/Root"].get_object()["/Pages"]]
    seen: set = set()
    pages = 0
    while stack:
        reference = stack.pop()
        key = (
            (reference.idnum, reference.generation)
            if isinstance(reference, IndirectObject)
            else None
        )
        if key is not None:
            if key in seen:
                raise UploadError("a node of the page tree is reached twice")
            seen.add(key)
        if len(seen) > 10 * limit + 10:
            raise UploadError("the page tree is too large")
        node = reference.get_object()
        kids = node.get("/Kids") if node.get("/Type") != "/Page" else None
        if kids is None:
            pages += 1
            if pages > limit:
                return pages
        else:
            stack.extend(reversed(list(kids.get_object())))
    return pages


def pdf_page_count(content: bytes, *, limit: int) -> int | None:
    """The number of pages of a PDF, counted up to ``limit + 1``; None for one with an
    owner password that pypdf cannot decrypt here (it opens without a password, but its
    objects are encrypted with AES, which needs a cryptography package this site does not
    install). Raises PdfPasswordError for a PDF that needs a password to be opened, and
    UploadError when it cannot be parsed."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            try:
                if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    raise PdfPasswordError("a password is needed")
            except DependencyError:
                return None
        return _count_pages(reader, limit)
    except UploadError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors, RecursionError among them
        raise UploadError(str(exc)) from exc
