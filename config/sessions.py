"""Database sessions whose save survives a connection lost since the request's last query."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError, connections, router


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            if not isinstance(error.__context__, OperationalError | InterfaceError):
                raise
            connections[router.db_for_write(self.model)].close()
            super().save(must_create=must_create)
