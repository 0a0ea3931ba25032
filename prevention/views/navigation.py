"""Where a page sends the user next."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language

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
