"""Request middleware of the project's own."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese for everyone unless the person chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, so a browser set up in English (a
    borrowed laptop, a default headless browser) would show the bureau's system in English without anyone
    asking. Here only the switch's cookie counts; everything else gets LANGUAGE_CODE (zh-hans)."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
