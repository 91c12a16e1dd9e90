"""Issuing documents: render, hash, store, record and audit, in one transaction; the file
follows the transaction (``core.files``)."""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import segno
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_entry, audit_record
from core.files import discard_uncommitted, save_on_commit, sync_staged
from core.identity import check_digit
from notifications.models import Category
from notifications.services import notify_each
from paperwork import kinds
from paperwork.fonts import uncovered_characters
from paperwork.kinds import Kind
from paperwork.models import Document, new_verification_code
from paperwork.render import Chunk, RenderedPdf, batch_chunk_size, chunks_to_pdfs, html_to_pdf

CODE_ATTEMPTS = 8

# An 18-character ID number standing alone (not inside a longer run of letters or digits).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")


class DocumentIssueError(ValueError):
    """A document cannot be issued as asked; the message says why."""


@dataclass(frozen=True)
class Paper:
    """What every document template prints besides its own content (as ``paper``)."""

    kind: str
    title: str
    issuing_body: str
    issued_on: datetime.date
    verification_code: str
    verify_url: str
    qr_data_uri: str
    template_version: int
    policy_version: int | None


def verify_url(code: str) -> str:
    """The public address printed on a document, built from CUNPIN_PUBLIC_BASE_URL."""
    base = settings.CUNPIN_PUBLIC_BASE_URL.rstrip("/") + "/"
    return urljoin(base, reverse("verify", kwargs={"code": code}).lstrip("/"))


def printing_warm_up() -> None:
    """Load what the first document of a process would otherwise wait for: WeasyPrint and
    the fonts (about half a second), the print fonts' coverage (``paperwork.fonts``, about
    half a second) and the URL patterns the verification address is built from. The
    background worker calls it when it starts; a web process pays it on its first document."""
    from paperwork.fonts import layout_coverage

    html_to_pdf('<html lang="zh-CN"><body><p>预热</p></body></html>')
    layout_coverage()
    verify_url("WARMUP")


