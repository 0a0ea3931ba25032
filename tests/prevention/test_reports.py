"""Reports: the council's plan progress report and the donor report, printable and as XLSX."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention import reports
from tests import factories as f


def verified_log(**kwargs):
    return f.ActivityLogFactory(review_state="verified", reviewed_at=timezone.now(), **kwargs)


@pytest.fixture
def plan_data(world):
    a = world.a
    f.MilestoneFactory(
        initiative=a.initiative, title="Manual printed", status="done", completed_on="2018-05-01"
    )
    f.MilestoneFactory(initiative=a.initiative, title="Inspectors trained", due_on=dt.date(2019, 6, 30))
    indicator = f.IndicatorFactory(plan=a.plan, name="Registered burglaries")
    f.MeasurementFactory(indicator=indicator, value=Decimal("105"))
    f.SpendingFactory(funding_line=world.funding, amount=Decimal("500000"))
    f.FundingLineFactory(initiative=a.initiative, amount=Decimal("12000"), currency="USD")
    verified_log(
        initiative=a.initiative, organisation=a.ngo, title="Weekly radio show", audience_reached=15_000
    )
    verified_log(
        initiative=a.initiative,
        organisation=a.ngo,
        title="Small meeting",
        participants_total=8,
        participants_women=4,
        participants_men=4,
        participants_youth=0,
    )
    f.ActivityLogFactory(
        initiative=a.initiative, organisation=a.ngo, title="Unchecked claim", audience_reached=90_000
    )
    verified_log(initiative=world.b.initiative, organisation=world.b.ngo, title="Event in B")
    return indicator


def plan_report_url(plan) -> str:
    return reverse("prevention:plan-report", args=[plan.pk])


def test_plan_report_shows_priorities_initiatives_milestones_indicators_money_and_highlights(
    client, world, plan_data
):
    client.force_login(world.a.official)
    response = client.get(plan_report_url(world.a.plan))
    assert response.status_code == 200
    text = response.text
    for expected in [
        "1. Burglary",
        "Initiative A",
        "Manual printed",
        "Inspectors trained",
        "Registered burglaries",
        "2,000,000.00",
        "12,000.00",
        "Weekly radio show",
    ]:
        assert expected in text, expected
    assert 'href="/static/css/print.css" media="print"' in text
    assert [row.currency for row in response.context["report"].money] == ["KGS", "USD"]


def test_plan_report_highlights_only_verified_activities_by_people_reached(client, world, plan_data):
    client.force_login(world.a.official)
    report = client.get(plan_report_url(world.a.plan)).context["report"]
    assert [log.title for log in report.highlights][:2] == ["Weekly radio show", "Small meeting"]
    assert "Unchecked claim" not in client.get(plan_report_url(world.a.plan)).text
    assert report.reach.activities == 2


def test_plan_report_of_another_district_is_not_found(client, world, plan_data):
    client.force_login(world.b.official)
    assert client.get(plan_report_url(world.a.plan)).status_code == 404
    client.force_login(world.donor)
    assert client.get(plan_report_url(world.a.plan)).status_code == 404


def test_plan_report_as_xlsx(client, world, plan_data):
    client.force_login(world.a.official)
    response = client.get(reverse("prevention:plan-report-xlsx", args=[world.a.plan.pk]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "Summary",
        "Initiatives",
        "Milestones",
        "Indicators",
        "Money",
        "Highlights",
    ]
    titles = [row[2] for row in workbook["Initiatives"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Initiative A"]
    money = list(workbook["Money"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[2]) for row in money] == [("KGS", 2_000_000), ("USD", 12_000)]


def test_donor_report_shows_what_inl_funds_in_the_period(client, world, plan_data):
    verified_log(
        initiative=world.a.initiative,
        organisation=world.a.ngo,
        title="Old event",
        occurred_on=dt.date(2016, 5, 1),
    )
    client.force_login(world.donor)
    response = client.get(reverse("prevention:donor-report"), {"date_from": "2017-01-01"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.funder == world.donor_org
    assert [i.title for i in report.initiatives] == ["Initiative A"]
    assert [(m.currency, m.committed, m.spent) for m in report.money] == [("KGS", 2_000_000, 500_000)]
    titles = {log.title for log in report.activities}
    assert titles == {"Weekly radio show", "Small meeting"}
    assert "Event in B" not in response.text and "USD" not in response.text


def test_donor_report_of_a_past_period_shows_indicators_as_measured_by_its_end(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, initiative=world.a.initiative, name="Burglaries")
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2017, 10, 1), value=Decimal("115"))
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2017, 12, 1), value=Decimal("90"))
    client.force_login(world.donor)
    address = reverse("prevention:donor-report")
    period = {"funder": world.donor_org.pk, "date_from": "2017-11-01", "date_to": "2017-11-30"}
    (listed,) = client.get(address, period).context["report"].indicators
    assert (listed.latest_value, listed.latest_measured_on) == (Decimal("115"), dt.date(2017, 10, 1))
    (listed,) = client.get(address, {"funder": world.donor_org.pk}).context["report"].indicators
    assert (listed.latest_value, listed.latest_measured_on) == (Decimal("90"), dt.date(2017, 12, 1))


def test_donor_report_refuses_a_funder_the_user_cannot_see(client, world, plan_data):
    client.force_login(world.b.official)
    response = client.get(reverse("prevention:donor-report"), {"funder": world.donor_org.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert response.context["report"] is None


def test_donor_report_refuses_a_period_that_ends_before_it_starts(client, world):
    client.force_login(world.donor)
    response = client.get(
        reverse("prevention:donor-report"), {"date_from": "2019-01-01", "date_to": "2018-01-01"}
    )
    assert response.status_code == 400
    assert "cannot be before its start" in response.text


def test_donor_report_names_its_period_in_words(client, world):
    client.force_login(world.donor)
    response = client.get(
        reverse("prevention:donor-report"),
        {"funder": world.donor_org.pk, "date_from": "2017-12-01", "date_to": "2017-12-31"},
    )
    assert "1 Dec 2017 to 31 Dec 2017" in response.text


def test_donor_report_as_xlsx(client, world, plan_data):
    client.force_login(world.donor)
    response = client.get(reverse("prevention:donor-report-xlsx"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "Activities" in workbook.sheetnames
    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Funder"] == "INL"


def test_indicator_state_follows_time_between_baseline_and_target(world):
    indicator = f.IndicatorFactory(
        plan=world.a.plan, baseline_on=dt.date(2018, 1, 1), target_on=dt.date(2020, 1, 1)
    )
    indicator.latest_value, indicator.latest_measured_on = Decimal("110"), dt.date(2019, 1, 1)  # a third
    assert reports.indicator_state(indicator, dt.date(2018, 6, 1)) == reports.ON_TRACK
    assert reports.indicator_state(indicator, dt.date(2019, 12, 1)) == reports.OFF_TRACK
    indicator.latest_value = Decimal("85")
    assert reports.indicator_state(indicator, dt.date(2019, 12, 1)) == reports.ON_TRACK
    indicator.latest_value = None
    assert reports.indicator_state(indicator, dt.date(2019, 12, 1)) == reports.NOT_MEASURED


def _grow(world, count: int) -> None:
    for number in range(count):
        priority = f.PlanPriorityFactory(plan=world.a.plan)
        initiative = f.InitiativeFactory(priority=priority, lead_organisation=world.a.police_unit)
        f.MilestoneFactory(initiative=initiative)
        line = f.FundingLineFactory(initiative=initiative, funder=world.donor_org)
        f.SpendingFactory(funding_line=line)
        verified_log(initiative=initiative, organisation=world.a.ngo, title=f"Grown {number}")
        f.MeasurementFactory(indicator=f.IndicatorFactory(plan=world.a.plan, initiative=initiative))


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("official", "plan-report"),
        ("official", "plan-report-xlsx"),
        ("donor", "donor-report"),
        ("donor", "donor-report-xlsx"),
    ],
)
def test_reports_cost_the_same_queries_for_3_and_30_initiatives(client, world, persona, url_name):
    user = world.a.official if persona == "official" else world.donor
    client.force_login(user)
    address = reverse(f"prevention:{url_name}", args=[world.a.plan.pk] if url_name.startswith("plan") else [])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        return len(queries)

    _grow(world, 3)
    small = count()
    _grow(world, 27)
    assert count() == small
