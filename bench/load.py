"""Load and fault test: the production server under a mix of pages, and under killed database connections.

The load test starts gunicorn with the production settings on 127.0.0.1 and drives a mix of the
dashboards and lists with wrk (bench/wrk_mix.lua) for a fixed time, signed in as the benchmark users of
the largest district and a donor. The fault test does the same while the server's PostgreSQL
connections are killed every few seconds and activities are logged through the form (bench/faults.py);
afterwards every write must be in the database exactly once.

What needs neither gunicorn nor wrk (reading wrk's summary and the server's log, the sessions, the
writer and its retries) is tested in tests/test_load.py.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from importlib import import_module
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bench.client import (
    FORWARDED_HTTPS,
    HttpTransport,
    Transport,
    TransportError,
    session_cookie,
    sign_in_session,
)
from bench.country import CountryBuilder, Size
from bench.faults import (
    APP_NAME,
    FaultInjector,
    FaultTestError,
    FormWriter,
    WriterThread,
    check_writes,
    near_a_kill,
    remove_writes,
    writer_fields,
)
from prevention import models as m

LARGEST_DISTRICT = "Bench district 001"
LUA_SCRIPT = Path(__file__).with_name("wrk_mix.lua")


class LoadTestError(Exception):
    """The test could not run (no wrk, no benchmark country, a page failing before the load...)."""


# wrk


def parse_wrk_output(text: str) -> dict:
    """The figures from the WRK_SUMMARY line bench/wrk_mix.lua prints at the end of a run."""
    line = next((line for line in text.splitlines() if line.startswith("WRK_SUMMARY ")), None)
    if line is None:
        raise ValueError("wrk printed no WRK_SUMMARY line: was it run with -s bench/wrk_mix.lua?")
    raw = json.loads(line.removeprefix("WRK_SUMMARY "))
    errors = {name: int(count) for name, count in raw["errors"].items()}
    # An empty Lua table comes out as [] whatever it was meant to be.
    statuses = raw["statuses"] if isinstance(raw["statuses"], dict) else {}
    return {
        "requests": int(raw["requests"]),
        "duration_s": round(raw["duration_s"], 2),
        "requests_per_s": round(raw["requests_per_s"], 1),
        "bytes": int(raw["bytes"]),
        "latency_ms": {name: round(value, 2) for name, value in raw["latency_ms"].items()},
        "statuses": {status: int(count) for status, count in sorted(statuses.items())},
        "failed": errors["status"],  # answered with a 4xx or 5xx
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        "errors": errors,
        "failure_times": sorted(raw["failure_times"]) if isinstance(raw["failure_times"], list) else [],
        "clock": raw.get("clock", "seconds"),
    }


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise LoadTestError("wrk is not installed. Install it with: apt-get install wrk")
    return path


def run_wrk(
    *, port: int, mix_file: Path, duration_s: int, threads: int, connections: int, timeout_s: int = 10
) -> dict:
    command = [
        wrk_path(),
        f"--threads={threads}",
        f"--connections={max(connections, threads)}",
        f"--duration={duration_s}s",
        f"--timeout={timeout_s}s",
        "--latency",
        f"--script={LUA_SCRIPT}",
        f"http://127.0.0.1:{port}",
        "--",
        str(mix_file),
    ]
    # A fixed command line; what comes from outside is numbers and a path this module wrote.
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=duration_s + 60, check=False
    )
    try:
        return parse_wrk_output(done.stdout)
    except ValueError:
        raise LoadTestError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}") from None


# The server


def production_env(*, database_url: str, secret_key: str) -> dict[str, str]:
    """The environment of a production deployment on 127.0.0.1 (DEBUG unset, the HTTPS redirect on)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECURE_SSL_REDIRECT", "CSRF_TRUSTED_ORIGINS", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="60",
        PGAPPNAME=APP_NAME,
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    """Collect static files the way production serves them (WhiteNoise's manifest needs them)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise LoadTestError(f"collectstatic failed: {done.stderr[-2000:]}")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn() -> str:
    beside = Path(sys.executable).with_name("gunicorn")
    path = str(beside) if beside.exists() else shutil.which("gunicorn")
    if not path:
        raise LoadTestError("gunicorn is not installed: pip install -r requirements.txt")
    return path


def _stop(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers: the whole process group, politely first."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=20)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@contextmanager
def gunicorn_server(*, env: dict[str, str], workers: int, log_path: Path) -> Iterator[int]:
    """Run gunicorn on a free port of 127.0.0.1 until the block ends, however it ends."""
    port = free_port()
    command = [
        _gunicorn(),
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--timeout=30",
        "--graceful-timeout=5",
        "--log-level=warning",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that stopping it stops every worker
        )
    try:
        _wait_until_ready(process, port, log_path)
        yield port
    finally:
        _stop(process)


def _wait_until_ready(process: subprocess.Popen, port: int, log_path: Path, timeout_s: float = 60) -> None:
    transport = HttpTransport("127.0.0.1", port, timeout_s=5)
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if process.poll() is not None:
            raise LoadTestError(f"gunicorn stopped at start: {log_path.read_text()[-2000:]}")
        with suppress(TransportError):
            if transport("GET", reverse("healthz"), headers=FORWARDED_HTTPS).status == 200:
                return
        time.sleep(0.25)
    raise LoadTestError(f"gunicorn did not answer within {timeout_s} s: {log_path.read_text()[-2000:]}")


_LOG_ENTRY = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<level>[A-Z]+) (?P<logger>\S+) (?P<message>.*)$"
)
_FRAME = re.compile(r'^\s+File "(?P<path>[^"]+)", line \d+, in (?P<function>\S+)')
_EXCEPTION = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)(?::|$)")


def _short(path: str) -> str:
    path = path.split("site-packages/", 1)[-1]
    return path.removeprefix(f"{settings.BASE_DIR}/")


def _failure_cause(lines: list[str]) -> tuple[str, str]:
    """The last exception of a logged traceback, and where it was raised from: the first frame in
    project code or in a middleware (the handler's own frames say nothing)."""
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last):")]
    block = lines[starts[-1] :] if starts else lines
    exception = next(
        (match["name"] for line in reversed(block) if (match := _EXCEPTION.match(line))), "unknown"
    )
    where = ""
    for line in block:
        frame = _FRAME.match(line)
        if frame and ("site-packages" not in frame["path"] or "middleware" in frame["path"]):
            where = f"{_short(frame['path'])} in {frame['function']}"
            break
    return exception.rsplit(".", 1)[-1], where


