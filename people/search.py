"""Finding people by name: the Chinese characters, a pinyin spelling, or a whole ID number.

Each person stores ``name_search``, the name in toneless pinyin without spaces
(王晓燕 → ``wangxiaoyan``), and PostgreSQL keeps a trigram index of it
(``people/migrations/0003_name_search_trigram``). A search never needs a scan of every
person there:

- a term in pinyin (``wang xiao``, ``Wang2 Xiao3``, ``wangxiao``) matches the key directly;
- a term in characters (``晓燕``) matches the name, and also the key of the term
  (``xiaoyan``): the two conditions mean the same, and the second is the one the index can
  answer. Chinese names are two or three characters, and a two-character term has no
  trigram of its own, while its pinyin has several.

For the second rule to be exact, the key converts each character on its own: the pinyin of
part of a name is then always part of the name's pinyin. Readings that depend on the
neighbouring characters (重庆: chong, not zhong) are added after a ``|`` so that a pinyin
search finds them too. On SQLite the same conditions are ``LIKE`` scans, bounded by the
paginator (``core.pagination``).
"""

import re
import unicodedata

from django.db.models import Q
from pypinyin import Style, lazy_pinyin

from core.identity import normalise_id_number

_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")
# What a person may type between or after syllables: spaces, apostrophes (xi'an), tone numbers
_NOT_LETTERS = re.compile(r"[\s'’·.\-0-9]+")


def _spell(parts) -> str:
    return "".join(lazy_pinyin(parts, style=Style.NORMAL, errors="default")).lower()


def name_search_key(name: str) -> str:
    """The stored search key of ``name``: character by character, then (when it differs)
    the reading in context, after a ``|``."""
    name = unicodedata.normalize("NFKC", name).strip()
    by_character = _spell(list(name))
    in_context = _spell(name)
    key = by_character if in_context == by_character else f"{by_character}|{in_context}"
    return _NOT_LETTERS.sub("", key)


def _term_key(term: str) -> str:
    term = term.lower().replace("ü", "v").replace("u:", "v")
    return _NOT_LETTERS.sub("", term)


def name_condition(term: str) -> Q | None:
    """The condition on people matching ``term``, or None when the term is empty."""
    term = unicodedata.normalize("NFKC", term).strip()
    if not term:
        return None
    number = normalise_id_number(term)
    if len(number) == 18:
        return Q(id_number=number)
    if _HAN.search(term):
        condition = Q(name__contains=term)
        key = _spell(list(term.replace(" ", "")))
        if key and not _HAN.search(key):
            condition &= Q(name_search__contains=key)
        return condition
    key = _term_key(term)
    if not key:  # digits or punctuation only: no name is spelled so
        return Q(pk__in=[])
    return Q(name_search__contains=key)
