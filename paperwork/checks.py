"""System checks: the fonts and libraries that printing Chinese documents needs.

- paperwork.E001: fontconfig finds no font covering Chinese (every character would be a box).
- paperwork.W001: HarfBuzz's subsetting library is missing (each document takes seconds).
- paperwork.W002: Chinese fonts exist but not the layout's Noto CJK SC families.
- paperwork.E002: fontconfig cannot be run at all.
- paperwork.E003: a registered document kind is broken: its template is missing, two apps
  register the same code differently, or the code does not fit ``Document.kind``.
- paperwork.E004 (``check --deploy``, production): ``CUNPIN_PUBLIC_BASE_URL`` is missing, not
  https or a loopback address, so printed verification links would lead nowhere.
"""

import ctypes.util
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from paperwork import fonts, kinds

FONT_HINT = (
    "Install fonts-noto-cjk (Debian/Ubuntu: apt-get install fonts-noto-cjk), "
    "or run make system-deps."
)


def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


@register("paperwork")
def check_print_fonts(app_configs=None, **kwargs):
    families = fonts.cjk_font_families()
    if families is None:
        return [
            Error(
                "fontconfig (fc-list) cannot be run, so no font can be found for documents.",
                hint="Install fontconfig and fonts-noto-cjk.",
                id="paperwork.E002",
            )
        ]
    if not families:
        return [
            Error(
                "No font covering Chinese is installed: every Chinese character in a "
                "document would print as an empty box.",
                hint=FONT_HINT,
                id="paperwork.E001",
            )
        ]
    missing = [f for f in fonts.PRINT_FONT_FAMILIES if f not in families]
    if missing:
        return [
            Warning(
                f"The print layout's fonts are missing: {', '.join(missing)}. Documents "
                f"will use {families[0]} instead, which may look different or lack rare "
                "characters.",
                hint=FONT_HINT,
                id="paperwork.W002",
            )
        ]
    return []


@register("paperwork")
def check_harfbuzz_subset(app_configs=None, **kwargs):
    if harfbuzz_subset_available():
        return []
    return [
        Warning(
            "libharfbuzz-subset is not installed: WeasyPrint falls back to fontTools, and a "
            "one-page Chinese document takes seconds instead of a tenth of one.",
            hint="Install libharfbuzz-subset0 (apt-get install libharfbuzz-subset0).",
            id="paperwork.W001",
        )
    ]


@register("paperwork")
def check_document_kinds(app_configs=None, **kwargs):
    errors = []
    for known, other in kinds.conflicts:
        errors.append(
            Error(
                f"The document kind {str(known)!r} is registered twice with different "
                f"contents: {known!r} and {other!r}.",
                hint="Each kind has one code; give the second kind a code of its own.",
                id="paperwork.E003",
            )
        )
    for kind in kinds.all_kinds():
        for problem in kinds.problems(kind):
            errors.append(Error(f"Document kind {kind!r}: {problem}.", id="paperwork.E003"))
        try:
            get_template(kind.template)
        except TemplateDoesNotExist:
            errors.append(
                Error(
                    f"The template {kind.template!r} of document kind {str(kind)!r} does "
                    "not exist.",
                    id="paperwork.E003",
                )
            )
    return errors


LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@register(Tags.security, deploy=True)
def check_public_base_url(app_configs=None, **kwargs):
    """In production every document prints ``CUNPIN_PUBLIC_BASE_URL`` in its verify link and QR
    code: it must be set, absolute, over HTTPS and not this machine's loopback address, or the
    printed links lead nowhere (a document is never printed again)."""
    if not getattr(settings, "CUNPIN_PRODUCTION", False):
        return []
    url = (getattr(settings, "CUNPIN_PUBLIC_BASE_URL", "") or "").strip()
    parts = urlsplit(url)
    if not url:
        problem = "CUNPIN_PUBLIC_BASE_URL is not set"
    elif parts.scheme != "https" or not parts.hostname:
        problem = f"CUNPIN_PUBLIC_BASE_URL ({url}) is not an https:// address"
    elif parts.hostname in LOOPBACK_HOSTS:
        problem = f"CUNPIN_PUBLIC_BASE_URL ({url}) is this machine's own loopback address"
    else:
        return []
    return [
        Error(
            f"{problem}: documents would print verification links and QR codes that lead "
            "nowhere, and a document is never printed again.",
            hint="Set CUNPIN_PUBLIC_BASE_URL to the public address of the site, e.g. "
            "https://cunpin.example.gov.cn.",
            id="paperwork.E004",
        )
    ]
