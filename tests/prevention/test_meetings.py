"""Meetings with their decisions: the meeting page and the form."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prevention import once
from prevention.models import Meeting, MeetingDecision
from tests import factories as f


def formset_data(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "decisions-TOTAL_FORMS": str(len(rows)),
        "decisions-INITIAL_FORMS": str(initial),
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"decisions-{index}-{key}": value for key, value in row.items()})
    return data


def meeting_data(decisions=(), **changes) -> dict:
    data = {
        "kind": "working_group",
        "held_on": "2018-02-15",
        "title": "Working group, February",
        "place": "District administration",
        "attendance": "14",
        "attendees": "",
        "minutes": "Reviewed the burglary leaflets.",
    }
    data.update(changes)
    data.update(formset_data(list(decisions)))
    return data


def test_official_records_a_meeting_with_decisions(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:meeting-create", args=[world.a.plan.pk]),
        meeting_data(
            decisions=[
                {
                    "text": "Print 2,000 more leaflets",
                    "initiative": world.a.initiative.pk,
                    "responsible": world.a.ngo.pk,
                    "due_on": "2018-03-31",
                },
                {"text": "", "initiative": "", "responsible": "", "due_on": ""},
            ]
        ),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("prevention:meeting-detail", args=[meeting.pk])
    decision = meeting.decisions.get()
    assert (decision.initiative, decision.responsible) == (world.a.initiative, world.a.ngo)
    page = client.get(response.url).text
    assert "Print 2,000 more leaflets" in page and "Initiative A" in page


def test_meeting_form_shows_field_errors_and_writes_nothing(client, world):
    client.force_login(world.a.official)
    response = client.post(
        reverse("prevention:meeting-create", args=[world.a.plan.pk]),
        meeting_data(
            title="",
            held_on="yesterday",
            decisions=[{"text": "Ask district B", "initiative": world.b.initiative.pk, "due_on": ""}],
        ),
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Enter a valid date." in response.text
    assert "Select a valid choice" in response.text
    assert not Meeting.objects.exists()
    assert not MeetingDecision.objects.exists()


def test_a_bad_decision_leaves_the_meeting_unsaved(client, world):
    client.force_login(world.a.official)
    client.post(
        reverse("prevention:meeting-create", args=[world.a.plan.pk]),
        meeting_data(decisions=[{"text": "", "due_on": "2018-03-01"}]),
    )
    assert not Meeting.objects.exists()


def test_second_of_two_concurrent_meeting_edits_is_refused(client, world):
    meeting = f.MeetingFactory(plan=world.a.plan, title="Original")
    url = reverse("prevention:meeting-edit", args=[meeting.pk])
    opened = {**meeting_data(), "edit_version": meeting.version}
    client.force_login(world.a.official)
    assert client.post(url, {**opened, "title": "First"}).status_code == 302
    second = client.post(url, {**opened, "title": "Second", **formset_data([{"text": "Lost?"}])})
    assert "official_a changed this record" in second.text
    meeting.refresh_from_db()
    assert meeting.title == "First"
    assert not meeting.decisions.exists()


def test_meeting_page_costs_the_same_queries_for_5_and_200_decisions(client, world):
    meeting = f.MeetingFactory(plan=world.a.plan)
    client.force_login(world.a.official)

    def grow(count: int) -> None:
        for n in range(count):
            initiative = f.InitiativeFactory(priority=world.a.priority, lead_organisation=world.a.ngo)
            meeting.decisions.create(
                text=f"Decision {n}",
                initiative=initiative,
                responsible=world.a.ngo,
                due_on=dt.date(2018, 5, 1),
            )

    url = reverse("prevention:meeting-detail", args=[meeting.pk])
    grow(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(195)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_people_of_the_district_read_meetings_but_only_officials_change_them(client, world):
    meeting = f.MeetingFactory(plan=world.a.plan)
    client.force_login(world.a.partner)
    assert client.get(reverse("prevention:meeting-detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("prevention:meeting-edit", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("prevention:meeting-create", args=[world.a.plan.pk])).status_code == 403
    client.force_login(world.b.official)
    assert client.get(reverse("prevention:meeting-detail", args=[meeting.pk])).status_code == 404


def test_meeting_form_costs_the_same_queries_for_5_and_200_decisions(client, world):
    meeting = f.MeetingFactory(plan=world.a.plan)
    url = reverse("prevention:meeting-edit", args=[meeting.pk])

    def grow(count: int) -> None:
        for n in range(count):
            meeting.decisions.create(
                text=f"Decision {n}", initiative=world.a.initiative, responsible=world.a.ngo
            )

    client.force_login(world.a.official)
    grow(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(195)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_a_meeting_form_sent_twice_makes_one_meeting(client, world):
    """A second tap on a slow connection, or the browser sending the form again: the same key, one
    meeting, and the second answer leads to it."""
    client.force_login(world.a.official)
    url = reverse("prevention:meeting-create", args=[world.a.plan.pk])
    page = client.get(url).text
    key = re.search(r'name="once_key" value="([0-9a-f]{32})"', page).group(1)

    invalid = client.post(url, meeting_data(title="", once_key=key))
    assert f'name="once_key" value="{key}"' in invalid.text  # the corrected form keeps its key
    first = client.post(url, meeting_data(once_key=key))
    again = client.post(url, meeting_data(once_key=key), follow=True)

    meeting = Meeting.objects.get()
    assert first.url == reverse("prevention:meeting-detail", args=[meeting.pk])
    assert again.redirect_chain[0][0] == first.url
    assert "This was already saved; here it is." in again.text
    # A new form is a new meeting.
    other_key = re.search(r'name="once_key" value="([0-9a-f]{32})"', client.get(url).text).group(1)
    assert other_key != key
    client.post(url, meeting_data(once_key=other_key, title="Working group, March"))
    assert Meeting.objects.count() == 2


def test_with_the_cache_down_a_meeting_is_still_saved(client, world, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(once.cache, "add", down)
    client.force_login(world.a.official)
    url = reverse("prevention:meeting-create", args=[world.a.plan.pk])
    response = client.post(url, meeting_data(once_key="0" * 32))
    assert response.status_code == 302
    assert Meeting.objects.count() == 1
