"""Changing a password, and setting one from a link sent by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests import factories as f

CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def alice(db):
    return f.UserFactory(username="alice", email="alice@example.org", first_name="Alice")


def _change(client, new: str, old: str = PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_password_change_requires_sign_in(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_password_change_refuses_fewer_than_twelve_characters(client, alice):
    client.force_login(alice)
    response = _change(client, "Kx7#mqPz!2a")  # eleven characters
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in response.text
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password1234", "This password is too common."),
        ("482915730164", "This password is entirely numeric."),
        ("alice@example.org", "The password is too similar to the"),
    ],
)
def test_password_change_refuses_weak_passwords(client, alice, new, message):
    client.force_login(alice)
    response = _change(client, new)
    assert message in response.text
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_refuses_a_wrong_old_password(client, alice):
    client.force_login(alice)
    response = _change(client, "Kx7#mqPz!2ab", old="not-my-password")
    assert "Your old password was entered incorrectly." in response.text
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_keeps_this_session_and_ends_the_others(client, alice, django_user_model):
    other_device = type(client)()
    other_device.force_login(alice)
    client.force_login(alice)
    response = _change(client, "Kx7#mqPz!2ab")
    assert response.status_code == 302
    assert response.url == "/accounts/password/change/done/"
    assert "Password changed" in client.get(response.url).text
    alice.refresh_from_db()
    assert alice.check_password("Kx7#mqPz!2ab")
    assert client.get("/accounts/profile/").status_code == 200
    assert other_device.get("/accounts/profile/").status_code == 302


def _reset_link(client, email: str) -> str:
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    (message,) = mail.outbox
    return re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def test_password_reset_sends_a_link_that_sets_the_password(client, alice):
    link = _reset_link(client, "ALICE@example.org")
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "Choose your Safer Districts password"
    assert "Hello Alice" in message.body
    assert "Your username is alice" in message.body

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": "Kx7#mqPz!2ab", "new_password2": "Kx7#mqPz!2ab"}
    )
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/done/"
    assert "You can sign in with your new password now." in client.get(response.url).text
    alice.refresh_from_db()
    assert alice.check_password("Kx7#mqPz!2ab")


def test_password_reset_link_refuses_a_short_password(client, alice):
    form_page = client.get(_reset_link(client, "alice@example.org"), follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": "short-pass", "new_password2": "short-pass"})
    assert "at least 12 characters" in response.text
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_reset_link_works_only_once(client, alice):
    link = _reset_link(client, "alice@example.org")
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": "Kx7#mqPz!2ab", "new_password2": "Kx7#mqPz!2ab"})
    response = client.get(link, follow=True)
    assert "This link no longer works" in response.text
    assert 'name="new_password1"' not in response.text


def test_password_reset_says_the_same_for_an_unknown_address(client, alice):
    response = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert "If an account has this e-mail address" in response.text
    assert mail.outbox == []
