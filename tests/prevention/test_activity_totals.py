"""The activity totals per initiative and organisation (ActivityTotal) that the partner's dashboard and the
donor's home add up: they follow every change of the logs, so the figures people see are the logs' own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prevention.models import ActivityLog, ActivityTotal
from tests import factories as f

DASHBOARD = "/dashboard/"

pytestmark = pytest.mark.django_db


def _log(world, **kwargs) -> ActivityLog:
    return f.ActivityLogFactory(
        initiative=world.a.initiative,
        organisation=world.a.ngo,
        participants_total=30,
        participants_women=12,
        participants_men=18,
        audience_reached=100,
        **kwargs,
    )


def _partner_reach(client, world):
    client.force_login(world.a.partner)
    return client.get(DASHBOARD).context["reach"]


def _totals() -> list[tuple]:
    return sorted(
        ActivityTotal.objects.values_list(
            "initiative_id",
            "organisation_id",
            "verified",
            "submitted",
            "returned",
            "participants",
            "audience",
        )
    )


def test_verifying_a_log_adds_its_people_to_the_partners_reach_and_the_donors_home(client, world):
    log = _log(world)
    assert (_partner_reach(client, world).people, _partner_reach(client, world).submitted) == (0, 1)

    client.force_login(world.a.official)
    assert client.post(f"/activity-logs/{log.pk}/verify/").status_code == 302

    reach = _partner_reach(client, world)
    assert (reach.people, reach.verified, reach.submitted) == (130, 1, 0)
    client.force_login(world.donor)
    overall = client.get(reverse("donor:index")).context["portfolio"].overall
    assert (overall.activities, overall.people) == (1, 130)


def test_returning_a_log_counts_it_as_returned(client, world):
    log = _log(world)
    client.force_login(world.a.official)
    client.post(f"/activity-logs/{log.pk}/return/", {"note": "Add the attendance sheet."})

    reach = _partner_reach(client, world)
    assert (reach.returned, reach.submitted, reach.people) == (1, 0, 0)
    assert "1 log came back with a note" in client.get(DASHBOARD).text


def test_deleting_logs_takes_them_out_of_the_totals(client, world):
    kept = _log(world)
    _log(world)
    ActivityLog.objects.exclude(pk=kept.pk).delete()

    assert _partner_reach(client, world).submitted == 1


def test_a_log_moved_to_another_initiative_leaves_one_total_for_the_other(world):
    log = ActivityLog.objects.get(pk=_log(world).pk)
    log.initiative = world.b.initiative
    log.save()

    assert _totals() == [
        (world.a.initiative.pk, world.a.ngo.pk, 0, 0, 0, 0, 0),
        (world.b.initiative.pk, world.a.ngo.pk, 0, 1, 0, 0, 0),
    ]


def test_a_failed_save_leaves_the_totals_as_they_were(world):
    _log(world)
    before = _totals()
    with pytest.raises(Exception):  # noqa: B017 - the database refuses it; which error depends on the database
        _log(world, participants_women=31)

    assert _totals() == before


def test_rebuilding_counts_the_same_as_keeping_up(world):
    _log(world)
    _log(world, review_state="verified", reviewed_at="2019-01-01T10:00:00Z")
    f.ActivityLogFactory(initiative=world.b.initiative, organisation=world.b.ngo, review_state="submitted")
    kept_up = _totals()

    assert ActivityTotal.rebuild() == 2
    assert _totals() == kept_up
    assert kept_up[0][2:] == (1, 1, 0, 30, 100)
