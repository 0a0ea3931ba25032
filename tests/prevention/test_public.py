"""The public pages: published plans, one plan's progress and figures, and each country's safety advice.

Read without signing in; what is not published, not verified or personal never reaches them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention import models as m
from tests import factories as f

PLANS_URL = reverse("prevention:public-plans")


def plan_url(plan: m.ActionPlan) -> str:
    return reverse("prevention:public-plan", args=[plan.pk])


def safety_url(iso_code: str) -> str:
    return reverse("prevention:public-safety", args=[iso_code])


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def verified_log(initiative: m.Initiative, **values) -> m.ActivityLog:
    return f.ActivityLogFactory(
        initiative=initiative, review_state="verified", reviewed_at=timezone.now(), **values
    )


# The list of plans ------------------------------------------------------------------------------------


def test_anonymous_reads_published_plans_by_country_and_district_with_progress(client, world):
    f.MilestoneFactory(
        initiative=world.a.initiative, weight=3, status="done", completed_on=dt.date(2019, 1, 1)
    )
    f.MilestoneFactory(initiative=world.a.initiative, weight=1)
    response = client.get(PLANS_URL)
    assert response.status_code == 200
    text = response.text
    assert "Kyrgyzstan" in text
    assert "District A" in text and "District B" in text
    assert "Plan A" in text and "Plan B" in text
    assert "75.0 %" in text  # A's one initiative: 3 of 4 weight done
    assert "2018–2020" in text
    assert "In implementation" in text
    assert plan_url(world.a.plan) in text
    assert safety_url("KG") in text


def test_unpublished_plan_is_absent_from_the_list(client, world):
    world.b.plan.is_published = False
    world.b.plan.save()
    text = client.get(PLANS_URL).text
    assert "Plan A" in text
    assert "Plan B" not in text
    assert "District B" not in text


def test_plans_of_two_countries_each_link_their_safety_page(client, world):
    bolivia = f.CountryFactory(iso_code="BO", name="Bolivia", currency="BOB")
    la_paz = f.DistrictFactory(name="La Paz", region=f.RegionFactory(country=bolivia, name="La Paz"))
    f.ActionPlanFactory(district=la_paz, title="Plan de prevención de La Paz")
    text = client.get(PLANS_URL).text
    assert text.index("Bolivia") < text.index("Kyrgyzstan")
    assert "Plan de prevención de La Paz" in text
    assert safety_url("BO") in text and safety_url("KG") in text


def test_cancelled_initiatives_are_left_out_of_a_plans_progress(client, world):
    f.InitiativeFactory(priority=world.a.priority, status="completed")
    f.InitiativeFactory(priority=world.a.priority, status="cancelled")
    # A's own initiative has nothing yet (0 %), the completed one 100 %: 50 %, not 33.3 %.
    text = client.get(PLANS_URL).text
    assert "50.0 %" in text
    assert "average of 2 initiatives" in text


def test_the_list_costs_the_same_queries_with_more_plans(client, world):
    small = queries_for(client, PLANS_URL)
    for _n in range(6):
        district = f.DistrictFactory()
        plan = f.ActionPlanFactory(district=district)
        initiative = f.InitiativeFactory(priority=f.PlanPriorityFactory(plan=plan))
        f.MilestoneFactory(initiative=initiative)
        f.ProgressUpdateFactory(initiative=initiative)
    f.SafetyContactFactory(country=f.CountryFactory(iso_code="BO", name="Bolivia", currency="BOB"))
    assert queries_for(client, PLANS_URL) == small


# One plan ---------------------------------------------------------------------------------------------


def test_anonymous_reads_a_plans_priorities_initiatives_and_lead_organisations(client, world):
    world.a.plan.summary = "Four priorities agreed with the residents."
    world.a.plan.approval_body = "District council"
    world.a.plan.decision_number = "17/4"
    world.a.plan.save()
    f.ProgressUpdateFactory(initiative=world.a.initiative, percent_complete=40)
    response = client.get(plan_url(world.a.plan))
    assert response.status_code == 200
    text = response.text
    assert "Four priorities agreed with the residents." in text
    assert "District council" in text and "17/4" in text
    assert "1. Burglary" in text
    assert "Initiative A" in text
    assert "Police A" in text  # the lead organisation
    assert "In progress" in text
    assert "40.0 %" in text


def test_unpublished_plan_is_not_found(client, world):
    world.a.plan.is_published = False
    world.a.plan.save()
    assert client.get(plan_url(world.a.plan)).status_code == 404


def test_a_plan_that_does_not_exist_is_not_found(client, db):
    assert client.get(reverse("prevention:public-plan", args=[987654])).status_code == 404


def test_plan_page_shows_indicators_against_their_targets(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, name="Burglaries reported")
    f.MeasurementFactory(indicator=indicator, value=Decimal("105"))
    f.IndicatorFactory(plan=world.a.plan, name="Residents who feel safe")
    text = client.get(plan_url(world.a.plan)).text
    assert "Burglaries reported" in text
    assert "50.0 %" in text  # 120 → 90, now 105
    assert "Residents who feel safe" in text
    assert "not measured yet" in text
    assert reverse("prevention:indicator-detail", args=[indicator.pk]) not in text


def test_plan_page_counts_verified_activities_only(client, world):
    a = world.a
    verified_log(
        a.initiative,
        organisation=a.ngo,
        participants_total=30,
        participants_women=12,
        participants_men=18,
        participants_youth=20,
        audience_reached=15000,
        kind="media",
    )
    f.ActivityLogFactory(
        initiative=a.initiative,
        organisation=a.ngo,
        participants_total=400,
        participants_women=0,
        participants_men=0,
        participants_youth=0,
        title="Submitted and unchecked",
    )
    f.ActivityLogFactory(
        initiative=a.initiative,
        organisation=a.ngo,
        participants_total=700,
        participants_women=0,
        participants_men=0,
        participants_youth=0,
        review_state="returned",
        review_note="Add the list.",
        reviewed_at=timezone.now(),
    )
    response = client.get(plan_url(a.plan))
    reach = response.context["reach"]
    assert (reach.activities, reach.participants, reach.audience) == (1, 30, 15000)
    assert "15,000" in response.text


def test_plan_page_shows_crime_figures_by_year_with_the_rate_per_100000(client, world):
    f.CrimeStatisticFactory(district=world.a.district, year=2016, count=4023)
    f.CrimeStatisticFactory(district=world.a.district, year=2017, count=3968)
    text = client.get(plan_url(world.a.plan)).text
    assert "4,023" in text and "3,968" in text
    assert "1,341.0" in text  # 4,023 in 300,000 inhabitants
    assert "Total registered crimes" in text


def test_a_count_below_5_shows_fewer_than_5_and_no_rate(client, world):
    f.CrimeStatisticFactory(district=world.a.district, year=2019, category="road_deaths", count=3)
    response = client.get(plan_url(world.a.plan))
    text = response.text
    assert "fewer than 5" in text
    row = next(r for r in response.context["statistic_rows"] if r.category == "road_deaths")
    assert row.cells[0].count == "fewer than 5"
    assert row.cells[0].rate is None


def test_a_count_of_exactly_5_is_shown_with_its_rate(client, world):
    f.CrimeStatisticFactory(district=world.a.district, year=2019, category="road_deaths", count=5)
    response = client.get(plan_url(world.a.plan))
    cell = response.context["statistic_rows"][0].cells[0]
    assert (cell.count, cell.rate) == ("5", Decimal("1.7"))


def test_without_a_population_there_is_no_rate(client, world):
    world.a.district.population = None
    world.a.district.population_year = None
    world.a.district.save()
    f.CrimeStatisticFactory(district=world.a.district, count=4023)
    text = client.get(plan_url(world.a.plan)).text
    assert "4,023" in text
    assert "1,341.0" not in text
    assert "population is not recorded" in text


def test_plan_page_explains_how_progress_is_worked_out(client, world):
    text = client.get(plan_url(world.a.plan)).text
    assert "How progress is worked out" in text
    assert "plain average of its initiatives" in text
    assert "burglaries 120, target 90, now 105 is 50 %" in text
    assert "fewer than 5" in text


def test_plan_page_shows_no_person_and_no_evidence(client, world):
    a = world.a
    a.partner.first_name, a.partner.last_name = "Aigul", "Sadykova"
    a.partner.save()
    log = verified_log(a.initiative, organisation=a.ngo, author=a.partner, reviewed_by=a.official)
    attachment = f.AttachmentFactory(activity_log=log, original_name="attendance-sheet.pdf")
    f.CrimeStatisticFactory(district=a.district, entered_by=a.police)
    text = client.get(plan_url(a.plan)).text
    for private in ("Aigul", "Sadykova", "partner_a", "official_a", "police_a", "attendance-sheet.pdf"):
        assert private not in text
    assert reverse("prevention:attachment-download", args=[attachment.pk]) not in text
    assert "/media/" not in text and "evidence/" not in text


def test_plan_page_costs_the_same_queries_with_more_data(client, world):
    a = world.a
    small = queries_for(client, plan_url(a.plan))
    for n in range(6):
        priority = f.PlanPriorityFactory(plan=a.plan, issue=f.PriorityIssueFactory())
        initiative = f.InitiativeFactory(priority=priority, lead_organisation=f.OrganisationFactory())
        f.MilestoneFactory(initiative=initiative)
        f.ProgressUpdateFactory(initiative=initiative)
        indicator = f.IndicatorFactory(plan=a.plan, priority=priority)
        f.MeasurementFactory(indicator=indicator)
        verified_log(initiative, organisation=a.ngo, kind=["training", "media", "patrol"][n % 3])
        f.CrimeStatisticFactory(district=a.district, year=2010 + n)
        f.CrimeStatisticFactory(district=a.district, year=2010 + n, category="road_deaths", count=n)
    assert queries_for(client, plan_url(a.plan)) == small


# A country's safety page ------------------------------------------------------------------------------


@pytest.fixture
def kyrgyzstan(world) -> dict:
    """Safety contacts and hotspots of Kyrgyzstan, in district A's region and a second region."""
    a = world.a
    country = a.district.region.country
    f.SafetyContactFactory(
        country=country,
        name="Police and emergencies",
        phone="112",
        services="Report crimes to the local police.",
        hours="24 hours",
        order=1,
    )
    f.SafetyContactFactory(
        country=country,
        kind="victim_support",
        name="Crisis centre Sezim",
        phone="+996 (312) 54-92-26",
        services="Shelter and counselling for victims of violence.",
        order=2,
    )
    pickpocketing = f.RiskFactory(name="Pickpocketing", description="Common in crowded places.")
    market = f.HotspotFactory(
        district=a.district,
        name="Central market",
        advice="Watch your belongings in the crowd.",
        latitude=Decimal("42.8746"),
        longitude=Decimal("74.5697"),
    )
    market.risks.add(pickpocketing)
    market.initiatives.add(a.initiative)
    batken = f.RegionFactory(country=country, name="Batken")
    border = f.HotspotFactory(
        region=batken, district=None, name="Border areas", kind="border", advice="Limit travel there."
    )
    border.risks.add(f.RiskFactory(name="Border tensions"))
    f.HotspotFactory(district=a.district, name="Quiet courtyard under review", is_published=False)
    return {"country": country, "market": market, "border": border}


