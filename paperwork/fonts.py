"""The fonts the print layout uses, and whether the installed fonts can draw a text.

``templates/paperwork/base.html`` names Noto Serif CJK SC (宋体-like) for text and Noto Sans
CJK SC (黑体-like) as its fallback and for headings; keep ``PRINT_FONT_FAMILIES`` in step with
it. Pango falls back further, to any installed font with the glyph. A character that no
installed font has would print as an empty box, so ``paperwork.services`` refuses such a text
before rendering: a name such as 䶮 must come out, or the document must not be issued.
"""

import functools
import subprocess
import unicodedata

PRINT_FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")

# Characters that draw nothing or lean on the character before them: no font needs them.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"}
# Beyond this many characters outside the layout fonts, fontconfig is not asked one by one.
_MAX_FALLBACK_LOOKUPS = 64


class PrintFontsMissing(RuntimeError):
    """None of the layout's fonts is installed: every Chinese character would be a box."""


def fc_list(*args: str) -> str | None:
    """Output of ``fc-list`` with ``args``, or None when fontconfig cannot be run."""
    try:
        result = subprocess.run(
            ["fc-list", *args], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def cjk_font_families() -> list[str] | None:
    """Families fontconfig knows that cover Chinese; None when fontconfig cannot be run."""
    output = fc_list(":lang=zh", "family")
    if output is None:
        return None
    families = {name.strip() for line in output.splitlines() for name in line.split(",")}
    return sorted(name for name in families if name)


def font_file(family: str) -> tuple[str, int] | None:
    """Path and collection index of the regular face of ``family``, if installed."""
    output = fc_list("-f", "%{file}\t%{index}\t%{style}\n", family)
    if not output:
        return None
    faces = [line.split("\t") for line in output.splitlines() if line.count("\t") == 2]
    faces.sort(key=lambda face: "Regular" not in face[2])
    return (faces[0][0], int(faces[0][1])) if faces else None


@functools.cache
def layout_coverage() -> frozenset[int]:
    """Code points drawn by the layout's own fonts (read once per process, ~0.3 s a font)."""
    from fontTools.ttLib import TTFont

    codepoints: set[int] = set()
    for family in PRINT_FONT_FAMILIES:
        found = font_file(family)
        if found is None:
            continue
        path, index = found
        font = TTFont(path, fontNumber=index, lazy=True)
        try:
            codepoints.update(font.getBestCmap() or {})
        finally:
            font.close()
    return frozenset(codepoints)


@functools.lru_cache(maxsize=4096)
def any_font_covers(codepoint: int) -> bool:
    """Whether some installed font has a glyph for ``codepoint`` (Pango's last fallback)."""
    return bool((fc_list(f":charset={codepoint:x}", "family") or "").strip())


def uncovered_characters(text: str) -> list[str]:
    """The characters of ``text`` that no installed font can draw, in code point order.

    Raises ``PrintFontsMissing`` when none of the layout's fonts is installed.
    """
    coverage = layout_coverage()
    if not coverage:
        raise PrintFontsMissing(
            f"None of the print fonts ({', '.join(PRINT_FONT_FAMILIES)}) is installed; "
            "install fonts-noto-cjk."
        )
    outside = sorted(
        {
            ch
            for ch in set(text)  # each character once: a document repeats most of them
            if ord(ch) not in coverage and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
        }
    )
    if len(outside) > _MAX_FALLBACK_LOOKUPS:
        return outside
    return [ch for ch in outside if not any_font_covers(ord(ch))]
