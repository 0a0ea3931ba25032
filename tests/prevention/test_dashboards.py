"""The role dashboards through HTTP: what each role sees, in-place actions, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation
from prevention.models import ActivityLog, CrimeStatistic, Initiative, Milestone, Risk
from tests import factories as f

DASHBOARD = "/dashboard/"
TODAY = timezone.localdate()


def reviewed(**kwargs) -> dict:
    return {"reviewed_at": timezone.now(), **kwargs}


def grow(district_world, count: int, start: int = 0) -> None:
    """Give district's plan ``count`` more initiatives with everything a dashboard shows hanging off each."""
    d = district_world
    risk, _ = Risk.objects.get_or_create(name="Pickpocketing")
    categories = CrimeStatistic.Category.values
    for i in range(start, start + count):
        police_led = i % 2 == 0
        initiative = f.InitiativeFactory(
            priority=d.priority,
            lead_organisation=d.police_unit if police_led else d.ngo,
            starts_on=TODAY - dt.timedelta(days=100 + i),
            ends_on=TODAY + dt.timedelta(days=200),
        )
        f.InitiativePartnerFactory(
            initiative=initiative, organisation=d.ngo if police_led else d.police_unit, role="implementing"
        )
        f.MilestoneFactory(initiative=initiative, due_on=TODAY - dt.timedelta(days=5))
        f.MilestoneFactory(initiative=initiative, due_on=TODAY + dt.timedelta(days=10))
        f.ProgressUpdateFactory(initiative=initiative, author=d.official)
        f.ActivityLogFactory(initiative=initiative, organisation=d.ngo, author=d.partner)
        f.ActivityLogFactory(
            initiative=initiative,
            organisation=d.ngo,
            audience_reached=100,
            **reviewed(review_state="verified"),
        )
        f.ActivityLogFactory(
            initiative=initiative,
            organisation=d.police_unit,
            kind="patrol",
            **reviewed(review_state="returned", review_note="Add the route."),
        )
        line = f.FundingLineFactory(initiative=initiative, currency="USD" if i % 3 else "KGS")
        f.SpendingFactory(funding_line=line, amount=Decimal("100.00"))
        indicator = f.IndicatorFactory(plan=d.plan, initiative=initiative)
        f.MeasurementFactory(indicator=indicator)
        hotspot = f.HotspotFactory(district=d.district)
        hotspot.risks.add(risk)
        hotspot.initiatives.add(initiative)
        f.CrimeStatisticFactory(
            district=d.district, year=2000 + i // len(categories), category=categories[i % len(categories)]
        )


def queries_for(client, user, url: str = DASHBOARD) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.slow
def test_each_dashboard_costs_the_same_queries_at_5_and_200_initiatives(client, world):
    a = world.a
    grow(a, 5)
    small = {role: queries_for(client, getattr(a, role)) for role in ("official", "police", "partner")}
    grow(a, 195, start=5)
    large = {role: queries_for(client, getattr(a, role)) for role in ("official", "police", "partner")}
    assert large == small
    assert max(small.values()) < 40


def test_administrator_overview_costs_the_same_queries_at_two_sizes(client, world):
    grow(world.a, 5)
    small = queries_for(client, world.admin)
    grow(world.b, 20)
    assert queries_for(client, world.admin) == small


# Landing and roles ----------------------------------------------------------------------------------------


def test_the_dashboard_needs_sign_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_user_with_two_memberships_switches_role_and_the_choice_is_remembered(client, world):
    user = world.a.official
    f.MembershipFactory(
        user=user, organisation=world.b.ngo, role=Membership.Role.PARTNER, districts=[world.b.district]
    )
    client.force_login(user)

    first = client.get(DASHBOARD)
    assert first.context["role"] == "official"
    assert "Plan A" in first.text
    assert "?role=partner" in first.text  # the switcher

    switched = client.get(DASHBOARD + "?role=partner")
    assert switched.context["role"] == "partner"
    assert "Initiative B" in switched.text  # the partner membership is in district B
    assert "Initiative A" not in switched.text

    assert client.get(DASHBOARD).context["role"] == "partner"
    # A role the user does not have is ignored.
    assert client.get(DASHBOARD + "?role=police").context["role"] == "partner"
    assert client.get(DASHBOARD + "?role=official").context["role"] == "official"


def test_a_single_role_user_sees_no_switcher(client, world):
    client.force_login(world.a.partner)
    assert "?role=" not in client.get(DASHBOARD).text


