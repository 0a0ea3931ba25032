"""Where a page sends the user next."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_PK = 987654321


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the form or link carried, if it points into this site; otherwise ``fallback``.

    ``//evil.example``, ``https://evil.example``, ``/\\evil.example`` and ``javascript:`` all fall back.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def url_by_pk(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many pks at the price of one reverse: a table of a couple of hundred
    links spent most of its time in the URL resolver.

    What ``reverse()`` gives depends on the URLconf, the script prefix (the site under a sub-path) and,
    for translated URL patterns, the language: each combination is reversed once per process.
    """
    return _url_by_pk(name, get_script_prefix(), get_urlconf(), get_language())


@cache
def _url_by_pk(
    name: str, _script_prefix: str, _urlconf: str | None, _language: str | None
) -> Callable[[int], str]:
    start, end = reverse(name, args=[_PK]).split(str(_PK))
    return lambda pk: f"{start}{pk}{end}"


def acts_on_post(back: Callable[..., str]):
    """For a button that does something (verify a log, mark a milestone done, confirm an import): a POST
    does it. A GET changes nothing and goes back to the page the button is on, saying so: it is what a
    browser sends when someone signs in again after their session ended with the button pressed, and a
    bare "405 Method Not Allowed" left them on an empty page. ``back`` takes the view's URL arguments.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["POST"])
            messages.info(request, _("Nothing was done yet: press the button again to do it."))
            return redirect(back(*args, **kwargs))

        return wrapper

    return decorator
