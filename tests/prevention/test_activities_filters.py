"""The filters of the activity log list: what the drop-downs offer, how they are written, what they cost."""

from __future__ import annotations

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertHTMLEqual

from prevention.widgets import QuickSelect
from tests import factories as f

LIST = "/activity-logs/"


def _select(page: str, name: str) -> str:
    start = page.index(f'<select name="{name}"')
    return page[start : page.index("</select>", start) + len("</select>")]


def test_quick_select_writes_the_same_markup_as_djangos_select():
    choices = [
        ("", "All"),
        (1, "Youth <football> & mentoring"),
        ('District "A"', [(2, "Street lighting"), (3, "Night patrols")]),
    ]
    for value in (None, "", "1", 3):
        attrs = {"id": "id_initiative", "class": "form-select", "disabled": False, "required": True}
        expected = forms.Select(choices=choices).render("initiative", value, attrs=attrs)
        assertHTMLEqual(QuickSelect(choices=choices).render("initiative", value, attrs=attrs), expected)


def test_initiative_filter_offers_the_official_their_districts_initiatives(client, world):
    f.InitiativeFactory(priority=world.a.priority, title="Street lighting <phase 2>")
    client.force_login(world.a.official)
    initiatives = _select(client.get(LIST).text, "initiative")
    assert "Street lighting &lt;phase 2&gt;" in initiatives
    assert world.a.initiative.title in initiatives
    assert world.b.initiative.title not in initiatives
    assert "<optgroup" not in initiatives  # one district: no need to say which


def test_initiative_filter_groups_initiatives_by_district_for_someone_seeing_several(client, world):
    client.force_login(world.admin)
    initiatives = _select(client.get(LIST).text, "initiative")
    for district in (world.a, world.b):
        assert f'<optgroup label="{district.district.name}">' in initiatives
        assert f">{district.initiative.title}</option>" in initiatives


def test_chosen_filters_stay_chosen(client, world):
    client.force_login(world.a.official)
    page = client.get(
        f"{LIST}?initiative={world.a.initiative.pk}&organisation={world.a.ngo.pk}&kind=patrol"
    ).text
    assert f'<option value="{world.a.initiative.pk}" selected>' in _select(page, "initiative")
    assert f'<option value="{world.a.ngo.pk}" selected>' in _select(page, "organisation")
    assert '<option value="patrol" selected>' in _select(page, "kind")


def test_filters_cost_the_same_queries_for_2_and_60_initiatives(client, world):
    client.force_login(world.a.official)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{LIST}?initiative={world.a.initiative.pk}")
        assert response.status_code == 200
        return len(captured)

    f.InitiativeFactory(priority=world.a.priority)
    small = queries()
    f.InitiativeFactory.create_batch(58, priority=world.a.priority, lead_organisation=world.a.ngo)
    assert queries() == small


def test_a_period_ending_before_it_starts_is_pointed_out_not_shown_as_empty(client, world):
    f.ActivityLogFactory(initiative=world.a.initiative, organisation=world.a.ngo, title="Patrol at night")
    client.force_login(world.a.official)
    page = client.get(f"{LIST}?date_from=2018-01-01&date_to=2017-01-01").text
    assert "The end of the period cannot be before its start." in page
    assert 'id="id_date_to" aria-invalid="true"' in page or 'aria-invalid="true"' in page
    assert "Patrol at night" not in page
