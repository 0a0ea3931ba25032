"""The donor's list of activity logs stays usable when a donor funds thousands of logs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention import models as m
from prevention.admin.lists import CappedPaginator
from tests import factories as f

LOGS = reverse("donor:prevention_activitylog_changelist")


def verified_log(**kwargs) -> m.ActivityLog:
    return f.ActivityLogFactory(review_state="verified", reviewed_at=timezone.now(), **kwargs)


@pytest.fixture
def donor_client(client, world):
    client.force_login(world.donor)
    return client


def test_donor_filters_logs_by_year_among_the_years_of_their_logs(donor_client, world):
    a = world.a
    verified_log(
        initiative=a.initiative, organisation=a.ngo, title="Spring 2023", occurred_on=dt.date(2023, 4, 1)
    )
    verified_log(
        initiative=a.initiative, organisation=a.ngo, title="Autumn 2025", occurred_on=dt.date(2025, 10, 1)
    )
    # Another district's older log does not stretch the donor's years.
    verified_log(initiative=world.b.initiative, organisation=world.b.ngo, occurred_on=dt.date(2019, 1, 1))

    page = donor_client.get(LOGS)
    assert [title for _value, title in page.context_data["cl"].filter_specs[1].lookup_choices] == [
        "2025",
        "2024",
        "2023",
    ]
    only_2023 = donor_client.get(LOGS, {"year": "2023"}).text
    assert "Spring 2023" in only_2023 and "Autumn 2025" not in only_2023
    assert "Autumn 2025" in donor_client.get(LOGS, {"year": "nonsense"}).text


def test_donor_log_filters_offer_only_funded_initiatives_and_their_organisations(donor_client, world):
    verified_log(initiative=world.a.initiative, organisation=world.a.ngo)
    page = donor_client.get(LOGS).text
    assert "Initiative A" in page and "Initiative B" not in page
    assert world.a.ngo.name in page and world.b.ngo.name not in page


def test_donor_filters_logs_by_initiative_from_the_initiative_page_link(donor_client, world):
    other = f.InitiativeFactory(priority=world.a.priority, title="Street lights")
    f.FundingLineFactory(initiative=other, funder=world.donor_org)
    verified_log(initiative=world.a.initiative, organisation=world.a.ngo, title="Station opening")
    verified_log(initiative=other, organisation=world.a.ngo, title="Lights switched on")

    page = donor_client.get(LOGS, {"initiative__id__exact": other.pk}).text
    assert "Lights switched on" in page and "Station opening" not in page


def test_each_log_shows_how_many_files_of_evidence_it_has(donor_client, world):
    with_files = verified_log(initiative=world.a.initiative, organisation=world.a.ngo, title="With files")
    verified_log(initiative=world.a.initiative, organisation=world.a.ngo, title="Without files")
    for name in ("a.pdf", "b.pdf"):
        m.Attachment.objects.create(
            activity_log=with_files, file=name, original_name=name, content_type="application/pdf", size=1
        )
    rows = donor_client.get(LOGS).context_data["cl"].result_list
    assert {log.title: log.evidence_total for log in rows} == {"With files": 2, "Without files": 0}


def test_donor_log_list_says_when_more_logs_match_than_its_pages_reach(donor_client, world, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    monkeypatch.setattr("prevention.donor.ActivityLogAdmin.list_per_page", 1)
    for day in range(1, 5):
        verified_log(
            initiative=world.a.initiative, organisation=world.a.ngo, occurred_on=dt.date(2024, 1, day)
        )

    first = donor_client.get(LOGS)
    assert first.status_code == 200
    assert "More than 2 activity logs" in first.text
    assert donor_client.get(LOGS, {"p": "2"}).status_code == 200
    # Beyond the counted rows the admin sends the donor back to the list's first page.
    assert donor_client.get(LOGS, {"p": "3"}).status_code == 302

    narrowed = donor_client.get(LOGS, {"occurred_on__gte": "2024-01-04"}).text
    assert "More than" not in narrowed and "1 activity log" in narrowed


def test_home_lists_the_most_urgent_initiatives_and_links_to_all(donor_client, world, monkeypatch):
    monkeypatch.setattr("prevention.donor.HOME_INITIATIVES", 1)
    m.Initiative.objects.filter(pk=world.a.initiative.pk).update(status=m.Initiative.Status.COMPLETED)
    late = f.InitiativeFactory(
        priority=world.a.priority,
        title="Late lights",
        status=m.Initiative.Status.DELAYED,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2021, 1, 1),
    )
    f.FundingLineFactory(initiative=late, funder=world.donor_org)

    page = donor_client.get(reverse("donor:index")).text
    assert "Late lights" in page  # off track before done, whatever the title order
    assert f">{world.a.initiative.title}</a>" not in page
    assert "Showing the 1 most urgent of the 2 initiatives you fund" in page
    assert reverse("donor:prevention_initiative_changelist") in page


def test_with_too_many_initiatives_to_list_the_filter_says_how_to_find_one(donor_client, world, monkeypatch):
    monkeypatch.setattr("prevention.admin.lists.VisibleInitiativeListFilter.limit", 1)
    other = f.InitiativeFactory(priority=world.a.priority, title="Street lights")
    f.FundingLineFactory(initiative=other, funder=world.donor_org)
    verified_log(initiative=other, organisation=world.a.ngo, title="Lights switched on")
    verified_log(initiative=world.a.initiative, organisation=world.a.ngo, title="Station opening")

    def initiative_choices(response) -> list[str]:
        spec = next(s for s in response.context_data["cl"].filter_specs if str(s.title) == "initiative")
        return [label for _pk, label in spec.lookup_choices]

    page = donor_client.get(LOGS)
    assert "More than 1 to list" in page.text and initiative_choices(page) == []
    narrowed = donor_client.get(LOGS, {"initiative__id__exact": other.pk})
    assert initiative_choices(narrowed) == ["Street lights"]  # the chosen one stays shown, selected
    assert "Lights switched on" in narrowed.text and "Station opening" not in narrowed.text
    searched = donor_client.get(LOGS, {"q": "Street lights"}).text
    assert "Lights switched on" in searched and "Station opening" not in searched


@pytest.mark.parametrize("query", [{}, {"year": "2018"}, {"initiative__id__exact": "A"}])
def test_log_list_costs_the_same_queries_below_and_above_every_cap(donor_client, world, monkeypatch, query):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    monkeypatch.setattr("prevention.admin.lists.VisibleInitiativeListFilter.limit", 3)
    params = {key: world.a.initiative.pk if value == "A" else value for key, value in query.items()}
    verified_log(initiative=world.a.initiative, organisation=world.a.ngo)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert donor_client.get(LOGS, params).status_code == 200
        return len(queries)

    small = count()
    for _ in range(5):
        initiative = f.InitiativeFactory(priority=world.a.priority)
        f.FundingLineFactory(initiative=initiative, funder=world.donor_org)
        verified_log(initiative=initiative, organisation=world.a.ngo)
        verified_log(initiative=world.a.initiative, organisation=world.a.ngo)
    assert count() == small


def test_initiative_list_and_page_show_each_initiatives_progress(donor_client, world):
    done, pending = m.Milestone.Status.DONE, m.Milestone.Status.PENDING
    f.MilestoneFactory(initiative=world.a.initiative, weight=3, status=done, completed_on=dt.date(2019, 6, 1))
    f.MilestoneFactory(initiative=world.a.initiative, weight=1, status=pending)
    other = f.InitiativeFactory(priority=world.a.priority, title="Street lights")
    f.FundingLineFactory(initiative=other, funder=world.donor_org)

    listing = donor_client.get(reverse("donor:prevention_initiative_changelist"))
    progress = {row.title: row.progress for row in listing.context_data["cl"].result_list}
    assert progress == {"Initiative A": 75, "Street lights": 0}
    assert "75.0 %" in listing.text
    page = donor_client.get(reverse("donor:prevention_initiative_change", args=[world.a.initiative.pk]))
    assert "75.0 %" in page.text
    missing = reverse("donor:prevention_initiative_change", args=[world.b.initiative.pk])
    assert donor_client.get(missing).status_code == 404


def test_people_reached_are_written_with_a_thousands_separator(donor_client, world):
    verified_log(
        initiative=world.a.initiative,
        organisation=world.a.ngo,
        participants_total=3,
        participants_women=0,
        participants_men=0,
        participants_youth=0,
        audience_reached=15_000,
    )
    assert "15,003" in donor_client.get(LOGS).text
