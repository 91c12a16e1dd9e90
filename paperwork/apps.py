from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def characters_fonts_cannot_draw(text: str) -> list[str]:
    """``paperwork.fonts.uncovered_characters``, or nothing when no print font is installed
    (``manage.py check`` reports that as paperwork.E001, and issuing refuses then)."""
    from paperwork.fonts import PrintFontsMissing, uncovered_characters

    try:
        return uncovered_characters(text)
    except PrintFontsMissing:
        return []


class PaperworkConfig(AppConfig):
    name = "paperwork"
    verbose_name = _("Paperwork")

    def ready(self) -> None:
        from core.normalise import set_print_check
        from paperwork import checks  # noqa: F401  (registers the system checks)

        # Text typed into forms and read from imports is refused when it has a character
        # the documents could not print (core.normalise.clean_text).
        set_print_check(characters_fonts_cannot_draw)
        # Each app declares the kinds of document it issues in its kinds.py, which registers
        # them with paperwork.kinds on import.
        autodiscover_modules("kinds")
        # ... and the documents its transitions produce in its paperwork.py, which declares
        # them in paperwork.table.
        autodiscover_modules("paperwork")
