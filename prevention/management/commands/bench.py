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
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from bench.country import CountryBuilder, Size
from bench.measure import Page, measure, server_client, table, url
from config.heap import freeze_startup_objects
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
        parser.add_argument(
            "--no-build",
            action="store_true",
            help="measure the data that is there (e.g. the demo) without building a country",
        )
        parser.add_argument(
            "--compare",
            default="",
            help="a JSON of an earlier run (the demo's): flag pages whose query count differs from it",
        )

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        size = Size(**{k: options[k] for k in Size.__dataclass_fields__})
        builder = CountryBuilder(size)
        built_seconds = None
        has_country = m.District.objects.filter(name="Bench district 001").exists()
        if not options["no_build"] and (options["rebuild"] or not has_country):
            started = time.perf_counter()
            counts = builder.build()
            built_seconds = round(time.perf_counter() - started, 1)
            self.stdout.write(f"built in {built_seconds} s: {counts}")
        district = largest_district()
        users = users_of(district)
        pages = self.pages(district)
        if options["only"]:
            pages = [p for p in pages if options["only"] in p.name]
        client = server_client()
        # As the server does once it has loaded the app (config/wsgi.py).
        freeze_startup_objects()
        results = [
            measure(page, users, client=client, runs=options["runs"], warmup=options["warmup"])
            for page in pages
        ]
        reference = {}
        if options["compare"]:
            earlier = json.loads(Path(options["compare"]).read_text())
            reference = {page["name"]: page["queries"] for page in earlier["pages"]}
        self.stdout.write(table(results, reference))
        report = {
            "measured_at": timezone.now().isoformat(timespec="seconds"),
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": _cpus(),
            },
            "database": "postgresql " + ".".join(map(str, connection.get_database_version())),
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
            "pages": [{**r.as_dict(), "queries_on_reference": reference.get(r.name)} for r in results],
        }
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2))
        self.stdout.write(f"written to {path}")
        slow = [r for r in results if r.p95_ms > 100 or r.status >= 400 or r.status == 0]
        grew = [r for r in results if r.name in reference and reference[r.name] != r.queries]
        if grew:
            self.stdout.write(
                self.style.ERROR("query count differs from the reference: " + ", ".join(r.name for r in grew))
            )
        if slow:
            self.stdout.write(
                self.style.WARNING("over 100 ms at p95, or failing: " + ", ".join(r.name for r in slow))
            )

    def pages(self, district: m.District) -> list[Page]:
        plan = (
            m.ActionPlan.objects.filter(district=district, status="in_implementation").order_by("pk").first()
        )
        # The initiative with the most activity logs: the heaviest initiative page.
        initiative = (
            m.Initiative.objects.filter(priority__plan=plan)
            .annotate(logs=Count("activity_logs"))
            .order_by("-logs", "pk")
            .first()
        )
        oldest = (
            m.ActivityLog.objects.filter(district=district)
            .order_by("occurred_on", "id")
            .values_list("occurred_on", "id")[25:26]
        )
        last_cursor = f"{oldest[0][0].isoformat()}.{oldest[0][1]}" if oldest else ""
        return [
            Page("floor (trivial view)", None, url("healthz")),
            Page("dashboard official", "official", url("prevention:dashboard", query="role=official")),
            Page("dashboard police", "police", url("prevention:dashboard", query="role=police")),
            Page("dashboard partner", "partner", url("prevention:dashboard", query="role=partner")),
            Page("log an activity (form)", "partner", url("prevention:activity-log-create")),
            Page("district", "official", url("prevention:district-detail", district.pk)),
            Page("plan", "official", url("prevention:plan-detail", plan.pk)),
            Page("initiative", "official", url("prevention:initiative-detail", initiative.pk)),
            Page("activity logs", "official", url("prevention:activity-log-list")),
            Page(
                "activity logs filtered",
                "official",
                url("prevention:activity-log-list", query="state=verified&date_from=2017-01-01"),
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


def largest_district() -> m.District:
    """The district with the most initiatives: its people see the heaviest pages (Sverdlovsk on the demo)."""
    return (
        m.District.objects.annotate(size=Count("plans__priorities__initiatives"))
        .order_by("-size", "pk")
        .first()
    )


def users_of(district: m.District) -> dict[str, User]:
    """An official, a police officer and a partner of the district; a donor funding it; an administrator."""
    users = {}
    for role in ("official", "police", "partner"):
        users[role] = (
            User.objects.filter(memberships__role=role, memberships__districts=district, is_active=True)
            .order_by("pk")
            .first()
        )
    funders = m.FundingLine.objects.filter(initiative__priority__plan__district=district).values("funder")
    users["donor"] = (
        User.objects.filter(memberships__role="donor", memberships__organisation__in=funders)
        .order_by("pk")
        .first()
    )
    users["admin"] = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if users["admin"] is None:
        users["admin"] = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    missing = [role for role, user in users.items() if user is None]
    if missing:
        raise CommandError(f"The district {district} has no user for: {', '.join(missing)}")
    return users


def _estimate(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 0
