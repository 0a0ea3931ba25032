"""The progress rules of prevention/progress.py, as docs/progress.md states them to users."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from prevention import progress as rules
from prevention.models import ActionPlan, Initiative, Milestone
from prevention.progress import Health
from tests import factories as f

D = Decimal


# Indicator progress: from the baseline toward the target, in the indicator's direction.


def burglaries(now: str | None) -> Decimal | None:
    """Burglaries 120 at the baseline, target 90: a decreasing indicator."""
    current = None if now is None else D(now)
    return rules.indicator_progress(baseline=D(120), target=D(90), current=current, decreasing=True)


def test_decreasing_indicator_half_way_is_fifty_percent():
    assert burglaries("105") == D(50)


def test_decreasing_indicator_rounds_to_one_decimal():
    assert burglaries("110") == D("33.3")


def test_increasing_indicator_half_way_is_fifty_percent():
    assert rules.indicator_progress(baseline=D(30), target=D(60), current=D(45), decreasing=False) == D(50)


def test_indicator_at_its_baseline_is_zero():
    assert burglaries("120") == D(0)


def test_indicator_worse_than_its_baseline_is_zero_not_negative():
    assert burglaries("130") == D(0)
    assert rules.indicator_progress(baseline=D(30), target=D(60), current=D(20), decreasing=False) == D(0)


def test_indicator_exactly_on_target_is_hundred_without_overshoot():
    assert burglaries("90") == D(100)
    assert rules.indicator_overshoot(target=D(90), current=D(90), decreasing=True) is False


def test_indicator_beyond_its_target_is_clamped_to_hundred_and_flagged_as_exceeded():
    assert burglaries("80") == D(100)
    assert rules.indicator_overshoot(target=D(90), current=D(80), decreasing=True) is True
    assert rules.indicator_progress(baseline=D(30), target=D(60), current=D(75), decreasing=False) == D(100)
    assert rules.indicator_overshoot(target=D(60), current=D(75), decreasing=False) is True


def test_indicator_short_of_its_target_is_not_exceeded():
    assert rules.indicator_overshoot(target=D(90), current=D(105), decreasing=True) is False
    assert rules.indicator_overshoot(target=D(60), current=D(45), decreasing=False) is False


def test_indicator_without_measurement_has_no_progress():
    assert burglaries(None) is None
    assert rules.indicator_overshoot(target=D(90), current=None, decreasing=True) is False


@pytest.mark.parametrize(
    ("decreasing", "current", "expected"),
    [
        (True, "90", D(100)),  # held at the target
        (True, "85", D(100)),  # better than the target
        (True, "95", D(0)),  # slipped
        (False, "50", D(100)),
        (False, "55", D(100)),
        (False, "45", D(0)),
    ],
)
def test_indicator_whose_target_equals_its_baseline_is_met_or_not(decreasing, current, expected):
    baseline = target = D(90) if decreasing else D(50)
    assert (
        rules.indicator_progress(baseline=baseline, target=target, current=D(current), decreasing=decreasing)
        == expected
    )


# Milestone progress, the pure rule.


def test_no_milestones_gives_no_milestone_progress():
    assert rules.milestone_progress(done_weight=0, total_weight=0, done_count=0, total_count=0) is None


def test_milestone_progress_is_the_done_share_of_the_weights():
    assert rules.milestone_progress(done_weight=3, total_weight=4, done_count=1, total_count=2) == D(75)


def test_milestones_all_weighing_zero_count_equally():
    assert rules.milestone_progress(done_weight=0, total_weight=0, done_count=1, total_count=3) == D("33.3")


# Initiative progress through the model and its annotations.


def annotated(initiative: Initiative, today: dt.date | None = None) -> Initiative:
    return Initiative.objects.with_progress(today=today).get(pk=initiative.pk)


def milestone(initiative: Initiative, weight: int, status: str = Milestone.Status.PENDING, **kwargs):
    if status == Milestone.Status.DONE:
        kwargs.setdefault("completed_on", dt.date(2019, 1, 15))
    return f.MilestoneFactory(initiative=initiative, weight=weight, status=status, **kwargs)


@pytest.mark.django_db
def test_initiative_progress_follows_milestone_weights():
    initiative = f.InitiativeFactory()
    milestone(initiative, 1, Milestone.Status.DONE)
    milestone(initiative, 3)
    assert annotated(initiative).progress == D(25)
    assert annotated(initiative).progress_source == "milestones"


@pytest.mark.django_db
def test_initiative_progress_with_mixed_weights_gives_a_zero_weight_milestone_no_share():
    initiative = f.InitiativeFactory()
    milestone(initiative, 0, Milestone.Status.DONE)
    milestone(initiative, 2)
    assert annotated(initiative).progress == D(0)
    milestone(initiative, 2, Milestone.Status.DONE)
    assert annotated(initiative).progress == D(50)


@pytest.mark.django_db
def test_initiative_progress_with_zero_weights_counts_milestones():
    initiative = f.InitiativeFactory()
    milestone(initiative, 0, Milestone.Status.DONE)
    milestone(initiative, 0)
    milestone(initiative, 0)
    milestone(initiative, 0)
    assert annotated(initiative).progress == D(25)


@pytest.mark.django_db
def test_cancelled_milestones_are_left_out_of_initiative_progress():
    initiative = f.InitiativeFactory()
    milestone(initiative, 1, Milestone.Status.DONE)
    milestone(initiative, 5, Milestone.Status.CANCELLED)
    milestone(initiative, 1)
    assert annotated(initiative).progress == D(50)


@pytest.mark.django_db
def test_cancelled_zero_weight_milestones_are_left_out_of_the_equal_shares():
    initiative = f.InitiativeFactory()
    milestone(initiative, 0, Milestone.Status.DONE)
    milestone(initiative, 0, Milestone.Status.CANCELLED)
    assert annotated(initiative).progress == D(100)


@pytest.mark.django_db
def test_initiative_with_only_cancelled_milestones_falls_back_to_its_latest_update():
    initiative = f.InitiativeFactory()
    milestone(initiative, 1, Milestone.Status.CANCELLED)
    f.ProgressUpdateFactory(initiative=initiative, percent_complete=40)
    assert annotated(initiative).progress == D(40)
    assert annotated(initiative).progress_source == "update"


@pytest.mark.django_db
def test_initiative_without_milestones_takes_the_latest_update_by_date():
    initiative = f.InitiativeFactory()
    f.ProgressUpdateFactory(initiative=initiative, reported_on=dt.date(2018, 9, 30), percent_complete=60)
    f.ProgressUpdateFactory(initiative=initiative, reported_on=dt.date(2018, 6, 30), percent_complete=25)
    assert annotated(initiative).progress == D(60)


@pytest.mark.django_db
def test_two_updates_on_one_day_the_later_entry_wins():
    initiative = f.InitiativeFactory()
    f.ProgressUpdateFactory(initiative=initiative, reported_on=dt.date(2018, 6, 30), percent_complete=25)
    f.ProgressUpdateFactory(initiative=initiative, reported_on=dt.date(2018, 6, 30), percent_complete=30)
    assert annotated(initiative).progress == D(30)


@pytest.mark.django_db
def test_milestones_take_precedence_over_progress_updates():
    initiative = f.InitiativeFactory()
    milestone(initiative, 1, Milestone.Status.DONE)
    milestone(initiative, 1)
    f.ProgressUpdateFactory(initiative=initiative, percent_complete=90)
    assert annotated(initiative).progress == D(50)


@pytest.mark.django_db
def test_initiative_without_milestones_or_updates_is_at_zero():
    initiative = annotated(f.InitiativeFactory())
    assert initiative.progress == D(0)
    assert initiative.progress_source == "none"


@pytest.mark.django_db
def test_completed_initiative_is_at_hundred_whatever_its_milestones_say():
    initiative = f.InitiativeFactory(status=Initiative.Status.COMPLETED)
    milestone(initiative, 1)
    assert annotated(initiative).progress == D(100)
    assert annotated(initiative).progress_source == "completed"


@pytest.mark.django_db
def test_initiative_progress_without_annotations_matches_the_annotated_figure(django_assert_num_queries):
    initiative = f.InitiativeFactory()
    milestone(initiative, 2, Milestone.Status.DONE)
    milestone(initiative, 1, Milestone.Status.CANCELLED)
    milestone(initiative, 3)
    expected = annotated(initiative).progress
    plain = Initiative.objects.get(pk=initiative.pk)
    # The figures are fetched once and kept on the object.
    with django_assert_num_queries(1):
        assert plain.progress == expected == D(40)
        assert plain.progress_source == "milestones"


# Plan progress: the plain average of its initiatives that are not cancelled.


@pytest.mark.django_db
def test_plan_progress_is_the_average_of_its_initiatives():
    plan = f.ActionPlanFactory()
    priority = f.PlanPriorityFactory(plan=plan)
    other_priority = f.PlanPriorityFactory(plan=plan)
    f.InitiativeFactory(priority=priority, status=Initiative.Status.COMPLETED)  # 100
    halfway = f.InitiativeFactory(priority=other_priority)
    milestone(halfway, 1, Milestone.Status.DONE)
    milestone(halfway, 1)  # 50
    f.InitiativeFactory(priority=priority)  # 0
    f.InitiativeFactory(priority=f.PlanPriorityFactory())  # another plan's: not counted
    assert plan.progress() == D(50)


@pytest.mark.django_db
def test_cancelled_initiatives_are_left_out_of_plan_progress():
    plan = f.ActionPlanFactory()
    priority = f.PlanPriorityFactory(plan=plan)
    f.ProgressUpdateFactory(initiative=f.InitiativeFactory(priority=priority), percent_complete=80)
    cancelled = f.InitiativeFactory(priority=priority, status=Initiative.Status.CANCELLED)
    f.ProgressUpdateFactory(initiative=cancelled, percent_complete=0)
    assert plan.progress() == D(80)


@pytest.mark.django_db
def test_plan_without_initiatives_has_no_progress():
    plan = f.ActionPlanFactory()
    assert plan.progress() is None
    f.InitiativeFactory(priority=f.PlanPriorityFactory(plan=plan), status=Initiative.Status.CANCELLED)
    assert ActionPlan.objects.get(pk=plan.pk).progress() is None


def test_plan_progress_rounds_the_average_to_one_decimal():
    assert rules.plan_progress([D(100), D(0), D(0)]) == D("33.3")
    assert rules.plan_progress([]) is None


# Time elapsed: the share of an initiative's period that has passed.

START, END = dt.date(2018, 1, 1), dt.date(2018, 1, 11)


@pytest.mark.parametrize(
    ("start", "end", "today", "expected"),
    [
        (None, END, dt.date(2018, 1, 6), None),
        (START, None, dt.date(2018, 1, 6), None),
        (START, END, dt.date(2017, 12, 31), D(0)),
        (START, END, START, D(0)),
        (START, END, dt.date(2018, 1, 6), D(50)),
        (START, END, dt.date(2018, 1, 4), D(30)),
        (START, END, END, D(100)),
        (START, END, dt.date(2019, 1, 1), D(100)),
        (START, START, START, D(0)),  # a one-day initiative on its day has not used it up
        (START, START, dt.date(2018, 1, 2), D(100)),
    ],
)
def test_time_elapsed(start, end, today, expected):
    assert rules.time_elapsed(start=start, end=end, today=today) == expected


# Health: on track, at risk or off track, each with its reason.

# A hundred-day initiative: the day is the share of time elapsed.
H_START = dt.date(2019, 1, 1)
H_END = H_START + dt.timedelta(days=100)


def health(
    *,
    status: str = "in_progress",
    progress: str = "50",
    day: int = 50,
    overdue_count: int = 0,
    oldest_overdue_days: int | None = None,
    start: dt.date | None = H_START,
    end: dt.date | None = H_END,
) -> Health:
    today = H_START + dt.timedelta(days=day)
    oldest = None if oldest_overdue_days is None else today - dt.timedelta(days=oldest_overdue_days)
    return rules.initiative_health(
        status=status,
        progress=D(progress),
        start=start,
        end=end,
        overdue_count=overdue_count,
        oldest_overdue_due=oldest,
        today=today,
    )


def test_completed_initiative_is_done_even_past_its_end():
    assert health(status="completed", progress="100", day=200).state == Health.DONE


def test_cancelled_initiative_is_cancelled_and_says_it_is_left_out():
    result = health(status="cancelled", day=200, overdue_count=3, oldest_overdue_days=90)
    assert result.state == Health.CANCELLED
    assert "left out of the plan's progress" in result.reason


def test_delayed_initiative_is_off_track():
    result = health(status="delayed", progress="90", day=10)
    assert result.state == Health.OFF_TRACK
    assert result.reason == "Reported as delayed in the latest update."


def test_initiative_past_its_end_and_not_completed_is_off_track():
    result = health(progress="100", day=101)
    assert result.state == Health.OFF_TRACK
    assert result.reason == "Its end date 11 Apr 2019 has passed."


def test_initiative_on_its_end_day_is_not_yet_past_it():
    assert health(progress="100", day=100).state == Health.ON_TRACK


def test_milestone_more_than_thirty_days_overdue_puts_the_initiative_off_track():
    result = health(overdue_count=1, oldest_overdue_days=31)
    assert result.state == Health.OFF_TRACK
    assert result.reason == "A milestone is 31 days overdue."


def test_milestone_thirty_days_overdue_is_at_risk_only():
    result = health(overdue_count=2, oldest_overdue_days=30)
    assert result.state == Health.AT_RISK
    assert result.reason == "2 milestones are overdue."


def test_one_overdue_milestone_puts_the_initiative_at_risk():
    result = health(overdue_count=1, oldest_overdue_days=1)
    assert result.state == Health.AT_RISK
    assert result.reason == "1 milestone is overdue."


def test_time_ahead_of_progress_by_more_than_thirty_points_is_off_track():
    result = health(progress="19.9", day=50)
    assert result.state == Health.OFF_TRACK
    assert result.reason == "50.0% of the time has passed but only 19.9% is done."


def test_time_ahead_of_progress_by_exactly_thirty_points_is_at_risk():
    assert health(progress="20", day=50).state == Health.AT_RISK


def test_time_ahead_by_more_than_thirty_points_outranks_an_overdue_milestone():
    assert health(progress="10", day=50, overdue_count=1, oldest_overdue_days=2).state == Health.OFF_TRACK


def test_time_ahead_of_progress_by_more_than_fifteen_points_is_at_risk():
    result = health(progress="34.9", day=50)
    assert result.state == Health.AT_RISK
    assert result.reason == "50.0% of the time has passed and 34.9% is done."


def test_time_ahead_of_progress_by_exactly_fifteen_points_is_on_track():
    assert health(progress="35", day=50).state == Health.ON_TRACK


def test_progress_ahead_of_time_is_on_track():
    result = health(progress="80", day=50)
    assert result.state == Health.ON_TRACK
    assert result.reason == "Progress keeps pace with time and nothing is overdue."
    assert result.label == "On track"


def test_initiative_without_dates_is_judged_by_its_milestones_only():
    assert health(progress="0", start=None, end=None).state == Health.ON_TRACK
    assert health(progress="0", start=None, end=None, overdue_count=1, oldest_overdue_days=3).state == (
        Health.AT_RISK
    )


def test_initiative_not_started_yet_is_on_track():
    assert health(status="planned", progress="0", day=-10).state == Health.ON_TRACK


# Health through the model: the annotations count overdue milestones as of the day asked about.


@pytest.mark.django_db
def test_initiative_health_counts_milestones_overdue_on_the_day_asked_about():
    initiative = f.InitiativeFactory(starts_on=dt.date(2019, 1, 1), ends_on=dt.date(2019, 12, 31))
    milestone(initiative, 1, due_on=dt.date(2019, 3, 1))
    milestone(initiative, 1, Milestone.Status.DONE, due_on=dt.date(2019, 2, 1))
    milestone(initiative, 1, Milestone.Status.CANCELLED, due_on=dt.date(2019, 2, 1))
    # 1 March: due today, not overdue; half done, a sixth of the year gone.
    march_first = dt.date(2019, 3, 1)
    assert annotated(initiative, march_first).health(march_first).state == Health.ON_TRACK
    # 15 March: two weeks overdue.
    march_15 = dt.date(2019, 3, 15)
    result = annotated(initiative, march_15).health(march_15)
    assert (result.state, result.reason) == (Health.AT_RISK, "1 milestone is overdue.")
    # 10 April: 40 days overdue.
    april_10 = dt.date(2019, 4, 10)
    result = annotated(initiative, april_10).health(april_10)
    assert (result.state, result.reason) == (Health.OFF_TRACK, "A milestone is 40 days overdue.")


@pytest.mark.django_db
def test_initiative_health_without_annotations_uses_the_day_asked_about():
    initiative = f.InitiativeFactory(starts_on=dt.date(2019, 1, 1), ends_on=dt.date(2019, 12, 31))
    milestone(initiative, 1, due_on=dt.date(2019, 3, 1))
    milestone(initiative, 1, Milestone.Status.DONE, due_on=dt.date(2019, 2, 1))
    march_first = dt.date(2019, 3, 1)
    assert Initiative.objects.get(pk=initiative.pk).health(march_first).state == Health.ON_TRACK


def test_the_written_rules_quote_the_thresholds_of_the_code():
    written = (Path(__file__).resolve().parents[2] / "docs" / "progress.md").read_text()
    assert f"more than {rules.OFF_TRACK_OVERDUE_DAYS} days" in written
    assert f"more than {rules.OFF_TRACK_GAP} percentage points" in written
    assert f"more than {rules.AT_RISK_GAP} percentage points" in written
