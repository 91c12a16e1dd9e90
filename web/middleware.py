"""Chinese first: the interface is in Chinese unless the user picked another language."""

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class ChineseFirstLocaleMiddleware(MiddlewareMixin):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language header.

    Staff machines in county offices often run English-language browsers; the product still
    opens in Chinese (settings.LANGUAGE_CODE). The language switcher sets the language cookie,
    which is honoured here.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        language = translation.get_supported_language_variant(language)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