def server_log_summary(text: str) -> dict:
    """What the server logged under load: reads it ran again, and each kind of request error (the
    error of a first attempt that a retry then answered is among them: wrk's statuses say what the
    clients got)."""
    entries: list[tuple[str, str, str, list[str]]] = []
    for line in text.splitlines():
        head = _LOG_ENTRY.match(line)
        if head:
            entries.append((head["level"], head["logger"], head["message"], []))
        elif entries:
            entries[-1][3].append(line)
    failures: dict[tuple[str, str, str], dict] = {}
    for level, logger, message, lines in entries:
        if logger != "django.request":
            continue
        exception, where = _failure_cause(lines)
        kind = failures.setdefault(
            ("5xx" if level == "ERROR" else "4xx", exception, where),
            {"count": 0, "paths": Counter()},
        )
        kind["count"] += 1
        kind["paths"][message.rsplit(": ", 1)[-1]] += 1
    return {
        "reads_retried_on_a_fresh_connection": sum(1 for e in entries if e[1] == "config.db"),
        "errors_logged": sum(kind["count"] for kind in failures.values()),
        "failure_kinds": [
            {"status": status, "exception": exception, "where": where, **kind, "paths": dict(kind["paths"])}
            for (status, exception, where), kind in sorted(
                failures.items(), key=lambda item: -item[1]["count"]
            )
        ],
    }


# The mix of pages


@dataclass(frozen=True)
class Target:
    name: str
    role: str
    path: str


