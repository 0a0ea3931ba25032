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
