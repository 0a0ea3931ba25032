"""Measure every page on the benchmark country: queries, and server time (median, 95th percentile).

Pages are requested in this process through Django's test client with the production middleware, so
the time is the server's own (routing, middleware, queries, templates), without network or browser.
A trivial view measured the same way gives the floor.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from accounts.models import User


@dataclass
class Page:
    name: str
    user: str | None  # role key of the bench users, or None for anonymous / the floor
    url: Callable[[], str]


@dataclass
class Result:
    name: str
    url: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    runs: int

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def server_client() -> Client:
    """One test client for every page, its middleware loaded now, as the server's handler loads it when
    created. Made before ``freeze_startup_objects``, it is frozen with the rest, as on the server."""
    client = Client()
    client.handler.load_middleware()
    return client


def measure(page: Page, users: dict[str, User], *, client: Client, runs: int, warmup: int) -> Result:
    client.logout()
    if page.user:
        client.force_login(users[page.user])
    try:
        url = page.url()
    except NoReverseMatch as error:
        return Result(page.name, f"missing route: {error}", 0, 0, 0.0, 0.0, 0)
    for _ in range(warmup):
        client.get(url)
    # Each request starts by emptying the query log; left over from the last page, it would make the
    # capture's slice of it come out empty.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
    # captured_queries reads the connection's log lazily: count now, before the timed runs reset it.
    queries = len(captured.captured_queries)
    timings = []
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
        timings.append((time.perf_counter() - started) * 1000)
    return Result(
        page.name,
        url,
        response.status_code,
        queries,
        round(statistics.median(timings), 2),
        round(percentile(timings, 0.95), 2),
        runs,
    )


def table(results: list[Result], reference: dict[str, int] | None = None) -> str:
    """The results as text; with a reference run, its query count beside each page's."""
    reference = reference or {}
    header = f"{'page':<34} {'status':>6} {'queries':>7} {'ref':>4} {'median ms':>10} {'p95 ms':>8}  url"
    lines = [header, "-" * len(header)]
    for r in results:
        ref = reference.get(r.name, "")
        lines.append(
            f"{r.name:<34} {r.status:>6} {r.queries:>7} {ref!s:>4} {r.median_ms:>10.2f} {r.p95_ms:>8.2f}  {r.url}"
        )
    return "\n".join(lines)


def url(name: str, *args, query: str = "") -> Callable[[], str]:
    def build() -> str:
        return reverse(name, args=[a() if callable(a) else a for a in args]) + (f"?{query}" if query else "")

    return build
