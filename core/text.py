"""Text helpers shared by every app."""

from pypinyin import Style, lazy_pinyin


def pinyin_key(name: str) -> str:
    """Sort key so that names sort by pinyin (DESIGN.md data rules)."""
    return " ".join(lazy_pinyin(name, style=Style.TONE3, errors="default")).lower()
