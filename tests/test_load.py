"""The load and fault test's own parts, without gunicorn or wrk: reading wrk's summary and the server's
log, signing users in with a session, and the writer that retries a lost POST with the same key."""

from __future__ import annotations

import json
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bench.client import Reply, TransportError, sign_in_session
from bench.faults import FormWriter, Write, check_writes, near_a_kill, writer_fields
from bench.load import parse_wrk_output, server_log_summary
from prevention.models import ActivityLog
from tests import factories as f

WRK_STDOUT = """Running 20s test @ http://127.0.0.1:40001
  2 threads and 8 connections
Requests/sec:    120.31
WRK_SUMMARY {summary}
"""


def wrk_stdout(**overrides) -> str:
    summary = {
        "clock": "microseconds",
        "requests": 2406.0,
        "duration_s": 20.001234,
        "bytes": 123456789.0,
        "requests_per_s": 120.301234,
        "latency_ms": {"p50": 41.2345, "p90": 80.0, "p95": 95.5, "p99": 150.25, "mean": 50.0, "max": 900.0},
        "errors": {"status": 3.0, "connect": 0.0, "read": 1.0, "write": 0.0, "timeout": 2.0},
        "statuses": {"200": 2403.0, "500": 3.0},
        "failure_times": [1700000002.5, 1700000001.25],
        **overrides,
    }
    return WRK_STDOUT.format(summary=json.dumps(summary))


def test_wrk_figures_are_read_from_the_scripts_summary_line():
    figures = parse_wrk_output(wrk_stdout())
    assert figures["requests"] == 2406
    assert figures["requests_per_s"] == 120.3
    assert figures["latency_ms"]["p50"] == 41.23
    assert figures["latency_ms"]["p99"] == 150.25
    assert figures["failed"] == 3
    assert figures["socket_errors"] == 3
    assert figures["statuses"] == {"200": 2403, "500": 3}
    assert figures["failure_times"] == [1700000001.25, 1700000002.5]


def test_a_run_without_failures_has_empty_statuses_and_times_not_lists():
    # Lua writes an empty table as [], whether it stood for a list or a map.
    figures = parse_wrk_output(wrk_stdout(statuses=[], failure_times=[]))
    assert figures["statuses"] == {}
    assert figures["failure_times"] == []


def test_wrk_output_without_the_summary_line_is_refused():
    with pytest.raises(ValueError, match="WRK_SUMMARY"):
        parse_wrk_output("Running 20s test @ http://127.0.0.1:40001\nRequests/sec: 12\n")


def test_failures_are_counted_near_the_kill_before_them():
    kills = [100.0, 110.0]
    assert near_a_kill([100.2, 101.5, 109.9, 110.9], kills) == 2
    assert near_a_kill([100.2, 101.5, 109.9, 110.9], kills, window_s=2.0) == 3
    assert near_a_kill([99.0], kills) == 0


SERVER_LOG = """\
2026-11-23 23:25:58,150 WARNING config.db database connection lost during GET /donor/; retrying once
2026-11-23 23:25:58,260 WARNING django.request The request's session was deleted before the request completed.: /dashboard/
Traceback (most recent call last):
  File "/srv/app/.venv/lib/python3.11/site-packages/django/db/backends/utils.py", line 105, in _execute
    return self.cursor.execute(sql, params)
django.db.utils.OperationalError: terminating connection due to administrator command

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/app/.venv/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner
    response = get_response(request)
  File "/srv/app/.venv/lib/python3.11/site-packages/django/contrib/sessions/middleware.py", line 62, in process_response
    raise SessionInterrupted(
django.contrib.sessions.exceptions.SessionInterrupted: The request's session was deleted.
2026-11-23 23:26:04,182 ERROR django.request Internal Server Error: /activity-logs/new/
Traceback (most recent call last):
  File "/srv/app/.venv/lib/python3.11/site-packages/django/core/handlers/base.py", line 197, in _get_response
    response = wrapped_callback(request, *callback_args, **callback_kwargs)
  File "/srv/app/prevention/views/activities.py", line 190, in activity_log_create
    log = services.activity_log_create(
django.db.utils.OperationalError: terminating connection due to administrator command
"""


def test_the_server_log_says_which_requests_failed_where():
    summary = server_log_summary(SERVER_LOG)
    assert summary["reads_retried_on_a_fresh_connection"] == 1
    assert summary["errors_logged"] == 2
    kinds = {(k["status"], k["exception"]): k for k in summary["failure_kinds"]}
    session = kinds[("4xx", "SessionInterrupted")]
    assert session["where"] == "django/contrib/sessions/middleware.py in process_response"
    assert session["paths"] == {"/dashboard/": 1}
    assert kinds[("5xx", "OperationalError")]["where"].endswith("activities.py in activity_log_create")


@pytest.mark.django_db
def test_a_session_made_for_the_servers_key_signs_the_user_in(world):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sign_in_session(
        world.a.partner, secret_key=settings.SECRET_KEY
    )
    response = client.get(reverse("prevention:activity-log-create"))
    assert response.status_code == 200
    assert response.wsgi_request.user == world.a.partner