def test_a_donor_is_sent_to_the_donor_site(client, world):
    client.force_login(world.donor)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == "/donor/"


def test_an_administrator_without_membership_sees_every_district(client, world):
    client.force_login(world.admin)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Plan A" in response.text
    assert "Plan B" in response.text
    assert reverse("admin:index") in response.text


def test_a_user_without_membership_is_told_what_to_ask_for(client, world):
    user = f.UserFactory(username="newcomer")
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "not a member of any organisation" in response.text


# Official ------------------------------------------------------------------------------------------------


def test_official_verifies_a_log_and_marks_a_milestone_done_from_the_dashboard_and_the_plan_moves(
    client, world
):
    a = world.a
    milestone = f.MilestoneFactory(
        initiative=a.initiative, title="Station built", due_on=TODAY - dt.timedelta(days=3)
    )
    f.MilestoneFactory(initiative=a.initiative, title="Staff trained", due_on=TODAY + dt.timedelta(days=9))
    log = f.ActivityLogFactory(
        initiative=a.initiative, organisation=a.ngo, author=a.partner, title="Leaflets"
    )
    client.force_login(a.official)

    before = client.get(DASHBOARD)
    assert before.context["plans"][0].progress == Decimal("0.0")
    assert reverse("prevention:activity-log-verify", args=[log.pk]) in before.text
    assert reverse("prevention:milestone-complete", args=[milestone.pk]) in before.text
    assert "Station built" in before.text
    assert "Staff trained" in before.text

    verified = client.post(reverse("prevention:activity-log-verify", args=[log.pk]), {"next": DASHBOARD})
    assert verified.status_code == 302
    done = client.post(reverse("prevention:milestone-complete", args=[milestone.pk]), {"next": DASHBOARD})
    assert done["Location"] == DASHBOARD

    after = client.get(DASHBOARD)
    log.refresh_from_db()
    milestone.refresh_from_db()
    assert log.review_state == ActivityLog.ReviewState.VERIFIED
    assert milestone.status == Milestone.Status.DONE
    assert after.context["plans"][0].progress == Decimal("50.0")
    assert 'stat-figure">50.0&nbsp;%' in after.text
    assert after.context["review"].count == 0


def test_the_plans_progress_is_fetched_again_when_a_milestone_is_marked_done_in_place(client, world):
    f.MilestoneFactory(initiative=world.a.initiative, due_on=TODAY - dt.timedelta(days=3))
    client.force_login(world.a.official)
    response = client.get(DASHBOARD)
    # htmx swaps the milestone row, then the plan health and the review count follow (no inline script).
    assert 'hx-trigger="htmx:afterSettle from:#dashboard-milestones"' in response.text
    assert 'hx-trigger="htmx:afterSettle from:#review-queue"' in response.text
    assert 'id="plan-health"' in client.get(DASHBOARD, headers={"HX-Request": "true"}).text


def test_official_sees_why_an_initiative_is_off_track_and_how_progress_is_worked_out(client, world):
    client.force_login(world.a.official)
    response = client.get(DASHBOARD)
    assert "Initiative A" in response.text
    assert "Burglary · Police A" in response.text  # its priority's issue and its lead organisation
    assert "Its end date 31 Dec 2020 has passed." in response.text  # the factory's initiative ended in 2020
    assert "How these figures are worked out" in response.text
    assert "plain average of their initiatives" in response.text


