"""``make bench-load``: the load test, and with ``--fault`` the fault test, on the benchmark country.

gunicorn with the production settings on 127.0.0.1, wrk driving dashboards and lists for a fixed time;
with ``--fault``, the application's PostgreSQL connections are killed every few seconds while activities
are logged through the form. Prints a table, writes JSON, and fails if a request failed or a write was
lost or doubled. How it works: bench/load.py; figures: docs/performance.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bench.load import LoadTestConfig, LoadTestError, passed, run, summary_table


class Command(BaseCommand):
    help = "Load test (and with --fault, fault test) of gunicorn with the production settings on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = LoadTestConfig()
        parser.add_argument("--duration", type=int, default=defaults.duration_s, help="seconds of load")
        parser.add_argument("--warmup", type=int, default=defaults.warmup_s, help="seconds of load first")
        parser.add_argument("--workers", type=int, default=defaults.workers, help="gunicorn workers")
        parser.add_argument("--threads", type=int, default=defaults.threads, help="wrk threads")
        parser.add_argument("--connections", type=int, default=defaults.connections, help="wrk connections")
        parser.add_argument("--fault", action="store_true", help="kill database connections under load")
        parser.add_argument("--kill-every", type=float, default=defaults.kill_every_s, help="seconds")
        parser.add_argument("--writes", type=int, default=defaults.writes, help="activities logged (--fault)")
        parser.add_argument(
            "--write-deadline", type=float, default=defaults.write_deadline_s, help="seconds per write"
        )
        parser.add_argument(
            "--keep-writes", action="store_true", help="leave the fault test's logs in the database"
        )
        parser.add_argument("--json", default="", help="default bench/results/load.json or fault.json")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql" or not os.environ.get("DATABASE_URL"):
            raise CommandError(
                "The load test runs on PostgreSQL: set DATABASE_URL to the benchmark database."
            )
        config = LoadTestConfig(
            duration_s=options["duration"],
            warmup_s=options["warmup"],
            workers=options["workers"],
            threads=options["threads"],
            connections=options["connections"],
            fault=options["fault"],
            kill_every_s=options["kill_every"],
            writes=options["writes"],
            write_deadline_s=options["write_deadline"],
            keep_writes=options["keep_writes"],
        )
        path = Path(options["json"] or f"bench/results/{'fault' if config.fault else 'load'}.json")
        try:
            report = run(
                config,
                database_url=os.environ["DATABASE_URL"],
                results_dir=path.parent,
                log=lambda line: self.stderr.write(line),
            )
        except LoadTestError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary_table(report))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str))
        self.stdout.write(f"written to {path}")
        if not passed(report):
            raise CommandError("The test failed: see the figures above.")
