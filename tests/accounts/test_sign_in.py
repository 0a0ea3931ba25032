"""Signing in and out: credentials, where the user lands, the session, CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from config.sessions import RENEW_EVERY_SECONDS, RENEWED_AT
from tests import factories as f

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
PROFILE = "/accounts/profile/"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def alice(db):
    return f.UserFactory(username="alice", email="Alice@Example.org")


def _sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _signed_in(client: Client) -> bool:
    return client.get(PROFILE).status_code == 200


@pytest.mark.parametrize("name", ["alice", "ALICE", "alice@example.org", "Alice@Example.org"])
def test_it_signs_in_with_username_or_email_in_any_case(client, alice, name):
    response = _sign_in(client, name)
    assert response.status_code == 302
    assert response.url == "/"
    assert _signed_in(client)


def test_it_rejects_a_wrong_password_with_a_message(client, alice):
    response = _sign_in(client, "alice", "not-the-password")
    assert response.status_code == 200
    assert "do not match an active account" in response.text
    assert not _signed_in(client)


def test_it_rejects_a_deactivated_account(client, alice):
    alice.is_active = False
    alice.save()
    response = _sign_in(client, "alice")
    assert response.status_code == 200
    assert not _signed_in(client)


def test_login_page_offers_username_or_email_and_password_reset(client, db):
    response = client.get(LOGIN)
    assert "Username or e-mail address" in response.text
    assert 'href="/accounts/password/reset/"' in response.text


@pytest.mark.parametrize(
    "payload",
    ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "///evil.example"],
)
def test_it_sends_unsafe_next_to_the_home_page(client, alice, payload):
    response = _sign_in(client, "alice", next=payload)
    assert response.status_code == 302
    assert response.url == "/"


@pytest.mark.parametrize(
    "payload", ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_page_does_not_carry_an_unsafe_next(client, db, payload):
    response = client.get(LOGIN, {"next": payload})
    assert response.context["next"] == ""
    assert f'value="{escape(payload)}"' not in response.text


def test_it_honours_a_next_on_this_site(client, alice):
    response = client.get(LOGIN, {"next": PROFILE})
    assert f'name="next" value="{PROFILE}"' in response.text
    response = _sign_in(client, "alice", next=PROFILE)
    assert response.url == PROFILE


def test_signed_in_user_is_sent_on_from_the_login_page(client, alice):
    client.force_login(alice)
    assert client.get(LOGIN).status_code == 302


def test_session_key_changes_at_sign_in(client, alice):
    # A session planted before sign-in (session fixation) must not become the signed-in session.
    planted = client.session
    planted["planted"] = True
    planted.save()
    _sign_in(client, "alice")
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert _signed_in(client)


def test_session_cookie_lasts_a_working_day(client, alice):
    response = _sign_in(client, "alice")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 9 * 3600
    assert cookie["httponly"]
    assert cookie["secure"]
    session = Session.objects.get(session_key=cookie.value)
    assert abs(session.expire_date - (timezone.now() + dt.timedelta(hours=9))) < dt.timedelta(minutes=1)


def _age_the_session(client: Client, *, seconds: int) -> str:
    """Pretend the last renewal was ``seconds`` ago and the session has only an hour left."""
    session = client.session
    session[RENEWED_AT] -= seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(hours=1)
    )
    return session.session_key


def test_idle_time_not_time_since_sign_in_ends_the_session(client, alice):
    _sign_in(client, "alice")
    key = _age_the_session(client, seconds=RENEW_EVERY_SECONDS)
    response = client.get(PROFILE)
    # A request after a minute renews the session: nine hours again from now, and the cookie sent again.
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 9 * 3600
    session = Session.objects.get(session_key=key)
    assert abs(session.expire_date - (timezone.now() + dt.timedelta(hours=9))) < dt.timedelta(minutes=1)


def test_requests_within_a_minute_do_not_write_the_session_again(client, alice):
    _sign_in(client, "alice")
    key = _age_the_session(client, seconds=RENEW_EVERY_SECONDS - 5)
    response = client.get(PROFILE)
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    session = Session.objects.get(session_key=key)
    assert session.expire_date < timezone.now() + dt.timedelta(hours=1, minutes=1)


def test_a_visitor_without_a_session_is_not_given_one(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


def test_an_idle_session_has_ended(client, alice):
    _sign_in(client, "alice")
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_deactivated_user_is_out_on_the_next_request(client, alice):
    client.force_login(alice)
    assert _signed_in(client)
    alice.is_active = False
    alice.save()
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={PROFILE}"


def test_sign_out_by_get_only_asks_to_confirm(client, alice):
    client.force_login(alice)
    response = client.get(LOGOUT)
    assert response.status_code == 200
    assert f'action="{LOGOUT}"' in response.text
    assert 'method="post"' in response.text
    assert _signed_in(client)


def test_sign_out_by_post_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response.url == "/"
    assert not _signed_in(client)


def test_sign_out_refuses_other_methods(client, alice):
    client.force_login(alice)
    assert client.put(LOGOUT).status_code == 405
    assert _signed_in(client)


def test_login_post_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert not _signed_in(client)


def test_login_post_with_csrf_token_is_accepted(alice):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert _signed_in(client)


def test_logout_post_without_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(LOGOUT).status_code == 403
    assert _signed_in(client)