def test_official_sees_every_initiative_counted_and_the_first_ten_of_each_health_listed(client, world):
    a = world.a
    second = f.PlanPriorityFactory(plan=a.plan, rank=2, issue=f.PriorityIssueFactory(name="Youth"))
    for i in range(12):
        f.InitiativeFactory(priority=second, lead_organisation=a.ngo, title=f"Ended work {i:02d}")
    calm = {"starts_on": TODAY, "ends_on": TODAY + dt.timedelta(days=365)}
    late = f.InitiativeFactory(priority=second, lead_organisation=a.ngo, title="Late milestone", **calm)
    f.MilestoneFactory(initiative=late, due_on=TODAY - dt.timedelta(days=3))
    f.InitiativeFactory(priority=second, lead_organisation=a.ngo, title="Calm work", **calm)
    f.InitiativeFactory(priority=second, title="Finished work", status="completed")
    f.InitiativeFactory(priority=second, title="Dropped work", status="cancelled")
    client.force_login(a.official)

    response = client.get(DASHBOARD)

    summary = response.context["plans"][0]
    # Initiative A and the twelve ended ones are off track; the page lists ten and links to the plan.
    assert (summary.off_track.count, summary.at_risk.count, summary.on_track.count) == (13, 1, 1)
    assert (summary.completed_count, summary.cancelled_count) == (1, 1)
    assert [item.initiative.title for item in summary.off_track.listed][:2] == [
        "Initiative A",
        "Ended work 00",
    ]
    assert len(summary.off_track.listed) == 10
    assert "Ended work 09" not in response.text
    assert "13 off track" in response.text
    assert "and 3 more on the plan's page" in response.text
    assert "Late milestone" in response.text
    assert "Calm work" in response.text
    # Every initiative counts per priority; the cancelled one is left out of the average only.
    assert [item.initiative_count for item in summary.priorities] == [1, 16]
    assert summary.priorities[1].progress == Decimal("6.7")  # the completed one at 100 over 15


def test_official_sees_the_oldest_overdue_milestones_first_and_how_many_more_there_are(client, world):
    a = world.a
    for days in range(1, 13):
        f.MilestoneFactory(
            initiative=a.initiative, title=f"Overdue by {days:02d}", due_on=TODAY - dt.timedelta(days=days)
        )
    f.MilestoneFactory(initiative=a.initiative, title="Due tomorrow", due_on=TODAY + dt.timedelta(days=1))
    f.MilestoneFactory(initiative=a.initiative, title="Due next year", due_on=TODAY + dt.timedelta(days=365))
    f.MilestoneFactory(
        initiative=a.initiative,
        title="Done late",
        due_on=TODAY - dt.timedelta(days=1),
        status="done",
        completed_on=TODAY,
    )
    f.MilestoneFactory(initiative=world.b.initiative, title="Elsewhere", due_on=TODAY - dt.timedelta(days=99))
    client.force_login(a.official)

    response = client.get(DASHBOARD)

    milestones = response.context["milestones"]
    assert (milestones.overdue_count, milestones.upcoming_count) == (12, 1)
    assert [m.title for m in milestones.overdue][:2] == ["Overdue by 12", "Overdue by 11"]
    assert len(milestones.overdue) == 10
    assert [m.title for m in milestones.upcoming] == ["Due tomorrow"]
    assert "and 2 more overdue" in response.text
    assert "Overdue by 01" not in response.text
    for hidden in ("Due next year", "Done late", "Elsewhere"):
        assert hidden not in response.text


def test_official_sees_the_latest_logs_and_progress_updates_of_the_district_newest_first(client, world):
    a = world.a
    reporter = f.UserFactory(username="reporter", first_name="Aida", last_name="Bekova")
    for day in range(1, 9):
        f.ActivityLogFactory(
            initiative=a.initiative, organisation=a.ngo, title=f"Log {day}", occurred_on=dt.date(2024, 3, day)
        )
    for day in range(1, 11):
        f.ProgressUpdateFactory(
            initiative=a.initiative, reported_on=dt.date(2024, 1, day), narrative=f"Old update {day}"
        )
    f.ProgressUpdateFactory(
        initiative=a.initiative, author=reporter, reported_on=dt.date(2024, 3, 9), narrative="Second update"
    )
    f.ProgressUpdateFactory(
        initiative=a.initiative, author=reporter, reported_on=dt.date(2024, 3, 10), narrative="Newest update"
    )
    f.ActivityLogFactory(
        initiative=world.b.initiative, organisation=world.b.ngo, title="Log elsewhere", occurred_on=TODAY
    )
    client.force_login(a.official)

    response = client.get(DASHBOARD)

    feed = response.context["activity"]
    assert [item.title for item in feed] == ["Newest update", "Second update"] + [
        f"Log {day}" for day in range(8, 0, -1)
    ]
    assert feed[0].who == "Aida Bekova"
    assert feed[2].who == str(a.ngo)
    assert "Aida Bekova" in response.text
    assert "Old update" not in response.text
    assert "Log elsewhere" not in response.text


