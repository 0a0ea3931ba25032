"""Indicators: the page of one indicator with its measurements, and the indicator and measurement forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention.models import Indicator, Measurement
from tests import factories as f


def indicator_url(indicator: Indicator) -> str:
    return reverse("prevention:indicator-detail", args=[indicator.pk])


def indicator_data(**changes) -> dict:
    data = {
        "name": "Burglaries registered",
        "unit": "crimes",
        "level": "outcome",
        "direction": "decrease",
        "baseline_value": "120",
        "baseline_on": "2016-12-31",
        "target_value": "90",
        "target_on": "2020-12-31",
        "priority": "",
        "initiative": "",
        "source": "District police",
        "frequency": "yearly",
    }
    data.update(changes)
    return data


def test_page_shows_baseline_current_target_and_progress(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, name="Burglaries registered")
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2018, 12, 31), value=Decimal("110"))
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 12, 31), value=Decimal("105"))
    client.force_login(world.a.partner)
    text = client.get(indicator_url(indicator)).text
    assert "120" in text and "105" in text and "90" in text
    assert "50.0 %" in text
    assert "lower is better" in text
    assert 'id="indicator-chart"' in text


def test_a_decreasing_indicator_past_its_target_says_so(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    f.MeasurementFactory(indicator=indicator, value=Decimal("80"))
    client.force_login(world.a.official)
    text = client.get(indicator_url(indicator)).text
    assert "100.0 %" in text
    assert "Target exceeded" in text


def test_indicator_page_costs_the_same_queries_for_5_and_200_measurements(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    client.force_login(world.a.official)

    def grow(count: int) -> None:
        for _ in range(count):
            f.MeasurementFactory(indicator=indicator, entered_by=world.a.official)

    grow(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(indicator_url(indicator)).status_code == 200
    grow(195)
    with CaptureQueriesContext(connection) as large:
        assert client.get(indicator_url(indicator)).status_code == 200
    assert len(small) == len(large)


def test_other_districts_do_not_find_the_indicator(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    client.force_login(world.b.official)
    assert client.get(indicator_url(indicator)).status_code == 404


def test_official_adds_an_indicator_of_an_initiative(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:indicator-create", args=[world.a.plan.pk]),
        indicator_data(priority=world.a.priority.pk, initiative=world.a.initiative.pk),
    )
    indicator = Indicator.objects.get(name="Burglaries registered")
    assert response.status_code == 302
    assert response.url == indicator_url(indicator)
    assert (indicator.plan, indicator.initiative) == (world.a.plan, world.a.initiative)


def test_an_indicator_cannot_join_a_priority_with_an_initiative_under_another(client, world):
    juvenile = f.PlanPriorityFactory(plan=world.a.plan, rank=2, issue=f.PriorityIssueFactory(name="Juvenile"))
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:indicator-create", args=[world.a.plan.pk]),
        indicator_data(priority=juvenile.pk, initiative=world.a.initiative.pk),
    )
    assert "This initiative is under another priority" in response.text
    assert not Indicator.objects.exists()


def test_indicator_form_shows_field_errors_and_writes_nothing(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:indicator-create", args=[world.a.plan.pk]),
        indicator_data(name="", target_value="150", target_on="2015-01-01", initiative=world.b.initiative.pk),
    )
    assert response.status_code == 200
    text = response.text
    assert "This field is required." in text
    assert "For a decreasing indicator the target cannot be above the baseline." in text
    assert "The target date cannot be before the baseline date." in text
    assert "Select a valid choice" in text  # another plan's initiative
    assert not Indicator.objects.exists()


def test_second_of_two_concurrent_indicator_edits_is_refused(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, name="Original")
    url = reverse("prevention:indicator-edit", args=[indicator.pk])
    opened = indicator_data(edit_version=indicator.version)
    client.force_login(world.a.official)
    assert client.post(url, {**opened, "name": "First"}).status_code == 302
    second = client.post(url, {**opened, "name": "Second"})
    assert "official_a changed this record" in second.text
    indicator.refresh_from_db()
    assert indicator.name == "First"


def test_police_and_partners_may_not_change_indicators(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    for user in (world.a.police, world.a.partner):
        client.force_login(user)
        assert client.get(reverse("prevention:indicator-edit", args=[indicator.pk])).status_code == 403
        assert client.get(reverse("prevention:indicator-create", args=[world.a.plan.pk])).status_code == 403
        assert client.get(reverse("prevention:measurement-create", args=[indicator.pk])).status_code == 403


def test_official_records_a_measurement(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:measurement-create", args=[indicator.pk]),
        {
            "measured_on": "2019-12-31",
            "period_start": "2019-01-01",
            "value": "101",
            "source": "Police",
            "note": "",
        },
    )
    assert response.status_code == 302
    measurement = indicator.measurements.get()
    assert (measurement.value, measurement.entered_by) == (Decimal("101"), world.a.official)


def test_measurement_form_shows_field_errors_and_writes_nothing(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 12, 31))
    client.force_login(world.a.official)
    url = reverse("prevention:measurement-create", args=[indicator.pk])
    response = client.post(url, {"measured_on": "2019-12-31", "value": "abc", "period_start": ""})
    assert "This indicator already has a measurement for this date." in response.text
    assert "Enter a number." in response.text
    response = client.post(url, {"measured_on": "2019-06-30", "value": "10", "period_start": "2019-12-01"})
    assert "The period cannot start after its end date." in response.text
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {"measured_on": tomorrow.isoformat(), "value": "300", "period_start": ""})
    assert "A measurement cannot be dated in the future." in response.text
    assert Measurement.objects.count() == 1


def test_a_funding_donor_reads_the_initiatives_indicator_without_links_to_the_plan(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, initiative=world.a.initiative)
    client.force_login(world.donor)
    response = client.get(indicator_url(indicator))
    assert response.status_code == 200
    assert reverse("prevention:plan-detail", args=[world.a.plan.pk]) not in response.text
    client.force_login(world.idle_donor)
    assert client.get(indicator_url(indicator)).status_code == 404


def test_official_corrects_a_wrong_measurement_and_the_history_keeps_the_old_value(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    wrong = f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 12, 31), value=Decimal("300"))
    client.force_login(world.a.official)
    page = client.get(indicator_url(indicator)).text
    edit = reverse("prevention:measurement-edit", args=[wrong.pk])
    assert edit in page
    data = {"measured_on": "2019-12-31", "value": "103", "period_start": "", "edit_version": wrong.version}
    response = client.post(edit, data)
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert (wrong.value, wrong.version) == (Decimal("103"), 2)
    assert [record.value for record in wrong.history.all()] == [Decimal("103"), Decimal("300")]
    # The same form sent again is now stale: refused, nothing changed.
    stale = client.post(edit, {**data, "value": "104"})
    assert "changed this record" in stale.text
    wrong.refresh_from_db()
    assert wrong.value == Decimal("103")
    # Others read the indicator without the link.
    client.force_login(world.a.police)
    assert client.get(edit).status_code == 403
