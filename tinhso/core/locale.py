"""Language selection: Vietnamese unless the user chose otherwise.

Django's LocaleMiddleware falls back on the browser's Accept-Language, so a
browser set to English got the portal in English. A Vietnamese government
site opens in Vietnamese (LANGUAGE_CODE) and switches only when the user
picks a language with the switcher (`/i18n/setlang/`), which Django remembers
in the language cookie; that choice is then used on every request."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request) -> str:
    """The language the user chose (cookie), or the site's default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
    if code in dict(settings.LANGUAGES) and translation.check_for_language(code):
        return code
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware that ignores Accept-Language (see the module docstring)."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The language depends on the cookie only: no "Vary: Accept-Language".
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