def test_anonymous_reads_the_countrys_numbers_with_tel_links(client, kyrgyzstan):
    response = client.get(safety_url("KG"))
    assert response.status_code == 200
    text = response.text
    assert "Police and emergencies" in text
    assert 'href="tel:112"' in text
    assert "Report crimes to the local police." in text
    assert "24 hours" in text
    assert "Crisis centre Sezim" in text and "Victim support" in text
    assert 'href="tel:+996312549226"' in text
    assert "Shelter and counselling for victims of violence." in text


def test_safety_page_shows_published_hotspots_region_wide_and_of_districts(client, kyrgyzstan):
    text = client.get(safety_url("KG")).text
    assert "Central market" in text
    assert "Watch your belongings in the crowd." in text
    assert "Pickpocketing" in text and "Common in crowded places." in text
    assert "Border areas" in text and "across Batken" in text
    assert "Limit travel there." in text
    assert "openstreetmap.org/?mlat=42.874600&amp;mlon=74.569700" in text


def test_an_unpublished_hotspot_is_absent(client, kyrgyzstan):
    assert "Quiet courtyard under review" not in client.get(safety_url("KG")).text


def test_a_hotspot_links_only_initiatives_of_published_plans(client, world, kyrgyzstan):
    hidden = f.InitiativeFactory(
        priority=f.PlanPriorityFactory(
            plan=f.ActionPlanFactory(district=world.a.district, is_published=False)
        ),
        title="Draft idea for the market",
    )
    kyrgyzstan["market"].initiatives.add(hidden)
    text = client.get(safety_url("KG")).text
    assert f"{plan_url(world.a.plan)}#initiative-{world.a.initiative.pk}" in text
    assert "Draft idea for the market" not in text