def page_mix() -> list[Target]:
    """Dashboards and lists of the largest district's users, and the donor's site."""
    district = m.District.objects.get(name=LARGEST_DISTRICT)
    plan = m.ActionPlan.objects.filter(district=district, status="in_implementation").order_by("pk").first()
    initiative = m.Initiative.objects.filter(priority__plan=plan).order_by("pk").first()
    if plan is None or initiative is None:
        raise LoadTestError(f"{LARGEST_DISTRICT} has no plan in implementation with an initiative.")
    dashboard = reverse("prevention:dashboard")
    logs = reverse("prevention:activity-log-list")
    return [
        Target("dashboard official", "official", f"{dashboard}?role=official"),
        Target("dashboard police", "police", f"{dashboard}?role=police"),
        Target("dashboard partner", "partner", f"{dashboard}?role=partner"),
        Target("district", "official", reverse("prevention:district-detail", args=[district.pk])),
        Target("plan", "official", reverse("prevention:plan-detail", args=[plan.pk])),
        Target("initiative", "official", reverse("prevention:initiative-detail", args=[initiative.pk])),
        Target("activity logs", "official", logs),
        Target(
            "activity logs filtered", "official", f"{logs}?kind=training&state=verified&date_from=2022-01-01"
        ),
        Target("activity logs (partner)", "partner", logs),
        Target("donor home", "donor", reverse("donor:index")),
        Target("donor initiatives", "donor", reverse("donor:prevention_initiative_changelist")),
        Target("donor funding lines", "donor", reverse("donor:prevention_fundingline_changelist")),
        Target("donor activity logs", "donor", reverse("donor:prevention_activitylog_changelist")),
        Target("donor indicators", "donor", reverse("donor:prevention_indicator_changelist")),
    ]


def mix_lines(targets: list[Target], sessions: dict[str, str]) -> str:
    """The request list bench/wrk_mix.lua reads: a path, a tab, the Cookie header."""
    return "".join(f"{t.path}\t{session_cookie(sessions[t.role])}\n" for t in targets)


def check_pages(transport: Transport, targets: list[Target], sessions: dict[str, str]) -> list[str]:
    """Every page of the mix answers 200 to its user before the load starts (not a sign-in redirect)."""
    problems = []
    for target in targets:
        headers = {**FORWARDED_HTTPS, "Cookie": session_cookie(sessions[target.role])}
        try:
            reply = transport("GET", target.path, headers=headers)
        except TransportError as error:
            problems.append(f"{target.name} {target.path}: {error}")
            continue
        if reply.status != 200:
            problems.append(
                f"{target.name} {target.path}: {reply.status} {reply.headers.get('location', '')}".strip()
            )
    return problems


# The run


@dataclass
class LoadTestConfig:
    duration_s: int = 20
    warmup_s: int = 3
    workers: int = 2 * (os.cpu_count() or 1) + 1
    threads: int = 2
    connections: int = 8
    fault: bool = False
    kill_every_s: float = 3.0
    writes: int = 100
    write_deadline_s: float = 30.0
    keep_writes: bool = False


def _dataset() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [m.ActivityLog._meta.db_table]
        )
        estimate = cursor.fetchone()[0]
    return {
        "districts": m.District.objects.count(),
        "plans": m.ActionPlan.objects.count(),
        "initiatives": m.Initiative.objects.count(),
        "activity_logs": estimate if estimate > 100_000 else m.ActivityLog.objects.count(),
        "users": User.objects.count(),
    }


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _machine() -> dict:
    wrk = subprocess.run(  # noqa: S603
        [wrk_path(), "--version"], capture_output=True, text=True, check=False, timeout=10
    )
    return {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": _server_version(),
        "gunicorn": version("gunicorn"),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0].strip(),
    }


