"""An activity log keeps its initiative's district (ActivityLog.district): set when it is made, moved
when its initiative, the initiative's priority or the plan moves. The access rules read it, so a log in
the wrong district would be shown to the wrong people."""

from __future__ import annotations

import pytest

from prevention.models import ActivityLog
from tests import factories as f

LIST = "/activity-logs/"

pytestmark = pytest.mark.django_db


def _titles_seen(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    return {log.title for log in response.context["page"].items}


def _log(world, title: str = "Night patrol at the bazaar") -> ActivityLog:
    return f.ActivityLogFactory(
        initiative=world.a.initiative, organisation=world.a.ngo, title=title, review_state="submitted"
    )


def test_a_new_log_takes_its_initiatives_district(world):
    log = _log(world)
    assert ActivityLog.objects.get(pk=log.pk).district == world.a.district


def test_logs_follow_their_initiative_to_another_districts_plan(client, world):
    log = _log(world)
    initiative = type(world.a.initiative).objects.get(pk=world.a.initiative.pk)
    initiative.priority = world.b.priority
    initiative.save()

    assert ActivityLog.objects.get(pk=log.pk).district == world.b.district
    assert log.title in _titles_seen(client, world.b.official)
    assert log.title not in _titles_seen(client, world.a.official)


def test_logs_follow_a_priority_moved_to_another_districts_plan(client, world):
    log = _log(world)
    priority = type(world.a.priority).objects.get(pk=world.a.priority.pk)
    priority.plan = world.b.plan
    priority.rank = 99
    priority.issue = f.PriorityIssueFactory(name="Fraud against the elderly")
    priority.save()

    assert ActivityLog.objects.get(pk=log.pk).district == world.b.district
    assert log.title in _titles_seen(client, world.b.official)


def test_logs_follow_a_plan_moved_to_another_district(client, world):
    log = _log(world)
    plan = type(world.a.plan).objects.get(pk=world.a.plan.pk)
    plan.district = world.b.district
    plan.save()

    assert ActivityLog.objects.get(pk=log.pk).district == world.b.district
    assert log.title not in _titles_seen(client, world.a.official)


def test_a_log_moved_to_another_initiative_takes_its_district(world):
    log = ActivityLog.objects.get(pk=_log(world).pk)
    log.initiative = world.b.initiative
    log.save(update_fields=["initiative"])

    assert ActivityLog.objects.get(pk=log.pk).district == world.b.district


def test_saving_a_plan_that_did_not_move_leaves_other_districts_logs_alone(world):
    log = _log(world)
    plan = type(world.b.plan).objects.get(pk=world.b.plan.pk)
    plan.title = "Plan B, second edition"
    plan.save()

    assert ActivityLog.objects.get(pk=log.pk).district == world.a.district
