"""The district page: population, crime statistics and their trend, plans, hotspots, safety contacts."""

from __future__ import annotations

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prevention.models import Region, SafetyContact
from tests import factories as f


def district_url(district) -> str:
    return reverse("prevention:district-detail", args=[district.pk])


def chart_data(response) -> dict:
    match = re.search(r'<script id="district-chart" type="application/json">(.*?)</script>', response.text)
    return json.loads(match.group(1))


def test_page_shows_population_with_its_year(client, world):
    client.force_login(world.a.official)
    text = client.get(district_url(world.a.district)).text
    assert "300,000" in text
    assert "as counted in 2016" in text


def test_statistics_table_and_chart_give_the_rate_per_100000(client, world):
    district = world.a.district
    f.CrimeStatisticFactory(district=district, year=2016, category="total", count=4023)
    f.CrimeStatisticFactory(district=district, year=2017, category="total", count=3900)
    f.CrimeStatisticFactory(district=district, year=2017, category="burglary", count=300)
    f.CrimeStatisticFactory(district=district, year=2017, category="fraud", count=12)
    client.force_login(world.a.police)
    response = client.get(district_url(district))
    text = response.text
    assert "1,341.0" in text  # 4023 per 300,000 inhabitants: the 2016 figure of the assessment
    assert "4,023" in text
    assert "Fraud" in text  # every category in the table
    chart = chart_data(response)
    assert chart["labels"] == [2016, 2017]
    by_label = {dataset["label"]: dataset for dataset in chart["datasets"]}
    assert by_label["Total registered crimes"]["data"] == [1341.0, 1300.0]
    assert by_label["Total registered crimes"]["counts"] == [4023, 3900]
    assert by_label["Burglary"]["data"] == [None, 100.0]
    assert "Fraud" not in by_label  # the chart keeps to the main categories


def test_without_a_population_the_chart_shows_counts(client, world):
    district = f.DistrictFactory(population=None, population_year=None)
    world.a.official.memberships.get().districts.add(district)
    f.CrimeStatisticFactory(district=district, year=2017, count=120)
    client.force_login(world.a.official)
    response = client.get(district_url(district))
    assert "Not recorded" in response.text
    assert chart_data(response)["datasets"][0]["data"] == [120]


def test_page_lists_plans_with_progress_hotspots_and_contacts(client, world):
    district = world.a.district
    f.MilestoneFactory(initiative=world.a.initiative, status="done", completed_on="2019-01-01")
    f.HotspotFactory(district=district, name="Osh Bazaar", advice="Keep your bag in front of you.")
    f.HotspotFactory(district=district, name="Draft spot", is_published=False)
    region_wide = f.HotspotFactory(district=None, region=district.region, name="Border areas")
    f.HotspotFactory(district=world.b.district, name="Elsewhere")
    country = district.region.country
    SafetyContact.objects.create(country=country, kind="emergency", name="Emergency", phone="112")
    SafetyContact.objects.create(
        country=country, district=world.b.district, kind="police", name="B police", phone="1"
    )
    client.force_login(world.a.official)
    text = client.get(district_url(district)).text
    assert "Plan A" in text and "100.0 %" in text
    assert "Osh Bazaar" in text and "Keep your bag in front of you." in text
    assert "Draft spot" in text and "not published" in text
    assert region_wide.name in text and "region-wide" in text
    assert "Elsewhere" not in text
    assert "112" in text and "B police" not in text


def test_district_page_costs_the_same_queries_for_5_and_200_rows(client, world):
    district = world.a.district

    def grow(start: int, count: int) -> None:
        plan = f.ActionPlanFactory(district=district)
        priority = f.PlanPriorityFactory(plan=plan)
        for n in range(start, start + count):
            f.CrimeStatisticFactory(district=district, year=1900 + n, category="total")
            f.InitiativeFactory(priority=priority, lead_organisation=world.a.ngo)
            f.HotspotFactory(district=district).risks.create(name=f"Risk {n}")
            SafetyContact.objects.create(
                country=district.region.country, kind="police", name=f"P{n}", phone="102"
            )

    client.force_login(world.a.official)
    grow(0, 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(district_url(district)).status_code == 200
    grow(5, 195)
    with CaptureQueriesContext(connection) as large:
        assert client.get(district_url(district)).status_code == 200
    assert len(small) == len(large)


def test_only_people_of_the_district_find_it(client, world):
    for user, status in [
        (world.a.partner, 200),
        (world.admin, 200),
        (world.b.official, 404),
        (world.donor, 404),
    ]:
        client.force_login(user)
        assert client.get(district_url(world.a.district)).status_code == status


def test_only_officials_are_offered_a_new_plan(client, world):
    url = reverse("prevention:plan-create", args=[world.a.district.pk])
    client.force_login(world.a.police)
    assert url not in client.get(district_url(world.a.district)).text
    client.force_login(world.a.official)
    assert url in client.get(district_url(world.a.district)).text


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(district_url(world.a.district))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert Region.objects.exists()


def test_a_year_without_figures_is_a_gap_in_the_chart_and_the_table(client, world):
    district = world.a.district
    f.CrimeStatisticFactory(district=district, year=2020, category="total", count=3000)
    f.CrimeStatisticFactory(district=district, year=2022, category="total", count=3300)
    client.force_login(world.a.police)
    chart = chart_data(client.get(district_url(district)))
    assert chart["labels"] == [2020, 2021, 2022]
    assert chart["datasets"][0]["data"][1] is None
    dashboard = client.get(reverse("prevention:dashboard") + "?role=police").text
    marker = '<script id="crime-trend-data" type="application/json">'
    start = dashboard.index(marker) + len(marker)
    trend = json.loads(dashboard[start : dashboard.index("</script>", start)])
    assert trend["labels"] == [2020, 2021, 2022]
    assert trend["datasets"][0]["data"][1] is None
