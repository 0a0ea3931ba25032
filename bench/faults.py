"""The fault test's two threads: one kills the server's PostgreSQL connections, one logs activities
through the form meanwhile, and the check that each write is in the database exactly once.

Only the server's own connections are killed: gunicorn runs with ``PGAPPNAME`` set to ``APP_NAME``, and
the injector terminates backends with that application name, so another process on the same database
(a benchmark run, a psql session, this command's own connection) keeps its connections.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from accounts import access
from accounts.models import User
from bench.client import (
    FORWARDED_HTTPS,
    Reply,
    Transport,
    TransportError,
    cookies_set_by,
    hidden_inputs,
    session_cookie,
)
from prevention import models as m

APP_NAME = "safer-districts-loadtest"  # application_name of the server's connections under test
INJECTOR_NAME = "fault-injector"
KILL_SQL = """
    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = %s
"""


class FaultTestError(Exception):
    """The fault test cannot be set up (the partner may log nowhere)."""


@dataclass
class Write:
    index: int
    key: str
    title: str
    started_at: float = 0.0
    finished_at: float = 0.0
    post_times: list[float] = field(default_factory=list)
    failures: list[tuple[float, str]] = field(default_factory=list)
    acknowledged: bool = False
    log_id: int | None = None
    outcome: str = ""


class FormWriter:
    """Logs activities through ``activity-log-create``, one submission key per write.

    A POST that gets no answer or a 5xx is sent again, with the same key and the same CSRF token,
    until it is answered or the write's deadline passes: the view finds the log an earlier attempt
    made instead of making a second. A 200 (the form again, with errors) or a 4xx ends the write.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        session_key: str,
        host: str,
        fields: dict[str, str],
        title_prefix: str,
        deadline_s: float = 30.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.transport = transport
        self.session_key = session_key
        self.host = host
        self.fields = fields
        self.title_prefix = title_prefix
        self.deadline_s = deadline_s
        self.clock = clock
        self.sleep = sleep
        self.csrf_cookie = ""
        self.form_path = reverse("prevention:activity-log-create") + f"?initiative={fields['initiative']}"

    def _cookies(self) -> str:
        cookies = [session_cookie(self.session_key)]
        if self.csrf_cookie:
            cookies.append(f"{settings.CSRF_COOKIE_NAME}={self.csrf_cookie}")
        return "; ".join(cookies)

    def write(self, index: int) -> Write:
        write = Write(index=index, key=uuid.uuid4().hex, title=f"{self.title_prefix} {index:04d}")
        write.started_at = self.clock()
        deadline = write.started_at + self.deadline_s
        hidden = self._open_form(write, deadline)
        if hidden is not None:
            self._submit(write, hidden, deadline)
        write.finished_at = self.clock()
        return write

    def _retry_pause(self, pause: float, deadline: float) -> float | None:
        """Wait before the next attempt; None once the deadline would pass."""
        if self.clock() + pause > deadline:
            return None
        self.sleep(pause)
        return min(pause * 2, 2.0)

    def _open_form(self, write: Write, deadline: float) -> dict[str, str] | None:
        pause: float | None = 0.2
        while pause is not None:
            try:
                reply = self.transport(
                    "GET", self.form_path, headers={**FORWARDED_HTTPS, "Cookie": self._cookies()}
                )
            except TransportError as error:
                write.failures.append((self.clock(), f"GET form: {error}"))
            else:
                if reply.status == 200:
                    self.csrf_cookie = cookies_set_by(reply).get(settings.CSRF_COOKIE_NAME, self.csrf_cookie)
                    return hidden_inputs(reply.body)
                write.failures.append((self.clock(), f"GET form: {reply.status}"))
                if reply.status < 500:
                    write.outcome = f"form refused ({reply.status})"
                    return None
            pause = self._retry_pause(pause, deadline)
        write.outcome = "gave up opening the form"
        return None

    def _submit(self, write: Write, hidden: dict[str, str], deadline: float) -> None:
        body = urlencode(
            {**hidden, **self.fields, "title": write.title, "submission_key": write.key}
        ).encode()
        pause: float | None = 0.2
        while pause is not None:
            write.post_times.append(self.clock())
            try:
                reply = self.transport(
                    "POST",
                    self.form_path,
                    headers={
                        **FORWARDED_HTTPS,
                        "Cookie": self._cookies(),
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"https://{self.host}{self.form_path}",
                    },
                    body=body,
                )
            except TransportError as error:
                write.failures.append((self.clock(), f"POST: {error}"))
            else:
                if reply.status < 500:
                    self._answered(write, reply)
                    return
                write.failures.append((self.clock(), f"POST: {reply.status}"))
            pause = self._retry_pause(pause, deadline)
        write.outcome = "gave up: no answer before the deadline"

    @staticmethod
    def _answered(write: Write, reply: Reply) -> None:
        location = urlsplit(reply.headers.get("location", "")).path
        try:
            match = resolve(location) if reply.status in (301, 302, 303) else None
        except Resolver404:
            match = None
        if match and match.view_name == "prevention:activity-log-detail":
            write.acknowledged = True
            write.log_id = int(match.kwargs["pk"])
            write.outcome = "saved"
        else:
            write.outcome = f"refused ({' '.join(filter(None, [str(reply.status), location]))})"