def test_safety_page_lists_the_countrys_published_plans_only(client, world, kyrgyzstan):
    world.b.plan.is_published = False
    world.b.plan.save()
    bolivia = f.CountryFactory(iso_code="BO", name="Bolivia", currency="BOB")
    f.ActionPlanFactory(
        district=f.DistrictFactory(region=f.RegionFactory(country=bolivia)), title="Plan de Cochabamba"
    )
    text = client.get(safety_url("KG")).text
    assert "Plan A" in text
    assert "Plan B" not in text
    assert "Plan de Cochabamba" not in text
    assert safety_url("BO") in text  # the other country's page


def test_bolivia_works_like_kyrgyzstan(client, world):
    bolivia = f.CountryFactory(iso_code="BO", name="Bolivia", currency="BOB")
    cochabamba = f.DistrictFactory(
        name="Cochabamba",
        region=f.RegionFactory(country=bolivia, name="Cochabamba"),
        population=None,
        population_year=None,
    )
    f.SafetyContactFactory(country=bolivia, kind="police", name="Police", phone="110")
    f.SafetyContactFactory(
        country=bolivia,
        district=cochabamba,
        kind="tourist_police",
        name="Tourist police",
        phone="+591 (4) 450-3880",
        city="Cochabamba",
        services="Free assistance in English to tourists.",
    )
    f.HotspotFactory(district=cochabamba, name="Coronilla Hill", kind="hill", advice="Avoid Coronilla Hill.")
    text = client.get(safety_url("BO")).text
    assert "Bolivia" in text
    assert 'href="tel:110"' in text
    assert 'href="tel:+59144503880"' in text and "Free assistance in English to tourists." in text
    assert "Coronilla Hill" in text and "Avoid Coronilla Hill." in text
    assert "No district in Bolivia has published a plan yet." in text
    assert "Kyrgyzstan" not in text.split("Other countries")[0]


