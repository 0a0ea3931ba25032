"""The benchmark country's history step: rows written without django-simple-history (COPY, bulk_create)
get the one "created" record the app would have written, so pages read history as they would in use."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from bench.country import CountryBuilder, Size
from prevention import models as m
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark country is PostgreSQL's"),
]


def test_rows_written_without_history_get_one_created_record_each():
    made_in_the_app = f.MilestoneFactory()
    initiative = made_in_the_app.initiative
    bulk = m.Milestone.objects.bulk_create(
        m.Milestone(initiative=initiative, title=f"Bulk {n}", due_on=made_in_the_app.due_on) for n in range(3)
    )
    assert not m.Milestone.history.filter(id__in=[b.pk for b in bulk]).exists()

    added = CountryBuilder(Size()).add_history()

    assert added >= 3
    for milestone in bulk:
        records = m.Milestone.history.filter(id=milestone.pk)
        assert [(r.history_type, r.title) for r in records] == [("+", milestone.title)]
        assert records.get().history_date == milestone.created_at
    # The row the app made keeps its own single record.
    assert m.Milestone.history.filter(id=made_in_the_app.pk).count() == 1


def test_history_is_added_once():
    f.InitiativeFactory()
    CountryBuilder(Size()).add_history()
    assert CountryBuilder(Size()).add_history() == 0


@pytest.mark.django_db(transaction=True)  # the build ends with VACUUM, which no transaction may hold
def test_the_benchmark_measures_every_page_of_a_small_country(tmp_path):
    """``make bench`` end to end on a country a thousandth of the national one: every page answers its
    user, and the report says what it measured on."""
    report_path = tmp_path / "bench.json"
    sizes = ["--districts", "3", "--plans", "6", "--initiatives", "30", "--milestones", "90"]
    sizes += ["--logs", "600", "--measurements", "60", "--users", "30"]
    call_command(
        "bench", *sizes, "--runs", "2", "--warmup", "0", "--json", str(report_path), stdout=io.StringIO()
    )

    report = json.loads(report_path.read_text())
    assert report["database"].startswith("postgresql 1")
    assert report["size"]["districts"] == 3
    assert report["size"]["initiatives"] == 30
    pages = {page["name"]: page for page in report["pages"]}
    assert {"dashboard official", "donor home", "export 10,000 logs (csv)", "admin activity logs"} <= set(
        pages
    )
    assert {name: page["status"] for name, page in pages.items() if page["status"] != 200} == {}
    assert pages["dashboard official"]["queries"] > 0
