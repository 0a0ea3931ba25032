"""Create forms that make their object once, however many times they are sent.

A second tap on "Save" on a slow connection, or the browser sending the form again after an answer
was lost, would make two meetings, two milestones, two indicators. Each create form carries a key
(``{{ request.once_key }}``, written by ``includes/_once_key.html``); ``once_only`` lets the first
request with a key do the work and sends any other request with that key to what the first one made.
The activity log does the same with a key kept on the row itself (it is also imported and retried by
scripts); for the plan objects a day in the cache is enough.

The cache is shared by the app servers in production (Redis, ``REDIS_URL``); ``cache.add`` claims a
key for one request only, so two copies arriving together do not both save.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
FIELD = "once_key"
_KEY = re.compile(r"[0-9a-f]{32}")
_PENDING = "pending"
# How long a key remembers what it made, and how long a copy waits for the first request to finish.
REMEMBER_SECONDS = 24 * 3600
WAIT_SECONDS = 10.0


def once_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a create view that answers a successful POST with a redirect to what it made."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        posted = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _KEY.fullmatch(posted):
            # A form opened now, or sent without a key (by a script): nothing to compare with.
            request.once_key = uuid.uuid4().hex
            return view(request, *args, **kwargs)
        request.once_key = posted
        cache_key = f"once:{request.user.pk}:{request.path}:{posted}"
        try:
            made = _claim(cache_key)
        except Exception:  # the cache is down: save as a form without a key would be
            logger.warning("once-only cache unavailable for %s", request.path, exc_info=True)
            return view(request, *args, **kwargs)
        if made:
            messages.info(request, _("This was already saved; here it is."))
            return redirect(made)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            _forget(cache_key)
            raise
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            _remember(cache_key, response["Location"])
        else:
            # Sent back with errors: the corrected form is sent with the same key, and must be saved.
            _forget(cache_key)
        return response

    return wrapper


def _claim(cache_key: str) -> str | None:
    """Claim the key for this request (None), or the address of what another request with it made."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(cache_key, _PENDING, REMEMBER_SECONDS):
        made = cache.get(cache_key)
        if made not in (None, _PENDING):
            return made
        if time.monotonic() > deadline:
            return None  # the first copy is stuck: better a form answered than a page that never loads
        time.sleep(0.1)
    return None


def _remember(cache_key: str, location: str) -> None:
    try:
        cache.set(cache_key, location, REMEMBER_SECONDS)
    except Exception:  # what was saved is saved; only a repeat goes unrecognised
        logger.warning("once-only cache unavailable", exc_info=True)


def _forget(cache_key: str) -> None:
    try:
        cache.delete(cache_key)
    except Exception:
        logger.warning("once-only cache unavailable", exc_info=True)
