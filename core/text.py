"""Text helpers shared by every app."""

from django.utils.translation import get_language
from pypinyin import Style, lazy_pinyin


def pinyin_key(name: str) -> str:
    """Sort key so that names sort by pinyin (DESIGN.md data rules)."""
    return " ".join(lazy_pinyin(name, style=Style.TONE3, errors="default")).lower()


def join_list(items) -> str:
    """Items joined as the active language lists them: 甲、乙、丙 in Chinese, "a, b, c"
    otherwise."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(str(item) for item in items)