# The QR codes' data mask. Choosing it (eight trial maskings scored in pure Python) took three
# quarters of the time of a QR code. ISO/IEC 18004 scores the masks to break up regular data;
# a verification address ends in random characters, where the eight masks score within a few
# per cent of each other (measured over random codes), so one that scores well on average
# serves every code. Any mask is read by every reader: the symbol states which it uses.
QR_MASK = 2


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG data URI, one pixel a module (error correction M or
    better, no quiet zone: the layout leaves white space around it). The layout scales it
    without smoothing (``image-rendering: pixelated``), so the modules print sharp; a PNG of
    a few hundred bytes is drawn as one image, where an SVG path was parsed and drawn module
    by module."""
    return segno.make_qr(text, error="m", mask=QR_MASK).png_data_uri(border=0, scale=1)


def new_paper(
    kind: Kind,
    *,
    code: str,
    issuing_body: str,
    issued_on: datetime.date,
    title: str | None = None,
    policy_version: int | None = None,
) -> Paper:
    """The ``paper`` of a document of ``kind`` with verification code ``code``."""
    url = verify_url(code)
    return Paper(
        kind=str(kind),
        title=title or kind.printed_title,
        issuing_body=issuing_body,
        issued_on=issued_on,
        verification_code=code,
        verify_url=url,
        qr_data_uri=qr_data_uri(url),
        template_version=kind.version,
        policy_version=policy_version,
    )


def document_html(kind: Kind, context: dict, paper: Paper) -> str:
    """The HTML of a document: the kind's template with ``context`` and ``paper``, in Chinese
    whatever the language of the request."""
    with translation.override("zh-hans"):
        return render_to_string(kind.template, {**context, "paper": paper})


def _fresh_code() -> str:
    """A verification code no document has yet. With 50 random bits a clash is very rare;
    the unique constraint still guards against two issues racing for the same code."""
    for _attempt in range(CODE_ATTEMPTS):
        code = new_verification_code()
        if not Document.objects.filter(verification_code=code).exists():
            return code
    raise DocumentIssueError("Could not find a free verification code.")


def _fresh_codes(count: int) -> list[str]:
    """``count`` distinct verification codes no document has yet, checked in one query a
    draw (``_fresh_code`` for many)."""
    codes: dict[str, None] = {}
    for _attempt in range(CODE_ATTEMPTS):
        drawn = {new_verification_code() for _ in range(count - len(codes))} - codes.keys()
        taken = set(
            Document.objects.filter(verification_code__in=drawn).values_list(
                "verification_code", flat=True
            )
        )
        codes.update(dict.fromkeys(code for code in drawn if code not in taken))
        if len(codes) == count:
            return list(codes)
    raise DocumentIssueError("Could not find a free verification code.")


def _refuse_full_id_numbers(html: str) -> None:
    """Documents print masked ID numbers only, except the kinds that carry the full number
    (``Kind.carries_full_id``: the contract); a valid full number in the HTML of any other
    kind is a bug."""
    for match in _ID_NUMBER.finditer(html):
        number = match.group(1).upper()
        if check_digit(number[:17]) == number[17]:
            raise DocumentIssueError(
                f"The document would print a full ID number ({number[:6]}…); print "
                "person.masked_id_number instead."
            )


def _refuse_unprintable(html: str) -> None:
    missing = uncovered_characters(html)
    if missing:
        listed = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing[:10])
        raise DocumentIssueError(
            f"No installed font can print {listed}: the document would show empty boxes. "
            "Install a font that covers these characters."
        )


def _check_supersedes(old: Document, *, kind: str, content_type, object_id: int) -> Document:
    """Lock the document to supersede and check it may be superseded by this one."""
    old = Document.objects.select_for_update().get(pk=old.pk)
    if old.kind != kind or old.content_type_id != content_type.pk or old.object_id != object_id:
        raise DocumentIssueError(
            "A document can only supersede one of the same kind about the same subject."
        )
    if Document.objects.filter(supersedes=old).exists():
        raise DocumentIssueError(
            f"Document {old.verification_code} is already superseded; supersede the current "
            "version instead."
        )
    return old


def document_issue(
    *,
    kind: str,
    context: dict,
    subject: models.Model,
    by,
    county,
    issuing_body: str,
    title: str | None = None,
    township=None,
    person=None,
    policy=None,
    transition: str = "",
    supersedes: Document | None = None,
) -> Document:
    """Render the kind's template with ``context``, store the PDF and record it.

    ``kind`` is a registered ``paperwork.kinds.Kind`` (or its code): the registry decides the
    template and its version. ``title`` defaults to the
    kind's title and must not carry a person's name (it is public on the verify page). The
    template receives ``paper`` (``Paper``: title, issuing body, date, code, verify URL, QR)
    besides ``context``. ``supersedes`` names the current document of the same kind and
    subject that this one replaces; it stays stored and its verify page points here.

    One transaction: if anything fails, no row remains. The PDF is written before commit
    (a full disk fails the issue) and published when the caller's outermost transaction
    commits (``core.files.save_on_commit``); if any enclosing transaction rolls back, the
    file is deleted with it.
    """
    spec = kinds.get(kind)
    item = BatchItem(
        subject=subject,
        context=context,
        issuing_body=issuing_body,
        title=title,
        township=township,
        person=person,
        supersedes=supersedes,
    )
    try:
        with transaction.atomic():
            prepared = _prepare(spec, item, policy=policy, now=timezone.now())
            pdf = html_to_pdf(prepared.html)
            document = _store(prepared, pdf, by=by, county=county, transition=transition)
            tell_their_people([document])
    except BaseException:
        discard_uncommitted()  # this issue's file, now that its savepoint has rolled back
        raise
    return document


@dataclass(frozen=True)
class BatchItem:
    """One document of a batch (``documents_issue``): what ``document_issue`` takes for it."""

    subject: models.Model
    context: dict
    issuing_body: str
    title: str | None = None
    township: Any = None
    person: Any = None
    supersedes: Document | None = None


@dataclass(frozen=True)
class _Prepared:
    spec: Kind
    item: BatchItem
    title: str
    content_type: ContentType
    supersedes: Document | None
    code: str
    html: str
    policy: Any
    now: datetime.datetime


def _check_supersedes_batch(spec: Kind, items: list[BatchItem]) -> list[Document | None]:
    """``_check_supersedes`` for every item of a batch, in two queries: the documents to
    supersede, locked, and whether any is superseded already."""
    kind = str(spec)
    wanted = [item.supersedes.pk for item in items if item.supersedes is not None]
    if not wanted:
        return [None] * len(items)
    if len(set(wanted)) != len(wanted):
        raise DocumentIssueError("Two documents of a batch cannot supersede the same one.")
    locked = Document.objects.select_for_update().in_bulk(wanted)
    superseded = set(
        Document.objects.filter(supersedes__in=wanted).values_list("supersedes_id", flat=True)
    )
    checked: list[Document | None] = []
    for item in items:
        if item.supersedes is None:
            checked.append(None)
            continue
        old = locked[item.supersedes.pk]
        content_type = ContentType.objects.get_for_model(type(item.subject))
        if (
            old.kind != kind
            or old.content_type_id != content_type.pk
            or old.object_id != item.subject.pk
        ):
            raise DocumentIssueError(
                "A document can only supersede one of the same kind about the same subject."
            )
        if old.pk in superseded:
            raise DocumentIssueError(
                f"Document {old.verification_code} is already superseded; supersede the "
                "current version instead."
            )
        checked.append(old)
    return checked


_UNCHECKED: Any = object()


def _prepare(
    spec: Kind,
    item: BatchItem,
    *,
    policy,
    now: datetime.datetime,
    code: str | None = None,
    supersedes: Any = _UNCHECKED,
) -> _Prepared:
    """Check what is superseded, draw the code and write the HTML of one document (inside
    the caller's transaction). A batch passes the ``code`` it drew and the ``supersedes`` it
    checked for the item (``_fresh_codes``, ``_check_supersedes_batch``)."""
    kind = str(spec)
    title = item.title or spec.printed_title
    content_type = ContentType.objects.get_for_model(type(item.subject))
    if supersedes is _UNCHECKED:
        supersedes = item.supersedes
        if supersedes is not None:
            supersedes = _check_supersedes(
                supersedes, kind=kind, content_type=content_type, object_id=item.subject.pk
            )
    if code is None:
        code = _fresh_code()
    paper = new_paper(
        spec,
        code=code,
        title=title,
        issuing_body=item.issuing_body,
        issued_on=timezone.localdate(now),
        policy_version=policy.version if policy is not None else None,
    )
    html = document_html(spec, item.context, paper)
    if not spec.carries_full_id:
        _refuse_full_id_numbers(html)
    _refuse_unprintable(html)
    return _Prepared(
        spec=spec,
        item=item,
        title=title,
        content_type=content_type,
        supersedes=supersedes,
        code=code,
        html=html,
        policy=policy,
        now=now,
    )


def _store(prepared: _Prepared, pdf: RenderedPdf, *, by, county, transition: str) -> Document:
    """Store the PDF of a prepared document, record it and audit it."""
    document = _unsaved(prepared, pdf, by=by, county=county, transition=transition)
    save_on_commit(document.file, _file_name(prepared), pdf.content)
    document.save()
    audit_record(**_audit_of(document, by=by, transition=transition))
    return document


def _store_batch(
    prepared: list[_Prepared], pdfs: list[RenderedPdf], *, by, county, transition: str
) -> list[Document]:
    """``_store`` for a batch: every file written, then flushed to disk together
    (``core.files.sync_staged``), then the rows and their audit entries inserted in bulk,
    so that no row is written before its file is on disk."""
    documents = []
    for p, pdf in zip(prepared, pdfs, strict=True):
        document = _unsaved(p, pdf, by=by, county=county, transition=transition)
        save_on_commit(document.file, _file_name(p), pdf.content, sync=False)
        documents.append(document)
    sync_staged([d.file.name for d in documents], storage=Document.file.field.storage)
    Document.objects.bulk_create(documents)
    AuditEntry.objects.bulk_create(
        [audit_entry(**_audit_of(d, by=by, transition=transition)) for d in documents]
    )
    return documents


def tell_their_people(documents: list[Document]) -> int:
    """Tell the person each document is about, through their account (a director's), that it
    was issued: only for the kinds that matter to them (``Kind.tells_person``: their contract,
    pay slip, appraisal form, warning notice …), in the category "documents issued", once per
    document. A fixed number of queries for a whole batch."""
    told = [d for d in documents if d.person_id is not None and kinds.get(d.kind).tells_person]
    if not told:
        return 0
    accounts: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(person_id__in={d.person_id for d in told}, is_active=True):
        accounts[user.person_id].append(user)  # type: ignore[index]
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            (
                accounts[d.person_id],  # type: ignore[index]
                f"document:{d.pk}",
                gettext("A document about you was issued: %(title)s (verification code %(code)s).")
                % {"title": d.title, "code": d.verification_code},
                reverse("paperwork:download", args=[d.pk]),
            )
            for d in told
            if accounts.get(d.person_id)  # type: ignore[arg-type]
        ]
    return notify_each(messages, category=Category.DOCUMENTS)


def _file_name(prepared: _Prepared) -> str:
    return f"{prepared.spec}-{prepared.code}.pdf"


def _unsaved(prepared: _Prepared, pdf: RenderedPdf, *, by, county, transition: str) -> Document:
    spec, item, code, title = prepared.spec, prepared.item, prepared.code, prepared.title
    kind = str(spec)
    subject = item.subject
    return Document(
        kind=kind,
        title=title,
        content_type=prepared.content_type,
        object_id=subject.pk,
        subject_repr=str(getattr(subject, "public_repr", None) or subject)[:200],
        template_name=spec.template,
        template_version=str(spec.version),
        policy=prepared.policy,
        issuing_body=item.issuing_body,
        county=county,
        township=item.township,
        person=item.person,
        sha256=pdf.sha256,
        size=len(pdf.content),
        pages=pdf.pages,
        verification_code=code,
        produced_by=by if getattr(by, "pk", None) else None,
        transition=transition,
        supersedes=prepared.supersedes,
        issued_at=prepared.now,
    )


def _audit_of(document: Document, *, by, transition: str) -> dict:
    """The audit entry of an issued document (``audit_record``'s arguments)."""
    return {
        "obj": document,
        "action": AuditEntry.Action.CREATE,
        "by": by,
        "transition": transition,
        "after": {
            "kind": document.kind,
            "title": document.title,
            "subject": document.subject_repr,
            "verification_code": document.verification_code,
            "sha256": document.sha256,
            "pages": document.pages,
            "template_version": document.template_version,
            "policy_id": document.policy_id,
            "supersedes_id": document.supersedes_id,
            "file": document.file.name,
        },
    }


def documents_issue(
    *,
    kind: str,
    items: list[BatchItem],
    by,
    county,
    policy=None,
    transition: str = "",
    processes: int = 1,
) -> list[Document]:
    """Issue one document of ``kind`` for each of ``items`` at once: each is stored,
    recorded and audited exactly as ``document_issue`` would (its own verification code
    printed on its pages, its own SHA-256, subject, township and person), but they are laid
    out in one pass a chunk (``paperwork.render.chunks_to_pdfs``), several times faster.

    One transaction: if any document fails, none remains. A background job issues a long
    batch in slices of a few dozen, each its own call, so that a failure loses one slice and
    a retry resumes after the slices done. ``processes`` > 1 lays the documents out in
    that many processes (``paperwork.render.chunks_to_pdfs``; background workers only, see
    ``jobs.services.render_processes``).
    """
    if not items:
        return []
    spec = kinds.get(kind)
    now = timezone.now()
    try:
        with transaction.atomic():
            codes = _fresh_codes(len(items))
            supersedes = _check_supersedes_batch(spec, items)
            size = batch_chunk_size(len(items), processes)
            prepared: list[_Prepared] = []

            def chunks() -> Iterator[Chunk]:
                # Each chunk's HTML is written while the pool lays out the ones before it.
                for start in range(0, len(items), size):
                    part = [
                        _prepare(spec, item, policy=policy, now=now, code=code, supersedes=old)
                        for item, code, old in zip(
                            items[start : start + size],
                            codes[start : start + size],
                            supersedes[start : start + size],
                            strict=True,
                        )
                    ]
                    prepared.extend(part)
                    yield (
                        [p.html for p in part],
                        [p.title for p in part],
                        [p.item.issuing_body for p in part],
                    )

            pdfs = chunks_to_pdfs(chunks(), processes=processes if len(items) > size else 1)
            documents = _store_batch(prepared, pdfs, by=by, county=county, transition=transition)
            tell_their_people(documents)
    except BaseException:
        discard_uncommitted()
        raise
    return documents
