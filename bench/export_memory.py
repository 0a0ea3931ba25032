"""Peak memory and time of the activity-log export at 10,000 and 100,000 rows.

The export streams rows from the database a chunk at a time, so its peak memory must stay flat while
the number of rows grows tenfold. Run from the project directory:

    .venv/bin/python bench/export_memory.py            # 10,000 and 100,000 rows
    .venv/bin/python bench/export_memory.py 5000 50000

It builds its own throwaway SQLite database in a temporary directory (never the development or
production database), signs in as a district official, and downloads the export through Django's test
client with the production middleware. Memory is what Python allocates (tracemalloc) while the whole
response is produced and read; time is measured in a separate run without tracing.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_database = Path(tempfile.mkdtemp(prefix="export-memory-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_database}"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Membership, Organisation, User  # noqa: E402
from prevention import models as m  # noqa: E402

BATCH = 5_000


def build_world() -> tuple[User, m.Initiative, Organisation]:
    country = m.Country.objects.create(iso_code="KG", name="Kyrgyzstan", currency="KGS")
    region = m.Region.objects.create(country=country, name="Bishkek", kind="city")
    district = m.District.objects.create(
        region=region, name="Sverdlovsk", population=300_000, population_year=2016
    )
    plan = m.ActionPlan.objects.create(
        district=district,
        title="Plan",
        period_start=dt.date(2018, 1, 1),
        period_end=dt.date(2020, 12, 31),
        status="in_implementation",
        approved_on=dt.date(2017, 12, 1),
    )
    issue = m.PriorityIssue.objects.create(name="Burglary")
    priority = m.PlanPriority.objects.create(plan=plan, issue=issue, rank=1)
    ngo = Organisation.objects.create(name="NGO", kind=Organisation.Kind.NGO, country=country)
    administration = Organisation.objects.create(
        name="Administration", kind=Organisation.Kind.DISTRICT_ADMINISTRATION, country=country
    )
    initiative = m.Initiative.objects.create(priority=priority, title="Patrols", lead_organisation=ngo)
    official = User.objects.create_user("bench_official", password="not-used-here-1234")  # noqa: S106
    membership = Membership.objects.create(user=official, organisation=administration, role="official")
    membership.districts.set([district])
    return official, initiative, ngo


def add_logs(initiative: m.Initiative, organisation: Organisation, count: int, start: int) -> None:
    for first in range(start, start + count, BATCH):
        m.ActivityLog.objects.bulk_create(
            [
                m.ActivityLog(
                    initiative=initiative,
                    district_id=initiative.priority.plan.district_id,
                    organisation=organisation,
                    occurred_on=dt.date(2019, 1, 1) + dt.timedelta(days=number % 700),
                    kind="patrol",
                    title=f"Evening patrol number {number} around the market and the bus terminal",
                    description="Two officers and three volunteers walked the route and talked to traders.",
                    place="Osh Bazaar",
                    participants_total=5,
                )
                for number in range(first, min(first + BATCH, start + count))
            ]
        )


def download(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return sum(len(piece) for piece in response.streaming_content)


def measure(client: Client, url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    size = download(client, url)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        download(client, url)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak, size


def main(sizes: list[int]) -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    official, initiative, ngo = build_world()
    client = Client()
    client.force_login(official)
    print(f"{'rows':>9} {'format':>6} {'seconds':>8} {'peak MiB':>9} {'file MiB':>9}")
    rows = 0
    peaks: dict[str, list[int]] = {"csv": [], "xlsx": []}
    for size in sorted(sizes):
        add_logs(initiative, ngo, size - rows, rows)
        rows = size
        for extension in ("csv", "xlsx"):
            url = reverse("prevention:export", kwargs={"dataset": "activity-logs", "extension": extension})
            seconds, peak, length = measure(client, url)
            peaks[extension].append(peak)
            print(f"{rows:>9,} {extension:>6} {seconds:>8.1f} {peak / 2**20:>9.2f} {length / 2**20:>9.2f}")
    for extension, values in peaks.items():
        print(f"{extension}: peak at the largest size is {values[-1] / values[0]:.2f} times the smallest")


if __name__ == "__main__":
    try:
        main([int(arg) for arg in sys.argv[1:]] or [10_000, 100_000])
    finally:
        shutil.rmtree(_database.parent, ignore_errors=True)