@pytest.mark.django_db
def test_a_session_made_for_another_key_signs_nobody_in(world):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sign_in_session(
        world.a.partner, secret_key="another-server-" + "k" * 40
    )
    response = client.get(reverse("prevention:activity-log-create"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


class ClientTransport:
    """The writer's HTTP in Django's test client, with faults: answers lost after the server ran the
    request, or 503s before it, for the first POSTs."""

    def __init__(self, *, lose_answers: int = 0, refuse: int = 0, always_fail: bool = False) -> None:
        self.client = Client()
        self.lose_answers, self.refuse, self.always_fail = lose_answers, refuse, always_fail
        self.posts = 0

    def __call__(
        self, method: str, path: str, *, headers: dict[str, str], body: bytes | None = None
    ) -> Reply:
        if method == "POST":
            self.posts += 1
            if self.always_fail:
                raise TransportError("ConnectionRefusedError: [Errno 111] Connection refused")
            if self.posts <= self.refuse:
                return Reply(503, {}, [], "Service Unavailable")
        extra = {name: value for name, value in headers.items() if name != "Content-Type"}
        response = self.client.generic(
            method, path, data=body or b"", content_type=headers.get("Content-Type", ""), headers=extra
        )
        if method == "POST" and self.posts <= self.lose_answers:
            raise TransportError("RemoteDisconnected: Remote end closed connection without response")
        return Reply(
            status=response.status_code,
            headers={name.lower(): value for name, value in response.items()},
            set_cookies=[morsel.OutputString() for morsel in response.cookies.values()],
            body=response.content.decode(),
        )


def make_writer(world, transport: ClientTransport, **options) -> FormWriter:
    return FormWriter(
        transport,
        session_key=sign_in_session(world.a.partner, secret_key=settings.SECRET_KEY),
        host="testserver",
        fields=writer_fields(world.a.partner),
        title_prefix="Fault test run-1",
        sleep=lambda seconds: None,
        **options,
    )


@pytest.mark.django_db
def test_a_write_is_saved_once_through_the_form(world):
    write = make_writer(world, ClientTransport()).write(1)
    log = ActivityLog.objects.get(title="Fault test run-1 0001")
    assert write.acknowledged and write.log_id == log.pk
    assert log.submission_key == uuid.UUID(write.key)
    assert log.initiative == world.a.initiative and log.author == world.a.partner
    assert len(write.post_times) == 1


@pytest.mark.django_db
def test_a_post_whose_answer_was_lost_is_sent_again_with_its_key_and_saved_once(world):
    write = make_writer(world, ClientTransport(lose_answers=1)).write(7)
    logs = list(ActivityLog.objects.filter(title="Fault test run-1 0007"))
    assert len(logs) == 1
    assert len(write.post_times) == 2
    assert write.acknowledged and write.log_id == logs[0].pk
    assert write.failures[0][1].startswith("POST: RemoteDisconnected")


@pytest.mark.django_db
def test_a_post_answered_with_a_server_error_is_sent_again_until_saved(world):
    write = make_writer(world, ClientTransport(refuse=2)).write(3)
    assert ActivityLog.objects.filter(title="Fault test run-1 0003").count() == 1
    assert len(write.post_times) == 3
    assert [what for _, what in write.failures] == ["POST: 503", "POST: 503"]
    assert write.acknowledged


@pytest.mark.django_db
def test_a_write_that_never_gets_an_answer_gives_up_at_its_deadline_and_is_not_saved(world):
    now = [1000.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    writer = make_writer(world, ClientTransport(always_fail=True), deadline_s=10)
    writer.clock, writer.sleep = (lambda: now[0]), sleep
    write = writer.write(4)
    assert not write.acknowledged
    assert write.outcome.startswith("gave up")
    assert now[0] <= 1010.0
    assert 3 < len(write.post_times) < 15
    report = check_writes([write], "Fault test run-1")
    assert report["not_saved"] == 1 and report["lost"] == 0


@pytest.mark.django_db
def test_the_check_finds_a_lost_write_and_a_doubled_one(world):
    fields = {"initiative": world.a.initiative, "organisation": world.a.ngo}
    saved = f.ActivityLogFactory(title="Fault test run-2 0001", submission_key=uuid.uuid4(), **fields)
    f.ActivityLogFactory(title="Fault test run-2 0003", submission_key=uuid.uuid4(), **fields)
    f.ActivityLogFactory(title="Fault test run-2 0003", **fields)
    writes = [
        Write(1, saved.submission_key.hex, saved.title, post_times=[1.0], acknowledged=True, log_id=saved.pk),
        Write(2, uuid.uuid4().hex, "Fault test run-2 0002", post_times=[1.0], acknowledged=True, log_id=999),
        Write(3, uuid.uuid4().hex, "Fault test run-2 0003", post_times=[1.0], acknowledged=True),
    ]
    report = check_writes(writes, "Fault test run-2")
    assert report["lost"] == 1
    assert report["doubled"] == 1
    assert report["rows_in_database"] == 3
    assert {p["title"] for p in report["problems"]} == {"Fault test run-2 0002", "Fault test run-2 0003"}


@pytest.mark.django_db
def test_a_write_whose_form_does_not_open_is_counted_as_not_submitted(world):
    writer = make_writer(world, ClientTransport())
    writer.session_key = sign_in_session(world.a.partner, secret_key="another-server-" + "k" * 40)
    write = writer.write(5)
    assert write.outcome == "form refused (302)"
    assert not write.post_times
    report = check_writes([write], "Fault test run-1")
    assert report["not_submitted"] == 1 and report["not_saved"] == 0
