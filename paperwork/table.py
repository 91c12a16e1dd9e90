"""The paperwork table: which document each transition produces, the one place to read it.

The engine keeps the table and knows no entry of its own: each app declares the documents
its transitions produce in its ``paperwork.py`` (as it registers its kinds in ``kinds.py``),
and ``PaperworkConfig.ready`` imports those modules, so the table is whole before a request or
a command runs. ``all_entries()`` reads it; ``tests/test_paperwork_table.py`` walks it and
renders every entry.

An entry names the model and the transition (or, for a step that is not a state change, such
as submitting an application, the step), the kind of document, and the function that issues
it, ``issue(subject, *, by) -> Document``, which an editor can jump to. A service calls
``issue_for(subject, "<transition>", by=...)`` right after the transition, inside the same
transaction. ``when``, if given, says whether the step produced the document for this subject
(a dismissal case decided to close produces none).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from paperwork.kinds import Kind
from paperwork.models import Document

Issuer = Callable[..., Document]


@dataclass(frozen=True)
class PaperworkEntry:
    model: type[Model]
    transition: str
    kind: Kind
    issue: Issuer
    """``issue(subject, *, by) -> Document``"""
    recipient: str
    when: Callable[[Any], bool] | None = None
    """Whether the transition produced the document for ``subject``; always when ``None``."""

    def applies_to(self, subject: Model) -> bool:
        return self.when is None or self.when(subject)


_entries: list[PaperworkEntry] = []


def declare(*entries: PaperworkEntry) -> None:
    """Add ``entries`` to the table; declaring an entry again changes nothing."""
    for entry in entries:
        if entry not in _entries:
            _entries.append(entry)


def all_entries() -> list[PaperworkEntry]:
    return list(_entries)


def entries_for(model: type[Model], transition: str) -> list[PaperworkEntry]:
    return [e for e in _entries if e.model is model and e.transition == transition]


def issue_for(subject: Model, transition: str, *, by) -> list[Document]:
    """Issue every document the table declares for ``transition`` of ``subject``."""
    return [
        e.issue(subject, by=by)
        for e in entries_for(type(subject), transition)
        if e.applies_to(subject)
    ]
