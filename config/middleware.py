"""Surviving a lost database connection.

Connections die under a running application: a database restart, a fail-over, an idle timeout in a
pooler, pg_terminate_backend. CONN_HEALTH_CHECKS replaces a connection that died between requests;
this middleware covers one that dies during a request. A GET or HEAD changes nothing, so it is run once
more on a fresh connection; a POST is not repeated here (the client retries it, and the write is
idempotent where a double submit matters).

It sits first in MIDDLEWARE so that it also covers what the other middleware do with the database
around the view (loading the user, saving the session): an error there never reaches
``process_exception``, and comes back as a 4xx or 5xx response instead, which is retried when a
connection is found dead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("config.db")
SAFE_METHODS = {"GET", "HEAD"}


def _is_lost_connection(exception: Exception) -> bool:
    # Django wraps the driver's errors, except a few (closing a server-side cursor raises psycopg's own).
    kinds: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
    for connection in connections.all(initialized_only=True):
        kinds += (connection.Database.OperationalError, connection.Database.InterfaceError)
    return isinstance(exception, kinds)


def _lost_a_connection() -> bool:
    return any(
        connection.connection is not None and not connection.is_usable()
        for connection in connections.all(initialized_only=True)
    )


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.close()


class RetryReadsOnLostConnectionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method in SAFE_METHODS
            and response.status_code >= 400
            and not getattr(request, "_database_retried", False)
            and _lost_a_connection()
        ):
            request._database_retried = True
            logger.warning(
                "database connection lost around %s %s; retrying once", request.method, request.path
            )
            _close_connections()
            response = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_lost_connection(exception):
            return None
        if request.method not in SAFE_METHODS or getattr(request, "_database_retried", False):
            return None
        if any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
            return None  # inside a transaction the retry would run against a broken one
        request._database_retried = True
        logger.warning("database connection lost during %s %s; retrying once", request.method, request.path)
        _close_connections()
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        # Raised while a TemplateResponse rendered, the retry's response is not rendered by Django.
        if callable(getattr(response, "render", None)):
            response = response.render()
        return response