def test_an_unknown_country_is_not_found(client, db):
    assert client.get(safety_url("XX")).status_code == 404


def test_a_lower_case_code_leads_to_the_country_page(client, kyrgyzstan):
    response = client.get(safety_url("kg"))
    assert response.status_code == 301
    assert response["Location"] == safety_url("KG")


def test_safety_page_costs_the_same_queries_with_more_data(client, world, kyrgyzstan):
    small = queries_for(client, safety_url("KG"))
    country = kyrgyzstan["country"]
    for n in range(6):
        f.SafetyContactFactory(country=country, kind="hotline", name=f"Hotline {n}", phone=f"15{n}")
        hotspot = f.HotspotFactory(district=world.a.district)
        hotspot.risks.add(f.RiskFactory())
        hotspot.initiatives.add(f.InitiativeFactory(priority=world.a.priority))
        region_wide = f.HotspotFactory(region=f.RegionFactory(country=country), district=None)
        region_wide.risks.add(f.RiskFactory())
        plan = f.ActionPlanFactory(district=f.DistrictFactory(region=world.a.district.region))
        f.MilestoneFactory(initiative=f.InitiativeFactory(priority=f.PlanPriorityFactory(plan=plan)))
    assert queries_for(client, safety_url("KG")) == small


# Only GET and HEAD, and for everyone ------------------------------------------------------------------


def test_public_pages_answer_only_get_and_head(client, world, kyrgyzstan):
    for url in (PLANS_URL, plan_url(world.a.plan), safety_url("KG")):
        assert client.head(url).status_code == 200
        assert client.post(url).status_code == 405


def test_signed_in_users_read_the_same_public_pages(client, world, kyrgyzstan):
    client.force_login(world.b.partner)
    text = client.get(plan_url(world.a.plan)).text
    assert "Initiative A" in text
    assert client.get(safety_url("KG")).status_code == 200


# The home page ----------------------------------------------------------------------------------------


def test_anonymous_home_leads_to_the_plans_and_each_countrys_safety_page(client, kyrgyzstan):
    text = client.get("/").text
    assert f'href="{PLANS_URL}"' in text
    assert f'href="{safety_url("KG")}"' in text
    assert "Sign in" in text


def test_a_country_with_nothing_public_is_not_offered(client, world):
    bolivia = f.CountryFactory(iso_code="BO", name="Bolivia", currency="BOB")
    f.HotspotFactory(district=f.DistrictFactory(region=f.RegionFactory(country=bolivia)), is_published=False)
    text = client.get("/").text
    assert safety_url("KG") in text  # world's published plans
    assert safety_url("BO") not in text


def test_signed_in_home_still_goes_to_the_dashboard(client, world):
    client.force_login(world.a.official)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("prevention:dashboard")


# With the demo ----------------------------------------------------------------------------------------


def test_the_demo_shows_sverdlovsk_and_both_countries_safety_pages(client, db):
    call_command("load_demo", stdout=StringIO())
    text = client.get(PLANS_URL).text
    assert "Sverdlovsk District Crime Prevention Action Plan" in text
    plan = m.ActionPlan.objects.get(title="Sverdlovsk District Crime Prevention Action Plan")
    plan_text = client.get(plan_url(plan)).text
    assert "1,341.0" in plan_text
    assert "Juvenile delinquency" in plan_text
    kg = client.get(safety_url("KG")).text
    assert 'href="tel:112"' in kg and "Osh Bazaar" in kg and "Batken" in kg
    bo = client.get(safety_url("BO")).text
    assert 'href="tel:110"' in bo and "Coronilla Hill" in bo and "Tourism Police" in bo


def test_the_navigation_links_the_published_plans_once(client, world):
    for user in (None, world.a.official):
        if user:
            client.force_login(user)
        response = client.get("/public/")
        assert response.text.count('class="nav-link" href="/public/"') == 1