def run(config: LoadTestConfig, *, database_url: str, results_dir: Path, log: Callable[[str], None]) -> dict:
    """Run the load test (or, with ``config.fault``, the fault test) and return its report."""
    wrk_path()
    if not m.District.objects.filter(name=LARGEST_DISTRICT).exists():
        raise LoadTestError(
            f"No benchmark country on this database ({LARGEST_DISTRICT} is missing): "
            "build one with `manage.py bench` first (see docs/performance.md)."
        )
    users = CountryBuilder(Size()).largest_district_users()
    missing = [role for role, user in users.items() if user is None]
    if missing:
        raise LoadTestError(f"The benchmark country has no user for: {', '.join(missing)}.")
    if not issubclass(import_module(settings.SESSION_ENGINE).SessionStore, DatabaseSessionStore):
        raise LoadTestError("The load test signs users in with sessions in the database (SESSION_ENGINE).")

    secret_key = secrets.token_urlsafe(50)
    env = production_env(database_url=database_url, secret_key=secret_key)
    log("collecting static files")
    collectstatic(env)
    targets = page_mix()
    sessions = {role: sign_in_session(user, secret_key=secret_key) for role, user in users.items()}
    writer_session = sign_in_session(users["partner"], secret_key=secret_key)
    title_prefix = f"Fault test {timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    try:
        fields = writer_fields(users["partner"]) if config.fault else {}
    except FaultTestError as error:
        raise LoadTestError(str(error)) from error
    report: dict = {
        "test": "fault" if config.fault else "load",
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "machine": _machine(),
        "dataset": _dataset(),
        "settings": asdict(config),
        "mix": [asdict(t) for t in targets],
    }
    log_path = results_dir / f"gunicorn-{report['test']}.log"
    injector: FaultInjector | None = None
    writer: WriterThread | None = None
    with tempfile.TemporaryDirectory() as scratch:
        mix_file = Path(scratch) / "mix.tsv"
        mix_file.write_text(mix_lines(targets, sessions))
        try:
            log(f"starting gunicorn ({config.workers} workers)")
            with gunicorn_server(env=env, workers=config.workers, log_path=log_path) as port:
                transport = HttpTransport("127.0.0.1", port)
                problems = check_pages(transport, targets, sessions)
                if problems:
                    raise LoadTestError("Pages fail before any load: " + "; ".join(problems))
                wrk_options = {
                    "port": port,
                    "mix_file": mix_file,
                    "threads": config.threads,
                    "connections": config.connections,
                }
                if config.warmup_s:
                    log(f"warming up for {config.warmup_s} s")
                    run_wrk(duration_s=config.warmup_s, **wrk_options)
                if config.fault:
                    injector = FaultInjector(database_url, every_s=config.kill_every_s)
                    writer = WriterThread(
                        FormWriter(
                            transport,
                            session_key=writer_session,
                            host=f"127.0.0.1:{port}",
                            fields=fields,
                            title_prefix=title_prefix,
                            deadline_s=config.write_deadline_s,
                        ),
                        count=config.writes,
                        spread_s=config.duration_s * 0.9,
                        stop_by=time.time() + config.duration_s + config.write_deadline_s,
                    )
                    injector.start()
                    writer.start()
                log(f"load for {config.duration_s} s" + (" with connections killed" if config.fault else ""))
                try:
                    report["reads"] = run_wrk(duration_s=config.duration_s, **wrk_options)
                finally:
                    if injector:
                        injector.stop()
                    if writer:
                        writer.join(timeout=2 * config.write_deadline_s + 30)
        finally:
            Session.objects.filter(session_key__in=[*sessions.values(), writer_session]).delete()

    connection.close()  # opened before the load and idle since: start the checks on a fresh one
    report["server_log"] = server_log_summary(log_path.read_text())
    if config.fault and injector and writer:
        report.update(_fault_figures(report["reads"], injector, writer, title_prefix, config))
    report["reads"]["failure_times"] = report["reads"]["failure_times"][:50]
    return report


