"""Text helpers shared by every app."""

from django.utils.translation import get_language, pgettext
from pypinyin import Style, lazy_pinyin


def pinyin_key(name: str) -> str:
    """Sort key so that names sort by pinyin (DESIGN.md data rules)."""
    return " ".join(lazy_pinyin(name, style=Style.TONE3, errors="default")).lower()


def join_list(items) -> str:
    """Items joined as the active language lists them: 甲、乙、丙 in Chinese, "a, b, c"
    otherwise."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(str(item) for item in items)


def with_colon(label) -> str:
    """A label and the active language's colon, before its value: "状态：", "State: "."""
    return pgettext("a label before its value", "%(label)s: ") % {"label": label}


def in_brackets(note) -> str:
    """A note after a text in the active language's brackets: "（有效）", " (active)"."""
    return pgettext("a note in brackets after a text", " (%(note)s)") % {"note": note}
