"""Values the models derive: crime rates, the public small-count rule, overdue milestones, indicator progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from prevention.models import CrimeStatistic, District, Indicator, Milestone
from tests import factories as f

D = Decimal


# Crime rate per 100,000 inhabitants.


def test_district_rate_per_100k_matches_the_sverdlovsk_figure():
    assert District(population=300_000).rate_per_100k(4023) == D("1341.0")


def test_district_rate_per_100k_rounds_to_one_decimal():
    assert District(population=300_000).rate_per_100k(1) == D("0.3")
    assert District(population=300_000).rate_per_100k(2) == D("0.7")


def test_district_rate_without_population_is_unknown():
    assert District(population=None).rate_per_100k(4023) is None


def test_district_rate_of_no_crimes_is_zero():
    assert District(population=300_000).rate_per_100k(0) == D("0.0")


def test_district_rate_without_a_count_is_unknown():
    assert District(population=300_000).rate_per_100k(None) is None


@pytest.mark.django_db
def test_statistic_rate_per_100k_uses_its_districts_population():
    statistic = f.CrimeStatisticFactory(district=f.DistrictFactory(population=300_000), count=4023)
    assert CrimeStatistic.objects.get(pk=statistic.pk).rate_per_100k == D("1341.0")


@pytest.mark.django_db
def test_statistic_rate_without_population_is_unknown():
    district = f.DistrictFactory(population=None, population_year=None)
    assert f.CrimeStatisticFactory(district=district).rate_per_100k is None


@pytest.mark.django_db
def test_statistic_rate_of_zero_crimes_is_zero():
    assert f.CrimeStatisticFactory(count=0).rate_per_100k == D("0.0")


# The public pages never show a count below 5.


@pytest.mark.parametrize("count", [0, 1, 4])
def test_public_count_below_five_says_fewer_than_five(count):
    assert CrimeStatistic(count=count).public_count == "fewer than 5"


@pytest.mark.parametrize(("count", "shown"), [(5, "5"), (999, "999"), (4023, "4,023")])
def test_public_count_from_five_shows_the_figure(count, shown):
    assert CrimeStatistic(count=count).public_count == shown


# Overdue milestones.

TODAY = dt.date(2019, 6, 30)


def test_pending_milestone_past_its_due_date_is_overdue():
    assert Milestone(due_on=dt.date(2019, 6, 29), status=Milestone.Status.PENDING).is_overdue(TODAY)


def test_milestone_due_today_is_not_overdue():
    assert not Milestone(due_on=TODAY, status=Milestone.Status.PENDING).is_overdue(TODAY)


def test_milestone_due_later_is_not_overdue():
    assert not Milestone(due_on=dt.date(2019, 7, 1), status=Milestone.Status.PENDING).is_overdue(TODAY)


def test_done_milestone_is_never_overdue():
    milestone = Milestone(due_on=dt.date(2019, 1, 1), status=Milestone.Status.DONE, completed_on=TODAY)
    assert not milestone.is_overdue(TODAY)


def test_cancelled_milestone_is_never_overdue():
    assert not Milestone(due_on=dt.date(2019, 1, 1), status=Milestone.Status.CANCELLED).is_overdue(TODAY)


def test_milestone_overdue_defaults_to_the_local_date():
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert Milestone(due_on=yesterday, status=Milestone.Status.PENDING).is_overdue()
    assert not Milestone(due_on=timezone.localdate(), status=Milestone.Status.PENDING).is_overdue()


# Indicator progress through the model: the latest measurement by date.


def burglary_indicator() -> Indicator:
    """Burglaries 120 at the baseline, target 90; measured 105 last, though entered before 110."""
    indicator = f.IndicatorFactory(baseline_value=D(120), target_value=D(90))
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 12, 31), value=D(105))
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2018, 12, 31), value=D(110))
    return indicator


@pytest.mark.django_db
def test_indicator_progress_uses_the_latest_measurement_by_date_not_by_entry():
    indicator = Indicator.objects.get(pk=burglary_indicator().pk)
    assert indicator.current_value == D(105)
    assert indicator.progress == D(50)
    assert not indicator.target_exceeded


@pytest.mark.django_db
def test_indicator_with_latest_annotation_gives_the_same_as_the_fallback():
    pk = burglary_indicator().pk
    annotated = Indicator.objects.with_latest().get(pk=pk)
    plain = Indicator.objects.get(pk=pk)
    assert (annotated.latest_value, annotated.latest_measured_on) == (D(105), dt.date(2019, 12, 31))
    assert (annotated.current_value, annotated.progress) == (plain.current_value, plain.progress)


@pytest.mark.django_db
def test_indicators_with_latest_cost_one_query_for_a_list(django_assert_num_queries):
    for _ in range(3):
        burglary_indicator()
    with django_assert_num_queries(1):
        assert [i.progress for i in Indicator.objects.with_latest()] == [D(50)] * 3


@pytest.mark.django_db
def test_indicator_beyond_its_target_shows_hundred_and_target_exceeded():
    indicator = burglary_indicator()
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2020, 12, 31), value=D(80))
    for loaded in (
        Indicator.objects.get(pk=indicator.pk),
        Indicator.objects.with_latest().get(pk=indicator.pk),
    ):
        assert loaded.progress == D(100)
        assert loaded.target_exceeded


@pytest.mark.django_db
def test_indicator_without_measurements_has_no_progress_either_way():
    indicator = f.IndicatorFactory()
    for loaded in (
        Indicator.objects.get(pk=indicator.pk),
        Indicator.objects.with_latest().get(pk=indicator.pk),
    ):
        assert loaded.current_value is None
        assert loaded.progress is None
        assert not loaded.target_exceeded


@pytest.mark.django_db
def test_increasing_indicator_progress_through_the_model():
    indicator = f.IndicatorFactory(
        direction=Indicator.Direction.INCREASE, baseline_value=D(30), target_value=D(60)
    )
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 12, 31), value=D(45))
    assert Indicator.objects.with_latest().get(pk=indicator.pk).progress == D(50)