def test_official_sees_money_per_source_and_currency_never_added_together(client, world):
    a = world.a
    f.SpendingFactory(funding_line=world.funding, amount=Decimal("500000.00"))
    usd = f.FundingLineFactory(initiative=a.initiative, amount=Decimal("10000.00"), currency="USD")
    f.SpendingFactory(funding_line=usd, amount=Decimal("2500.00"))
    f.FundingLineFactory(initiative=world.b.initiative, amount=Decimal("777.00"), currency="USD")
    client.force_login(a.official)

    rows = {(row.source, row.currency): row for row in client.get(DASHBOARD).context["money"]}

    assert set(rows) == {("donor", "KGS"), ("donor", "USD")}
    assert (rows["donor", "KGS"].committed, rows["donor", "KGS"].spent) == (
        Decimal("2000000.00"),
        Decimal("500000.00"),
    )
    assert (rows["donor", "USD"].committed, rows["donor", "USD"].spent) == (
        Decimal("10000.00"),
        Decimal("2500.00"),
    )


def test_official_sees_indicators_against_targets_and_the_crime_trend(client, world):
    a = world.a
    indicator = f.IndicatorFactory(plan=a.plan, name="Burglaries reported")
    f.MeasurementFactory(indicator=indicator, value=Decimal("105"))
    f.CrimeStatisticFactory(district=a.district, year=2016, count=4023)
    f.CrimeStatisticFactory(district=world.b.district, year=2016, count=999)
    client.force_login(a.official)
    response = client.get(DASHBOARD)
    assert "Burglaries reported" in response.text
    assert response.context["indicators"][0].progress == Decimal("50.0")
    trend = response.context["crime_trend"]
    assert trend["labels"] == [2016]
    assert [dataset["label"] for dataset in trend["datasets"]] == ["District A"]
    assert 'id="crime-trend-data"' in response.text


def test_official_sees_each_indicators_latest_measurement_and_which_are_not_measured(client, world):
    measured = f.IndicatorFactory(plan=world.a.plan, name="Burglaries reported")
    f.MeasurementFactory(indicator=measured, measured_on=dt.date(2018, 1, 5), value=Decimal("110"))
    f.MeasurementFactory(indicator=measured, measured_on=dt.date(2019, 3, 7), value=Decimal("105.25"))
    f.IndicatorFactory(plan=world.a.plan, name="Street lights repaired")
    client.force_login(world.a.official)
    response = client.get(DASHBOARD + "?role=official")
    link = reverse("prevention:indicator-detail", args=[measured.pk])
    assert f'<a href="{link}">Burglaries reported</a>' in response.text
    assert '105.25<div class="small text-body-secondary text-nowrap">7 Mar 2019</div>' in response.text
    assert '<td class="text-end">120</td>' in response.text
    assert '<td class="text-end">90</td>' in response.text
    row = response.text.split("Street lights repaired")[1].split("</tr>")[0]
    assert "not measured" in row


# Police --------------------------------------------------------------------------------------------------


def test_police_see_the_initiatives_they_lead_or_implement_with_milestones_hotspots_and_their_logs(
    client, world
):
    a = world.a
    implemented = f.InitiativeFactory(priority=a.priority, lead_organisation=a.ngo, title="Youth clubs")
    f.InitiativePartnerFactory(initiative=implemented, organisation=a.police_unit, role="implementing")
    f.InitiativeFactory(priority=a.priority, lead_organisation=a.ngo, title="Radio show")
    f.MilestoneFactory(initiative=a.initiative, title="Patrol routes agreed")
    f.HotspotFactory(district=a.district, name="Osh Bazaar")
    f.HotspotFactory(district=world.b.district, name="Elsewhere market")
    f.ActivityLogFactory(initiative=a.initiative, organisation=a.police_unit, title="Night patrol")
    f.ActivityLogFactory(
        initiative=a.initiative, organisation=a.ngo, title="NGO training", **reviewed(review_state="verified")
    )
    client.force_login(a.police)

    response = client.get(DASHBOARD)

    assert response.context["role"] == "police"
    assert [i.title for i in response.context["initiatives"].initiatives] == ["Initiative A", "Youth clubs"]
    assert "Radio show" not in response.text
    assert "Patrol routes agreed" in response.text
    assert "Osh Bazaar" in response.text
    assert "Elsewhere market" not in response.text
    assert "Night patrol" in response.text
    assert "NGO training" not in response.text
    assert reverse("prevention:crime-statistic-create", args=[a.district.pk]) in response.text
    assert reverse("prevention:hotspot-create", args=[a.district.pk]) in response.text