def _fault_figures(
    reads: dict, injector: FaultInjector, writer: WriterThread, title_prefix: str, config: LoadTestConfig
) -> dict:
    kill_times = [at for at, _ in injector.kills]
    window = 1.0 if reads["clock"] == "microseconds" else 2.0
    write_failures = [at for w in writer.writes for at, _ in w.failures]
    writes = check_writes(writer.writes, title_prefix)
    writes["not_attempted"] = config.writes - len(writer.writes)
    writes["failed_requests"] = len(write_failures)
    writes["failed_requests_within_1s_of_a_kill"] = near_a_kill(write_failures, kill_times)
    writes["failure_kinds"] = dict(Counter(what for w in writer.writes for _, what in w.failures))
    writes["writer_error"] = writer.error
    writes["removed_after_check"] = 0 if config.keep_writes else remove_writes(title_prefix)
    reads["failed_within_1s_of_a_kill"] = near_a_kill(reads["failure_times"], kill_times, window)
    # A request killed in flight fails when it ends, up to a slow request's time after the kill.
    reads["failed_within_p99_of_a_kill"] = near_a_kill(
        reads["failure_times"], kill_times, window + reads["latency_ms"]["p99"] / 1000
    )
    return {
        "kills": {
            "rounds": len(injector.kills),
            "backends_terminated": sum(n for _, n in injector.kills),
            "every_s": config.kill_every_s,
            "error": injector.error,
        },
        "writes": writes,
    }


def passed(report: dict) -> bool:
    """No read failed; in the fault test, every write was answered and is in the database once.

    A POST answered with a 5xx and then retried with its key is reported, not failed: repeating it is
    the client's part of the design (the server never repeats a write)."""
    reads = report["reads"]
    if reads["failed"] or reads["socket_errors"]:
        return False
    if report["test"] != "fault":
        return True
    writes = report["writes"]
    return (
        writes["acknowledged"] == writes["writes"] == report["settings"]["writes"]
        and writes["lost"] == writes["doubled"] == writes["answered_with_another_log"] == 0
        and not report["kills"]["error"]
        and not writes["writer_error"]
    )


def summary_table(report: dict) -> str:
    reads = report["reads"]
    latency = reads["latency_ms"]
    lines = [
        f"{report['test']} test, {reads['duration_s']} s, {report['settings']['workers']} gunicorn workers, "
        f"wrk {report['settings']['threads']} threads / {report['settings']['connections']} connections",
        f"{'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failed':>7} {'socket err':>10}",
        f"{reads['requests']:>9} {reads['requests_per_s']:>8.1f} {latency['p50']:>8.1f} {latency['p95']:>8.1f} "
        f"{latency['p99']:>8.1f} {reads['failed']:>7} {reads['socket_errors']:>10}",
        f"statuses: {reads['statuses']}",
    ]
    server = report["server_log"]
    lines.append(
        f"server: {server['reads_retried_on_a_fresh_connection']} reads retried on a fresh connection, "
        f"{server['errors_logged']} request errors in its log"
    )
    for kind in server["failure_kinds"]:
        lines.append(f"  {kind['count']:>4} {kind['status']} {kind['exception']} at {kind['where']}")
    if report["test"] == "fault":
        kills, writes = report["kills"], report["writes"]
        lines += [
            f"kills: {kills['rounds']} rounds every {kills['every_s']} s, "
            f"{kills['backends_terminated']} backends terminated {kills['error']}".rstrip(),
            f"failed reads: {reads['failed']}, of which {reads['failed_within_1s_of_a_kill']} within 1 s "
            f"of a kill, {reads['failed_within_p99_of_a_kill']} within 1 s + p99 latency",
            f"writes: {writes['writes']} made, {writes['acknowledged']} answered, "
            f"{writes['rows_in_database']} rows; lost {writes['lost']}, doubled {writes['doubled']}, "
            f"not saved {writes['not_saved']}, saved but answered with an error "
            f"{writes['saved_but_unanswered']}, form failed to open {writes['not_submitted']}, "
            f"not attempted {writes['not_attempted']}",
            f"write requests failed: {writes['failed_requests']} "
            f"({writes['failed_requests_within_1s_of_a_kill']} within 1 s of a kill) {writes['failure_kinds']}",
            f"writes retried: {writes['retried']}, of which {writes['retries_that_found_the_earlier_log']} "
            "found the log an earlier attempt had saved",
        ]
    return "\n".join(lines)
