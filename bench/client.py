"""Talking to the server under test as a browser would: HTTP, cookies, hidden form fields, and
sessions made directly in the database instead of through the sign-in form (and its lock-out)."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from importlib import import_module
from typing import Protocol

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from accounts.models import User

# The production proxy says the request came over HTTPS; without it the server redirects to https://.
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}


class TransportError(Exception):
    """A request that got no answer: refused, reset, timed out."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    set_cookies: list[str]
    body: str


class Transport(Protocol):
    def __call__(
        self, method: str, path: str, *, headers: dict[str, str], body: bytes | None = None
    ) -> Reply: ...


class HttpTransport:
    """One connection per request, as a browser behind a proxy would look to gunicorn's sync workers."""

    def __init__(self, host: str, port: int, timeout_s: float = 15.0) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s

    def __call__(
        self, method: str, path: str, *, headers: dict[str, str], body: bytes | None = None
    ) -> Reply:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            raise TransportError(f"{type(error).__name__}: {error}") from error
        finally:
            conn.close()
        return Reply(
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            set_cookies=response.headers.get_all("Set-Cookie") or [],
            body=content.decode("utf-8", "replace"),
        )


def cookies_set_by(reply: Reply) -> dict[str, str]:
    jar = SimpleCookie()
    for header in reply.set_cookies:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def hidden_inputs(html: str) -> dict[str, str]:
    """The hidden fields of a page's forms (CSRF token, submission key, edit version...)."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.values


# Signing in without the sign-in form: a database session, as django.contrib.auth.login would save it.


def _model_backend() -> str:
    return next(
        path for path in settings.AUTHENTICATION_BACKENDS if issubclass(import_string(path), ModelBackend)
    )


def sign_in_session(user: User, *, secret_key: str) -> str:
    """Create a session signing ``user`` in on a server whose SECRET_KEY is ``secret_key``.

    The session's data and the user's session hash are both signed with the server's key, so they are
    made under it here; the server then reads the session from the database like one of its own.
    """
    engine = import_module(settings.SESSION_ENGINE)
    with override_settings(SECRET_KEY=secret_key):
        session = engine.SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = _model_backend()
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    return session.session_key


def session_cookie(session_key: str) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={session_key}"