def test_police_may_change_the_hotspots_of_their_district_and_region_from_the_dashboard(client, world):
    a = world.a
    bazaar = f.HotspotFactory(district=a.district, name="Osh Bazaar")
    regional = f.HotspotFactory(district=None, region=a.district.region, name="Regional highway")
    client.force_login(a.police)

    response = client.get(DASHBOARD)

    assert [h.name for h in response.context["hotspots"]] == ["Osh Bazaar", "Regional highway"]
    assert all(h.dashboard_editable for h in response.context["hotspots"])
    for hotspot in (bazaar, regional):
        assert reverse("prevention:hotspot-edit", args=[hotspot.pk]) in response.text


def test_police_correct_a_figure_from_the_dashboards_table_and_come_back(client, world):
    statistic = f.CrimeStatisticFactory(district=world.a.district, year=2016, count=4023)
    client.force_login(world.a.police)
    response = client.get(DASHBOARD + "?role=police")
    edit = reverse("prevention:crime-statistic-edit", args=[statistic.pk])
    assert f'<a href="{edit}?next=/dashboard/%3Frole%3Dpolice">4,023</a>' in response.text


def test_police_dashboard_offers_the_year_after_the_latest_figures(client, world):
    f.CrimeStatisticFactory(district=world.a.district, year=2016)
    client.force_login(world.a.police)
    response = client.get(DASHBOARD)
    assert response.context["statistics"][0].next_year == 2017
    assert "Add the figures for 2017" in response.text


# Partner -------------------------------------------------------------------------------------------------


def test_partner_sees_only_their_organisations_initiatives_and_logs(client, world):
    a = world.a
    other_ngo = f.OrganisationFactory(name="Other NGO", kind=Organisation.Kind.NGO)
    theirs = f.InitiativeFactory(priority=a.priority, lead_organisation=other_ngo, title="Other NGO's work")
    f.ActivityLogFactory(
        initiative=theirs,
        organisation=other_ngo,
        title="Their verified log",
        **reviewed(review_state="verified"),
    )
    f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo, title="Our submitted log")
    f.ActivityLogFactory(
        initiative=a.initiative,
        organisation=a.ngo,
        title="Our verified log",
        participants_total=30,
        audience_reached=15000,
        **reviewed(review_state="verified"),
    )
    client.force_login(a.partner)

    response = client.get(DASHBOARD)

    assert [i.title for i in response.context["initiatives"].initiatives] == ["Initiative A"]
    assert "Showing" not in response.text
    assert "Other NGO&#x27;s work" not in response.text
    assert "Their verified log" not in response.text
    assert "Our submitted log" in response.text
    assert reverse("prevention:activity-log-create") + f"?initiative={a.initiative.pk}" in response.text
    assert response.context["reach"].people == 15030
    assert "15,030" in response.text


def test_partner_of_many_initiatives_sees_those_under_way_first_and_how_many_there_are(client, world):
    a = world.a
    for number in range(12):
        f.InitiativeFactory(
            priority=a.priority,
            lead_organisation=a.ngo,
            title=f"Finished work {number:02}",
            status=Initiative.Status.COMPLETED,
        )
    f.InitiativeFactory(
        priority=a.priority,
        lead_organisation=a.ngo,
        title="Zz late lighting",
        status=Initiative.Status.DELAYED,
    )
    client.force_login(a.partner)

    response = client.get(DASHBOARD)

    listed = response.context["initiatives"]
    assert listed.count == 14
    assert len(listed.initiatives) == 10
    # Initiative A is in progress; the delayed one comes next although its title sorts last.
    assert [i.title for i in listed.initiatives[:3]] == [
        "Initiative A",
        "Zz late lighting",
        "Finished work 00",
    ]
    assert "Showing 10 of 14, those under way first." in response.text
    assert f'href="{reverse("prevention:activity-log-create")}"' in response.text


def test_partner_sees_returned_logs_first_with_the_officials_note(client, world):
    a = world.a
    f.ActivityLogFactory(
        initiative=a.initiative, organisation=a.ngo, title="Newer log", occurred_on=dt.date(2019, 5, 1)
    )
    returned = f.ActivityLogFactory(
        initiative=a.initiative,
        organisation=a.ngo,
        title="Older returned log",
        occurred_on=dt.date(2018, 1, 1),
        **reviewed(review_state="returned", review_note="Add the number of women."),
    )
    client.force_login(a.partner)
    response = client.get(DASHBOARD)
    assert response.context["logs"].logs[0] == returned
    assert "Add the number of women." in response.text
    assert reverse("prevention:activity-log-edit", args=[returned.pk]) in response.text


