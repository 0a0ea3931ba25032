"""A read that loses its database connection mid-request is run again on a fresh one; a write is not."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

calls: list[str] = []


def flaky(request):
    calls.append(request.method)
    if len(calls) == 1:
        raise OperationalError("terminating connection due to administrator command")
    return HttpResponse("fine")


def always_broken(request):
    calls.append(request.method)
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("flaky/", flaky), path("broken/", always_broken)]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reset_calls():
    calls.clear()


def test_a_read_is_retried_once_on_a_fresh_connection(client):
    response = client.get("/flaky/")
    assert response.status_code == 200
    assert response.text == "fine"
    assert calls == ["GET", "GET"]


def test_a_read_that_fails_twice_is_an_error_page_not_a_loop():
    from django.test import Client

    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert calls == ["GET", "GET"]


def test_a_write_is_not_repeated_by_the_server():
    from django.test import Client

    response = Client(raise_request_exception=False).post("/flaky/")
    assert response.status_code == 500
    assert calls == ["POST"]


def test_a_session_save_that_lost_its_connection_is_made_again(monkeypatch):
    from django.contrib.sessions.backends import db as db_sessions
    from django.contrib.sessions.backends.base import UpdateError

    from config.sessions import SessionStore

    original = db_sessions.SessionStore.save
    attempts: list[bool] = []

    def save_once_broken(self, must_create=False):
        attempts.append(must_create)
        if len(attempts) == 1:
            try:
                raise OperationalError("terminating connection due to administrator command")
            except OperationalError:
                raise UpdateError from None
        return original(self, must_create=must_create)

    store = SessionStore()
    store["district"] = 7
    store.create()
    monkeypatch.setattr(db_sessions.SessionStore, "save", save_once_broken)
    store["district"] = 8
    store.save()
    assert len(attempts) == 2
    assert SessionStore(store.session_key)["district"] == 8


def test_a_session_save_failing_for_another_reason_is_not_hidden(monkeypatch):
    from django.contrib.sessions.backends import db as db_sessions
    from django.contrib.sessions.backends.base import UpdateError

    from config.sessions import SessionStore

    def save_refused(self, must_create=False):
        raise UpdateError  # e.g. the session was deleted meanwhile: no lost connection behind it

    store = SessionStore()
    store.create()
    monkeypatch.setattr(db_sessions.SessionStore, "save", save_refused)
    with pytest.raises(UpdateError):
        store.save()
