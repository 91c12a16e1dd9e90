"""Text from people and files, normalised once before it is validated or stored (DESIGN.md,
data rules). Every form (``core.forms.NormalisedFormMixin``), both spreadsheet imports
(``core.tabular``), the ID and mobile number parsers (``core.identity``) and the number
parsers below go through ``normalise_text`` or ``clean_text``.

What happens to a text, in this order:

1. Line breaks are unified (CR LF, CR, NEL, U+2028/2029 → LF); a single-line field turns them
   and tabs into spaces. Any other control character (NUL, ESC, DEL, C1 codes) is refused:
   PostgreSQL cannot store NUL, and the others come from copying out of other programs.
2. Invisible characters are removed: format characters (zero-width space and joiners, BOM,
   soft hyphen, bidirectional marks and isolates, word joiner, tags) and the other "default
   ignorable" code points (variation selectors, Hangul fillers, the combining grapheme
   joiner), and the braille blank. ``北口村`` with a zero-width space inside is ``北口村``.
3. Letters, decimal digits and spaces get their compatibility form (NFKC): full-width ``１２３``
   and ``ＡＢＣ`` become ``123`` and ``ABC``, half-width katakana become full-width, every kind
   of space becomes a plain space, a Kangxi radical such as ``⼝`` (U+2F1D) becomes the
   character ``口`` it looks like, and CJK compatibility ideographs become the unified ones.
   Digits of other scripts (Arabic-Indic ``٨٠``) are not digits 0–9 under NFKC and stay as
   they are, so the number and ID parsers refuse them.

   Punctuation and symbols are *not* changed. Chinese text is written with full-width
   punctuation (GB/T 15834): NFKC would turn ``，（）：；！？`` into their ASCII forms and the
   addresses, notes and names printed on the documents would mix half-width punctuation into
   Chinese sentences; ``①`` and ``㎡`` in a note would become ``1`` and ``m2``. Punctuation is
   visible, so keeping it as typed does not let two names look alike, which is what the
   normalisation is for.
4. Runs of spaces are folded to one and the ends trimmed (a multi-line text keeps its lines).
5. A character that cannot be printed is refused: private-use and unassigned code points,
   lone surrogates, and any character no installed font can draw. Core knows nothing of fonts;
   ``paperwork`` registers its check with ``set_print_check`` when it starts.

``normalise_text`` does 1–4 without refusing anything (it drops control characters): for
matching headers, keys and search terms. ``clean_text`` does all five and raises a
``ValidationError`` naming the field.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.text import join_list

# Invisible characters, removed: every character of category Cf (format: soft hyphen, Arabic
# number signs, zero-width space and joiners, bidirectional marks and isolates, word joiner,
# invisible operators, BOM, interlinear annotation, tags …) and the other
# Default_Ignorable_Code_Point code points of Unicode's DerivedCoreProperties, and the braille
# blank, which draws nothing. ``tests/test_hostile_text.py`` checks this class against the
# Unicode database of the running Python.
_INVISIBLE = re.compile(
    "["
    "\u00ad\u034f\u061c\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "]"
)
_LINE_BREAKS = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x84\x86-\x9f]")  # Cc but LF (NEL is a break)
_SPACES = re.compile(r"[ \t]+")
# Kangxi radicals and the CJK radicals supplement are symbols that look like characters.
_RADICALS = (0x2E80, 0x2FDF)
# Categories that refuse a character outright: private use, unassigned, surrogate.
_UNPRINTABLE_CATEGORIES = {"Co", "Cn", "Cs"}

# Set by ``paperwork`` at start-up: the characters of a text that no installed font can draw.
_print_check: Callable[[str], Iterable[str]] | None = None


def set_print_check(check: Callable[[str], Iterable[str]] | None) -> None:
    """Register the function that lists the characters of a text the print fonts cannot draw
    (``paperwork.fonts``); ``clean_text`` refuses a text that has any."""
    global _print_check
    _print_check = check


def _compatible(ch: str) -> str:
    """The NFKC form of a letter, digit or space; anything else unchanged."""
    category = unicodedata.category(ch)
    if category == "Zs":
        return " "
    if category[0] == "L" or category == "Nd" or _RADICALS[0] <= ord(ch) <= _RADICALS[1]:
        return unicodedata.normalize("NFKC", ch)
    return ch


def _normalise(text: str, multiline: bool) -> tuple[str, bool]:
    """``text`` normalised (steps 1–4 of the module docstring), and whether it had a control
    character (which is removed)."""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    text, controls = _CONTROLS.subn("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFC", "".join(_compatible(ch) for ch in text))
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = "\n".join(lines).strip("\n")
    else:
        text = _SPACES.sub(" ", text).strip()
    return text, controls > 0


def normalise_text(value, *, multiline: bool = False) -> str:
    """``value`` as text, normalised (steps 1–4 of the module docstring); control characters
    are dropped, nothing is refused."""
    if value is None:
        return ""
    return _normalise(str(value), multiline)[0]


def unprintable_characters(text: str) -> list[str]:
    """The characters of ``text`` that cannot be printed, each once, in the order they
    appear: private-use, unassigned and surrogate code points, and those no font can draw."""
    if text.isascii():
        return []
    found = [ch for ch in text if unicodedata.category(ch) in _UNPRINTABLE_CATEGORIES]
    if _print_check is not None:
        rest = "".join(ch for ch in text if ch not in found)
        if rest and not rest.isascii():
            found.extend(_print_check(rest))
    order = {ch: text.index(ch) for ch in found}
    return sorted(order, key=order.__getitem__)


def _describe(text: str, characters: list[str]) -> str:
    shown = characters[:5]
    return join_list(
        _("“%(char)s” (character %(position)s)") % {"char": ch, "position": text.index(ch) + 1}
        for ch in shown
    )


def clean_text(value, *, label, multiline: bool = False) -> str:
    """``value`` normalised (module docstring); raises ValidationError naming ``label`` when
    it has a control character or a character that cannot be printed."""
    if value is None:
        return ""
    text, had_controls = _normalise(str(value), multiline)
    if had_controls:
        raise ValidationError(
            _(
                "“%(field)s” contains a control character that cannot be stored (usually "
                "copied in from another program). Delete it and type the text again."
            )
            % {"field": label},
            code="control_character",
        )
    unprintable = unprintable_characters(text)
    if unprintable:
        raise ValidationError(
            _(
                "In “%(field)s”, %(characters)s cannot be printed on the documents. Use a "
                "standard character instead."
            )
            % {"field": label, "characters": _describe(text, unprintable)},
            code="unprintable",
        )
    return text


SEARCH_MAX_LENGTH = 100


def search_term(value) -> str:
    """What a search box was given, normalised like any text (a NUL or a zero-width space
    cannot reach the database: PostgreSQL refuses NUL in a query parameter) and bounded."""
    return normalise_text(value)[:SEARCH_MAX_LENGTH]


# Numbers ------------------------------------------------------------------------------------

PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def plain_number(value) -> Decimal | None:
    """The number written in ``value`` with the digits 0–9, an optional decimal point and an
    optional leading minus sign, after normalisation (so full-width ``８０`` is 80); None for
    anything else: ``1_0``, ``1e2``, ``30 00``, ``٨٠``, ``NaN``, ``+5``, ``.5``."""
    text = normalise_text(value)
    if not PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None
