"""The benchmark country's history step: rows written without django-simple-history (COPY, bulk_create)
get the one "created" record the app would have written, so pages read history as they would in use."""

from __future__ import annotations

import pytest
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
