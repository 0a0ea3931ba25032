"""``make bench``: build a synthetic country on PostgreSQL and measure every page on it.

Prints a table (queries, median and 95th-percentile server time per page) and writes it as JSON. The
same pages measured on the demo data give the query counts to compare with: a page whose count grows
with the data does a query per row.
"""

from __future__ import annotations

import json
import platform
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from accounts.models import User
from bench.country import CountryBuilder, Size
from bench.measure import Page, measure, table, url
from prevention import models as m


class Command(BaseCommand):
    help = "Build a synthetic country on PostgreSQL (unless it is there) and measure every page on it."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Size()
        for name in ("districts", "plans", "initiatives", "milestones", "logs", "measurements", "users"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
        parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
        parser.add_argument("--json", default="bench/results/bench.json", help="where to write the table")
        parser.add_argument("--rebuild", action="store_true", help="build even if a country is there")
        parser.add_argument("--only", default="", help="measure only pages whose name contains this")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        size = Size(**{k: options[k] for k in Size.__dataclass_fields__})
        builder = CountryBuilder(size)
        built_seconds = None
        if options["rebuild"] or not m.District.objects.filter(name="Bench district 001").exists():
            started = time.perf_counter()
            counts = builder.build()
            built_seconds = round(time.perf_counter() - started, 1)
            self.stdout.write(f"built in {built_seconds} s: {counts}")
        users = builder.largest_district_users()
        users["admin"], _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        pages = self.pages()
        if options["only"]:
            pages = [p for p in pages if options["only"] in p.name]
        results = [measure(page, users, runs=options["runs"], warmup=options["warmup"]) for page in pages]
        self.stdout.write(table(results))
        report = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": _cpus(),
            },
            "database": connection.vendor + " " + ".".join(map(str, connection.pg_version_tuple()))
            if hasattr(connection, "pg_version_tuple")
            else connection.vendor,
            "size": {
                "districts": m.District.objects.count(),
                "initiatives": m.Initiative.objects.count(),
                "milestones": m.Milestone.objects.count(),
                "activity_logs": _estimate(m.ActivityLog),
                "measurements": m.Measurement.objects.count(),
                "users": User.objects.count(),
            },
            "build_seconds": built_seconds,
            "runs": options["runs"],
            "debug": settings.DEBUG,
            "pages": [r.as_dict() for r in results],
        }
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2))
        self.stdout.write(f"written to {path}")
        slow = [r for r in results if r.p95_ms > 100 or r.status >= 400 or r.status == 0]
        if slow:
            self.stdout.write(
                self.style.WARNING("over 100 ms at p95, or failing: " + ", ".join(r.name for r in slow))
            )

    def pages(self) -> list[Page]:
        district = m.District.objects.get(name="Bench district 001")
        plan = (
            m.ActionPlan.objects.filter(district=district, status="in_implementation").order_by("pk").first()
        )
        initiative = m.Initiative.objects.filter(priority__plan=plan).order_by("pk").first()
        oldest = (
            m.ActivityLog.objects.filter(initiative__priority__plan__district=district)
            .order_by("occurred_on", "id")
            .values_list("occurred_on", "id")[25:26]
        )
        last_cursor = f"{oldest[0][0].isoformat()}.{oldest[0][1]}" if oldest else ""
        return [
            Page("floor (trivial view)", None, url("healthz")),
            Page("dashboard official", "official", url("prevention:dashboard", query="role=official")),
            Page("dashboard police", "police", url("prevention:dashboard", query="role=police")),
            Page("dashboard partner", "partner", url("prevention:dashboard", query="role=partner")),
            Page("district", "official", url("prevention:district-detail", district.pk)),
            Page("plan", "official", url("prevention:plan-detail", plan.pk)),
            Page("initiative", "official", url("prevention:initiative-detail", initiative.pk)),
            Page("activity logs", "official", url("prevention:activity-log-list")),
            Page(
                "activity logs filtered",
                "official",
                url(
                    "prevention:activity-log-list", query="kind=training&state=verified&date_from=2022-01-01"
                ),
            ),
            Page(
                "activity logs last page",
                "official",
                url("prevention:activity-log-list", query=f"older={last_cursor}"),
            ),
            Page("donor home", "donor", url("donor:index")),
            Page("donor initiatives", "donor", url("donor:prevention_initiative_changelist")),
            Page("donor funding lines", "donor", url("donor:prevention_fundingline_changelist")),
            Page("donor activity logs", "donor", url("donor:prevention_activitylog_changelist")),
            Page("donor indicators", "donor", url("donor:prevention_indicator_changelist")),
            Page("admin activity logs", "admin", url("admin:prevention_activitylog_changelist")),
            # The largest district logs about 50 activities a day: 200 days are 10,000 rows.
            Page(
                "export 10,000 logs (csv)",
                "official",
                url(
                    "prevention:export",
                    "activity-logs",
                    "csv",
                    query=f"district={district.pk}&date_from=2020-01-01&date_to=2020-07-19",
                ),
            ),
        ]


def _estimate(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 0