def test_police_see_the_most_urgent_initiatives_first_and_how_many_there_are_in_all(client, world):
    a = world.a
    calm = {"starts_on": TODAY, "ends_on": TODAY + dt.timedelta(days=365)}
    for i in range(12):
        f.InitiativeFactory(
            priority=a.priority, lead_organisation=a.police_unit, title=f"Calm street {i:02d}", **calm
        )
    late = f.InitiativeFactory(
        priority=a.priority, lead_organisation=a.police_unit, title="Zz late patrols", **calm
    )
    f.MilestoneFactory(initiative=late, title="Routes agreed", due_on=TODAY - dt.timedelta(days=90))
    client.force_login(a.police)

    response = client.get(DASHBOARD + "?role=police")

    listed = response.context["initiatives"]
    # Off track first (the world's Initiative A has ended, this one has a milestone 90 days overdue).
    assert [i.title for i in listed.initiatives[:2]] == ["Initiative A", "Zz late patrols"]
    assert len(listed.initiatives) == 10
    assert listed.count == 14
    assert "Showing the 10 most urgent of 14" in response.text
    assert reverse("prevention:plan-detail", args=[a.plan.pk]) in response.text


def test_police_see_each_listed_initiatives_progress_and_whether_its_milestones_are_all_done(client, world):
    a = world.a
    done = f.InitiativeFactory(priority=a.priority, lead_organisation=a.police_unit, title="Lights fixed")
    for weight in (1, 3):
        f.MilestoneFactory(initiative=done, weight=weight, status="done", completed_on=TODAY)
    half = f.InitiativeFactory(priority=a.priority, lead_organisation=a.police_unit, title="Half way")
    f.MilestoneFactory(initiative=half, weight=1, status="done", completed_on=TODAY)
    f.MilestoneFactory(initiative=half, weight=1, title="Second patrol route")
    client.force_login(a.police)

    response = client.get(DASHBOARD + "?role=police")

    listed = {i.title: i for i in response.context["initiatives"].initiatives}
    assert listed["Lights fixed"].dashboard_progress == Decimal("100.0")
    assert listed["Half way"].dashboard_progress == Decimal("50.0")
    assert listed["Initiative A"].dashboard_progress == Decimal("0")
    assert "Every milestone is done." in response.text
    assert "No milestones: progress comes from the latest progress update." in response.text
    assert "Second patrol route" in response.text
    assert "50.0 %" in response.text


def test_police_initiative_refreshed_in_place_stays_listed_when_no_longer_among_the_most_urgent(
    client, world
):
    a = world.a
    for i in range(12):
        f.InitiativeFactory(
            priority=a.priority, lead_organisation=a.police_unit, title=f"Calm street {i:02d}"
        )
    last = f.InitiativeFactory(priority=a.priority, lead_organisation=a.police_unit, title="Zz quiet square")
    client.force_login(a.police)

    assert f'id="police-initiative-{last.pk}-summary"' not in client.get(DASHBOARD + "?role=police").text
    response = client.get(DASHBOARD + f"?role=police&initiative={last.pk}")
    assert f'id="police-initiative-{last.pk}-summary"' in response.text


def test_official_sees_a_long_review_backlog_as_more_than_a_thousand(client, world, monkeypatch):
    from prevention import selectors

    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    a = world.a
    oldest = f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo, title="Oldest waiting log")
    for _ in range(3):
        f.ActivityLogFactory(initiative=a.initiative, organisation=a.ngo)
    client.force_login(a.official)

    response = client.get(DASHBOARD + "?role=official")

    assert response.context["review"].logs[0] == oldest
    assert response.context["review"].capped
    assert ">2+</span>" in response.text


def test_official_dashboard_groups_the_thousands_of_large_indicator_values(client, world):
    from decimal import Decimal

    from tests import factories as f

    indicator = f.IndicatorFactory(
        plan=world.a.plan,
        name="Weekly radio show listeners",
        direction="increase",
        baseline_value=Decimal("0"),
        target_value=Decimal("15000"),
    )
    f.MeasurementFactory(indicator=indicator, value=Decimal("15500.50"))
    client.force_login(world.a.official)
    response = client.get("/dashboard/?role=official")
    assert "15,000" in response.text
    assert "15,500.5" in response.text
