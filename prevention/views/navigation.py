"""Where a page sends the user next."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


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
