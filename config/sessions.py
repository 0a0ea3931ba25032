"""Database sessions whose save survives a connection lost since the request's last query, and that
slide: each stays for SESSION_COOKIE_AGE after the user's last request."""

import time

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import InterfaceError, OperationalError, connections, router
from django.http import HttpRequest, HttpResponse

RENEWED_AT = "_renewed_at"
RENEW_EVERY_SECONDS = 60


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            if not isinstance(error.__context__, OperationalError | InterfaceError):
                raise
            connections[router.db_for_write(self.model)].close()
            super().save(must_create=must_create)


class SlidingSessionMiddleware(SessionMiddleware):
    """Sessions end after SESSION_COOKIE_AGE of idleness, renewed at most once a minute.

    SESSION_SAVE_EVERY_REQUEST would write the session row (an UPDATE in its own transaction) on every
    page; renewing it when the last renewal is over a minute old ends an idle session at most a minute
    early and spares the database that write on nearly every request.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and _due_for_renewal(session):
            mark_renewed(session)
        return super().process_response(request, response)


def _due_for_renewal(session) -> bool:
    # Only a session that is there and that the request read (the signed-in user is read from it):
    # renewing an unread one would load it for nothing, and an empty one would create a session.
    if not session.accessed or session.is_empty():
        return False
    return time.time() - session.get(RENEWED_AT, 0) >= RENEW_EVERY_SECONDS


def mark_renewed(session) -> None:
    """Change the session, so that it is saved with a new expiry and its cookie sent again."""
    session[RENEWED_AT] = int(time.time())
