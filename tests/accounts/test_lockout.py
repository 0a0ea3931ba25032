"""Lock-out after repeated failed sign-ins (django-axes), on every login form, and the log it leaves."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from accounts.backends import client_address
from tests import factories as f

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery"
WRONG = "Wrong-Guess-4711"


@pytest.fixture
def alice(db):
    return f.UserFactory(username="alice", email="alice@example.org")


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="root", email="root@example.org", is_staff=True, is_superuser=True)


def _attempt(client: Client, url: str, username: str, password: str = WRONG):
    return client.post(url, {"username": username, "password": password, "next": "/"})


def _fail(client: Client, url: str, username: str, times: int = 4) -> None:
    """Fail `times` sign-ins, each answered with the form again (four stay under the limit of five)."""
    for _ in range(times):
        assert _attempt(client, url, username).status_code == 200


def _lock_out(client: Client, url: str, username: str) -> None:
    _fail(client, url, username)
    assert _attempt(client, url, username).status_code == 429


def _assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "paused for an hour" in response.text
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert 'name="password"' not in response.text


def test_four_failures_still_allow_signing_in(client, alice):
    _fail(client, LOGIN, "alice")
    assert _attempt(client, LOGIN, "alice", PASSWORD).status_code == 302


def test_fifth_failure_locks_the_account_out(client, alice):
    _fail(client, LOGIN, "alice")
    _assert_locked_out(_attempt(client, LOGIN, "alice"))
    # Even the right password is refused now, with the same page.
    _assert_locked_out(_attempt(client, LOGIN, "alice", PASSWORD))
    assert client.get("/accounts/profile/").status_code == 302


def test_admin_login_locks_out_too(client, admin_user):
    _fail(client, ADMIN_LOGIN, "root")
    _assert_locked_out(_attempt(client, ADMIN_LOGIN, "root"))
    _assert_locked_out(_attempt(client, ADMIN_LOGIN, "root", PASSWORD))
    assert client.get("/admin/").status_code == 302


def test_failures_on_one_form_lock_the_other(client, admin_user):
    _lock_out(client, LOGIN, "root")
    _assert_locked_out(_attempt(client, ADMIN_LOGIN, "root", PASSWORD))


def test_other_spellings_of_the_account_count_together(client, alice):
    for name in ["alice", "ALICE", "alice@example.org", "Alice@Example.ORG"]:
        assert _attempt(client, LOGIN, name).status_code == 200
    _assert_locked_out(_attempt(client, LOGIN, "Alice"))
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice"}


def test_lock_out_is_per_address(client, alice):
    _lock_out(client, LOGIN, "alice")
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert _attempt(elsewhere, LOGIN, "alice", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, alice):
    _fail(client, LOGIN, "alice")
    assert _attempt(client, LOGIN, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    _fail(client, LOGIN, "alice")
    assert _attempt(client, LOGIN, "alice", PASSWORD).status_code == 302


def test_lock_out_page_carries_the_security_headers(client, alice):
    _fail(client, LOGIN, "alice")
    response = _attempt(client, LOGIN, "alice")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_sign_ins_failures_and_lock_outs_are_logged_without_passwords(client, alice, caplog):
    caplog.set_level(logging.DEBUG)
    _fail(client, LOGIN, "alice", 1)
    assert _attempt(client, LOGIN, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    _fail(client, LOGIN, "alice")
    _attempt(client, LOGIN, "alice")

    messages = [record.getMessage() for record in caplog.records]
    assert any("login failure" in m and "alice" in m for m in messages)
    assert any(m.startswith("sign-in user=alice address=127.0.0.1") for m in messages)
    assert any("Locking out" in m and "alice" in m for m in messages)
    logged = "\n".join(messages + [repr(record.args) for record in caplog.records])
    assert WRONG not in logged
    assert PASSWORD not in logged


def test_failed_attempts_are_stored_without_passwords(client, alice):
    _fail(client, LOGIN, "alice", 2)
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 2
    assert WRONG not in attempt.post_data
    assert "alice" in attempt.post_data


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),  # no proxy trusted: the header is the client's word
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the left entry was forged by the client
        (2, "198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (2, "", "10.0.0.2"),
    ],
)
def test_client_address_reads_only_what_trusted_proxies_appended(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.parametrize("remote", ["", "-", "not-an-address"])
def test_an_unknown_or_malformed_address_is_none_so_the_lockout_log_can_store_it(remote):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="garbage")
    assert client_address(request) is None


def test_signing_in_without_a_known_address_is_recorded(db, client, alice):
    # The test client's force_login builds a request without REMOTE_ADDR; PostgreSQL's inet column
    # refused the "-" once written there, so every such sign-in failed.
    client.force_login(alice)
    assert client.get("/accounts/profile/").status_code == 200
