from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation


class UserLanguageMiddleware:
    """Show a signed-in user's pages in their preferred language, whatever the browser asks for.

    Sits after LocaleMiddleware (which picks the browser's language) and AuthenticationMiddleware.
    The language switch in the page footer (Django's set_language view) only sets a cookie, which the
    preference would override; for a signed-in user the switch therefore also saves the preference.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        language = user.preferred_language if signed_in else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if signed_in and request.method == "POST" and request.path == reverse("set_language"):
            self._remember_choice(user, response)
        elif language:
            response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _remember_choice(user, response: HttpResponse) -> None:
        # set_language sets the cookie only for a language this site offers.
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie is not None and cookie.value and cookie.value != user.preferred_language:
            user.preferred_language = cookie.value
            user.save(update_fields=["preferred_language"])
