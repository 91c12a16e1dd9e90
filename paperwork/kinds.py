"""The registry of document kinds. The engine knows no kind of its own: each app declares the
kinds it issues in its ``kinds.py`` and registers them there, for example::

    # contracts/kinds.py
    WARNING_NOTICE = Kind(
        "warning_notice",
        printed_title="预警通知书",
        label=_("Warning notice"),
        template="paperwork/contracts/warning_notice.html",
        version=1,
    )
    register(WARNING_NOTICE, ...)

``PaperworkConfig.ready`` imports the ``kinds`` module of every installed app (as the admin
finds ``admin`` modules), so every kind is registered before a request or a command runs.
Code that issues or looks up a document imports the constant from its app
(``contracts.kinds.WARNING_NOTICE``), which an editor can jump to.

Raise ``version`` whenever a template changes what a document says or how it looks: each
stored document names the version it was printed from, and is never printed again. The system
check ``paperwork.E003`` reports a kind whose template is missing, a code registered twice
with different contents, and a code that does not fit ``Document.kind``.
"""

import re
from collections.abc import Iterator

from django.utils.functional import Promise

CODE_MAX_LENGTH = 48  # Document.kind
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


class Kind(str):
    """One kind of document. The string itself is the code stored in ``Document.kind`` (as a
    ``TextChoices`` member is), so a kind can be passed wherever a code is expected."""

    printed_title: str
    """The Chinese name, printed as the title unless the issuing code gives another."""
    label: "str | Promise"
    """The name shown in the interface (translatable; the Chinese catalogue gives ``title``)."""
    template: str
    version: int
    carries_full_id: bool
    """The document prints the person's full ID number (a contract: an instrument between
    two parties). ``document_issue`` refuses a full number in every other kind; downloading
    one needs ``people.view_full_identity`` or being its person, and is logged
    (``paperwork.views.document_download``); the public verify page never serves it."""
    tells_person: bool
    """The person a document of this kind is about is told it was issued (a notification in
    the category "documents issued", ``paperwork.services.tell_their_people``): the kinds that
    matter to a director (their contract, pay slip, appraisal form, warning notice …), not
    an applicant's forms or a township's bulletin."""

    def __new__(
        cls,
        code: str,
        *,
        printed_title: str,
        label: "str | Promise",
        template: str,
        version: int,
        carries_full_id: bool = False,
        tells_person: bool = False,
    ) -> "Kind":
        self = super().__new__(cls, code)
        self.printed_title = printed_title
        self.label = label
        self.template = template
        self.version = version
        self.carries_full_id = carries_full_id
        self.tells_person = tells_person
        return self

    def __repr__(self) -> str:
        return f"Kind({str(self)!r}, template={self.template!r}, version={self.version})"

    def __reduce__(self):
        # Pickled (a cached model instance, a task argument) as the plain code.
        return (str, (str(self),))

    def same_as(self, other: "Kind") -> bool:
        return (
            str(self),
            self.printed_title,
            str(self.label),
            self.template,
            self.version,
            self.carries_full_id,
            self.tells_person,
        ) == (
            str(other),
            other.printed_title,
            str(other.label),
            other.template,
            other.version,
            other.carries_full_id,
            other.tells_person,
        )


_kinds: dict[str, Kind] = {}
# Codes registered twice with different contents, reported by the check paperwork.E003 (a
# startup that raises would hide every other check).
conflicts: list[tuple[Kind, Kind]] = []


def register(*kinds: Kind) -> None:
    """Add ``kinds`` to the registry. Registering the same kind again changes nothing."""
    for kind in kinds:
        known = _kinds.get(str(kind))
        if known is None:
            _kinds[str(kind)] = kind
        elif not known.same_as(kind):
            conflicts.append((known, kind))


def get(code: str) -> Kind:
    """The registered kind with ``code``; LookupError if no app registers it."""
    try:
        return _kinds[str(code)]
    except KeyError:
        raise LookupError(f"No app registers the document kind {code!r}.") from None


def all_kinds() -> Iterator[Kind]:
    return iter(_kinds.values())


def codes() -> set[str]:
    return set(_kinds)


def kind_choices() -> list[tuple[str, str | Promise]]:
    """``(code, label)`` of every registered kind: the choices of ``Document.kind``."""
    return [(str(kind), kind.label) for kind in _kinds.values()]


def problems(kind: Kind) -> list[str]:
    """What is wrong with the code of ``kind`` itself (its template is checked apart)."""
    found = []
    if not _CODE.match(kind):
        found.append(f"the code {str(kind)!r} is not lower case letters, digits and '_'")
    if len(kind) > CODE_MAX_LENGTH:
        found.append(f"the code {str(kind)!r} is longer than {CODE_MAX_LENGTH} characters")
    if kind.version < 1:
        found.append(f"the version of {str(kind)!r} is not a positive number")
    return found
