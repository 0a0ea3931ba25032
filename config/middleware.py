"""Surviving a lost database connection.

Connections die under a running application: a database restart, a fail-over, an idle timeout in a
pooler, pg_terminate_backend. CONN_HEALTH_CHECKS replaces a connection that died between requests;
this middleware covers one that dies during a request. A GET or HEAD changes nothing, so it is run once
more on a fresh connection; a POST is not repeated here (the client retries it, and the write is
idempotent where a double submit matters).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("config.db")
SAFE_METHODS = {"GET", "HEAD"}


class RetryReadsOnLostConnectionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if request.method not in SAFE_METHODS or getattr(request, "_database_retried", False):
            return None
        if any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
            return None  # inside a transaction the retry would run against a broken one
        request._database_retried = True
        logger.warning("database connection lost during %s %s; retrying once", request.method, request.path)
        for connection in connections.all(initialized_only=True):
            connection.close()
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
