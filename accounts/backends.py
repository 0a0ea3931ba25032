"""How a sign-in is checked: the credentials accepted, and what django-axes counts failures against."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest


def _accounts_named(name: str):
    return get_user_model()._default_manager.filter(Q(username__iexact=name) | Q(email__iexact=name))


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the e-mail address, either in any letter case."""

    def authenticate(self, request, username: str | None = None, password: str | None = None, **kwargs):
        if username is None or password is None:
            return None
        candidates = list(_accounts_named(username)[:2])
        if len(candidates) != 1:
            # Run the hasher anyway so that a missing account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The name django-axes counts failed sign-ins against (settings.AXES_USERNAME_CALLABLE).

    One account can be named in many ways ("Alice", "ALICE", "alice@example.org"); counting each spelling
    apart would multiply the attempts allowed before the lock-out, so every spelling of an existing account
    counts against its username, and any other name against its lower-case form.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    name = credentials.get(field) if credentials else getattr(request, "POST", {}).get(field)
    if not name:
        return None
    name = name.strip()
    usernames = list(_accounts_named(name).values_list("username", flat=True)[:2])
    return usernames[0] if len(usernames) == 1 else name.lower()


def client_address(request: HttpRequest) -> str | None:
    """The address of the person signing in (settings.AXES_CLIENT_IP_CALLABLE, and the sign-in log).

    Behind TRUSTED_PROXIES proxies, REMOTE_ADDR is the nearest proxy; the client is the entry that the
    outermost trusted proxy appended to X-Forwarded-For. Entries further left are written by the client
    and could be anything, so they are never read. Unknown (a request made in-process, a malformed
    header) is None: the lock-out records store addresses in an inet column, which refuses anything else.
    """
    remote = _valid_address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= proxies:
        return _valid_address(forwarded[-proxies]) or remote
    return remote


def _valid_address(text: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(text)) if text else None
    except ValueError:
        return None