def writer_fields(partner: User) -> dict[str, str]:
    """The form's fields for a log by ``partner`` on the first initiative it may log on."""
    organisation = access.logging_organisations(partner).order_by("pk").first()
    if organisation is None:
        raise FaultTestError(f"{partner} has no organisation to log for.")
    initiatives = access.loggable_initiatives(partner).select_related("priority__plan").order_by("pk")
    initiative = next((i for i in initiatives[:50] if access.may_log_for(partner, i, organisation)), None)
    if initiative is None:
        raise FaultTestError(f"{partner} may not log on any initiative for {organisation}.")
    return {
        "initiative": str(initiative.pk),
        "organisation": str(organisation.pk),
        "occurred_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "kind": m.ActivityLog.Kind.MEETING.value,
        "description": "Written by the fault test while the database connections were being killed.",
        "place": "",
        "participants_total": "12",
        "participants_women": "6",
        "participants_men": "6",
        "participants_youth": "3",
        "audience_reached": "0",
        "outputs": "",
    }


def check_writes(writes: list[Write], title_prefix: str) -> dict:
    """Count each write's rows in the database: none lost, none doubled."""
    rows = Counter(
        m.ActivityLog.objects.filter(title__startswith=title_prefix).values_list("title", flat=True)
    )
    logs = {
        key.hex: (pk, created_at)
        for key, pk, created_at in m.ActivityLog.objects.filter(
            submission_key__in=[w.key for w in writes]
        ).values_list("submission_key", "pk", "created_at")
    }
    lost = [w for w in writes if w.acknowledged and rows[w.title] == 0]
    doubled = [w for w in writes if rows[w.title] > 1]
    # Never submitted: the form did not open (its GET failed), so there was nothing to save.
    not_submitted = [w for w in writes if not w.post_times]
    not_saved = [w for w in writes if w.post_times and not w.acknowledged and rows[w.title] == 0]
    saved_unanswered = [w for w in writes if not w.acknowledged and rows[w.title] == 1]
    wrong_log = [w for w in writes if w.acknowledged and logs.get(w.key, (None,))[0] != w.log_id]
    # A retry that was answered with a log made before it was sent: the earlier POST had committed.
    found_earlier = [
        w
        for w in writes
        if w.acknowledged
        and len(w.post_times) > 1
        and w.key in logs
        and logs[w.key][1].timestamp() < w.post_times[-1]
    ]
    return {
        "writes": len(writes),
        "acknowledged": sum(w.acknowledged for w in writes),
        "rows_in_database": sum(rows.values()),
        "lost": len(lost),
        "doubled": len(doubled),
        "not_submitted": len(not_submitted),
        "not_saved": len(not_saved),
        "saved_but_unanswered": len(saved_unanswered),
        "answered_with_another_log": len(wrong_log),
        "retried": sum(len(w.post_times) > 1 for w in writes),
        "retries_that_found_the_earlier_log": len(found_earlier),
        "post_attempts": sum(len(w.post_times) for w in writes),
        "outcomes": dict(Counter(w.outcome for w in writes)),
        "problems": [
            {"title": w.title, "key": w.key, "outcome": w.outcome, "rows": rows[w.title]}
            for w in lost + doubled + not_saved + saved_unanswered + wrong_log + not_submitted
        ][:20],
    }


def remove_writes(title_prefix: str) -> int:
    """Take the test's logs (and their history) out of the benchmark database again."""
    deleted, _ = m.ActivityLog.objects.filter(title__startswith=title_prefix).delete()
    m.ActivityLog.history.filter(title__startswith=title_prefix).delete()
    return deleted


class WriterThread(threading.Thread):
    """Makes ``count`` writes spread over ``spread_s`` seconds; starts none after ``stop_by``."""

    def __init__(self, writer: FormWriter, *, count: int, spread_s: float, stop_by: float) -> None:
        super().__init__(name="load-writer", daemon=True)
        self.writer, self.count, self.spread_s, self.stop_by = writer, count, spread_s, stop_by
        self.writes: list[Write] = []
        self.error = ""

    def run(self) -> None:
        started = time.time()
        try:
            for index in range(self.count):
                due = started + index * self.spread_s / self.count
                time.sleep(max(0.0, due - time.time()))
                if time.time() > self.stop_by:
                    break
                self.writes.append(self.writer.write(index))
        except Exception as error:  # reported, not lost in a thread
            self.error = f"{type(error).__name__}: {error}"


class FaultInjector(threading.Thread):
    """Terminates the server's PostgreSQL connections every ``every_s`` seconds until stopped."""

    def __init__(self, database_url: str, *, every_s: float, app_name: str = APP_NAME) -> None:
        super().__init__(name="fault-injector", daemon=True)
        self.database_url, self.every_s, self.app_name = database_url, every_s, app_name
        self.kills: list[tuple[float, int]] = []  # (when, backends terminated)
        self.finished = threading.Event()
        self.error = ""

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.database_url, application_name=INJECTOR_NAME, autocommit=True) as db:
                while not self.finished.wait(self.every_s):
                    rows = db.execute(KILL_SQL, [self.app_name]).fetchall()
                    self.kills.append((time.time(), sum(1 for (done,) in rows if done)))
        except psycopg.Error as error:
            self.error = f"{type(error).__name__}: {error}"

    def stop(self) -> None:
        self.finished.set()
        self.join(timeout=10)


def near_a_kill(times: list[float], kills: list[float], window_s: float = 1.0) -> int:
    """How many of ``times`` fall within ``window_s`` seconds after a kill."""
    ordered = sorted(kills)
    count = 0
    for at in times:
        before = bisect.bisect_right(ordered, at)
        if before and at - ordered[before - 1] <= window_s:
            count += 1
    return count
