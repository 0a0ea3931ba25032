"""Hotspots through HTTP: the police and officials of a district record places of risk."""

from __future__ import annotations

import html
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from prevention.models import Hotspot, Risk
from tests import factories as f


@pytest.fixture
def risks(db) -> list[Risk]:
    return [Risk.objects.create(name="Pickpocketing"), Risk.objects.create(name="Express kidnapping")]


def create_url(district) -> str:
    return reverse("prevention:hotspot-create", args=[district.pk])


def edit_url(hotspot) -> str:
    return reverse("prevention:hotspot-edit", args=[hotspot.pk])


def hotspot_data(**changes) -> dict:
    data = {
        "name": "Osh Bazaar",
        "kind": "market",
        "description": "The largest market of the city.",
        "latitude": "42.874700",
        "longitude": "74.571200",
        "advice": "Keep bags in front of you.",
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_police_add_a_hotspot_with_risks_and_an_initiative_of_their_district(client, world, risks):
    a = world.a
    client.force_login(a.police)
    response = client.post(
        create_url(a.district),
        hotspot_data(risks=[risks[0].pk], initiatives=[a.initiative.pk]),
    )
    assert response.status_code == 302
    hotspot = Hotspot.objects.get()
    assert (hotspot.district, hotspot.region) == (a.district, a.district.region)
    assert hotspot.latitude == Decimal("42.874700")
    assert list(hotspot.risks.all()) == [risks[0]]
    assert list(hotspot.initiatives.all()) == [a.initiative]
    assert hotspot.is_published


def test_the_form_lists_risks_as_checkboxes_and_only_initiatives_of_the_district(client, world, risks):
    client.force_login(world.a.official)
    response = client.get(create_url(world.a.district))
    assert response.status_code == 200
    assert re.search(r'type="checkbox"[^>]*name="risks"', response.text)
    assert "Express kidnapping" in response.text
    assert world.a.initiative.title in response.text
    assert world.b.initiative.title not in response.text


def test_a_hotspot_without_coordinates_is_fine(client, world):
    client.force_login(world.a.police)
    response = client.post(create_url(world.a.district), hotspot_data(latitude="", longitude=""))
    assert response.status_code == 302
    assert Hotspot.objects.get().latitude is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"longitude": ""}, "longitude", "Give the longitude too"),
        ({"latitude": ""}, "latitude", "Give the latitude too"),
        ({"latitude": "91"}, "latitude", "less than or equal to 90"),
        ({"longitude": "-180.5"}, "longitude", "greater than or equal to -180"),
        ({"name": ""}, "name", "This field is required"),
        ({"kind": "volcano"}, "kind", "Select a valid choice"),
    ],
)
def test_invalid_hotspot_input_shows_field_errors_and_writes_nothing(client, world, changes, field, message):
    client.force_login(world.a.police)
    response = client.post(create_url(world.a.district), hotspot_data(**changes))
    assert response.status_code == 200
    assert message in response.text
    assert field in response.context["form"].errors
    assert not Hotspot.objects.exists()


def test_an_initiative_of_another_district_is_refused(client, world):
    client.force_login(world.a.official)
    response = client.post(create_url(world.a.district), hotspot_data(initiatives=[world.b.initiative.pk]))
    assert response.status_code == 200
    assert "initiatives" in response.context["form"].errors
    assert "Select a valid choice" in response.text
    assert world.a.initiative.title in response.text
    assert not Hotspot.objects.exists()


def checkbox(page: str, name: str, value: int) -> re.Match | None:
    return re.search(rf'<input type="checkbox"[^>]*name="{name}" value="{value}"[^>]*>', page)


def test_each_initiative_is_a_checkbox_its_label_ticks(client, world):
    client.force_login(world.a.official)
    page = client.get(create_url(world.a.district)).text
    box = checkbox(page, "initiatives", world.a.initiative.pk)
    assert box is not None
    assert "checked" not in box.group()
    box_id = re.search(r'id="([^"]+)"', box.group()).group(1)
    assert re.search(
        rf'<label for="{box_id}" class="form-check-label">\s*{world.a.initiative.title} \(', page
    )


def test_a_ticked_initiative_stays_ticked_after_an_invalid_submit(client, world):
    other = f.InitiativeFactory(priority=world.a.priority, title="Street lighting")
    client.force_login(world.a.police)
    response = client.post(
        create_url(world.a.district), hotspot_data(latitude="91", initiatives=[world.a.initiative.pk])
    )
    assert response.status_code == 200
    assert "less than or equal to 90" in response.text
    assert " checked" in checkbox(response.text, "initiatives", world.a.initiative.pk).group()
    assert " checked" not in checkbox(response.text, "initiatives", other.pk).group()


def test_a_hotspots_initiatives_are_ticked_when_it_is_changed(client, world):
    hotspot = f.HotspotFactory(district=world.a.district)
    hotspot.initiatives.add(world.a.initiative)
    client.force_login(world.a.police)
    page = client.get(edit_url(hotspot)).text
    assert " checked" in checkbox(page, "initiatives", world.a.initiative.pk).group()


def test_the_initiative_list_scrolls_in_a_box_with_a_filter_for_its_options(client, world):
    """A district has hundreds of initiatives: the checkboxes sit in a scrolling box that the filter (shown
    by static/js/app.js) narrows; without script the box and every checkbox are still there."""
    client.force_login(world.a.police)
    page = client.get(create_url(world.a.district)).text
    box = re.search(
        r'<div id="id_initiatives_options"[^>]*data-checklist-options>(.*?)</div></div>', page, re.S
    )
    assert box is not None
    assert f'value="{world.a.initiative.pk}"' in box.group(1)
    filter_input = re.search(r"<input[^>]*data-checklist-filter>", page).group()
    assert 'aria-controls="id_initiatives_options"' in filter_input
    assert 'aria-label="Narrow the list: Initiatives addressing it"' in filter_input
    assert "data-checklist-ticked-only" in page
    assert "js/app.js" in page


def test_partner_cannot_add_a_hotspot(client, world):
    client.force_login(world.a.partner)
    assert client.post(create_url(world.a.district), hotspot_data()).status_code == 403
    assert not Hotspot.objects.exists()


def test_police_of_another_district_get_not_found(client, world):
    client.force_login(world.b.police)
    assert client.get(create_url(world.a.district)).status_code == 404
    hotspot = f.HotspotFactory(district=world.a.district)
    assert client.get(edit_url(hotspot)).status_code == 404


def test_police_change_a_hotspot_and_unpublish_it(client, world, risks):
    hotspot = f.HotspotFactory(district=world.a.district, name="Osh Bazaar", is_published=True)
    client.force_login(world.a.police)
    data = hotspot_data(risks=[r.pk for r in risks], advice="Use the guarded car park.")
    del data["is_published"]
    response = client.post(edit_url(hotspot), {**data, "edit_version": hotspot.version})
    assert response.status_code == 302
    hotspot.refresh_from_db()
    assert hotspot.advice == "Use the guarded car park."
    assert not hotspot.is_published
    assert set(hotspot.risks.all()) == set(risks)
    assert hotspot.version == 2


def test_a_stale_hotspot_edit_is_refused(client, world):
    hotspot = f.HotspotFactory(district=world.a.district, name="Osh Bazaar")
    client.force_login(world.a.official)
    client.post(edit_url(hotspot), {**hotspot_data(advice="First"), "edit_version": hotspot.version})
    client.force_login(world.a.police)
    response = client.post(
        edit_url(hotspot), {**hotspot_data(advice="Second"), "edit_version": hotspot.version}
    )
    assert response.status_code == 200
    assert "changed this record" in response.text
    hotspot.refresh_from_db()
    assert hotspot.advice == "First"


def test_after_a_stale_refusal_saving_the_form_again_replaces_the_other_change(client, world):
    """The refusal is said once: the form shown again carries the version saved meanwhile, so the user
    who compared and saves again is not refused for ever (they would have to retype everything)."""
    hotspot = f.HotspotFactory(district=world.a.district, name="Osh Bazaar")
    opened_at = hotspot.version
    client.force_login(world.a.official)
    client.post(edit_url(hotspot), {**hotspot_data(advice="First"), "edit_version": opened_at})
    client.force_login(world.a.police)
    refused = client.post(edit_url(hotspot), {**hotspot_data(advice="Second"), "edit_version": opened_at})
    carried = re.search(r'name="edit_version" value="(\d+)"', refused.text).group(1)
    assert int(carried) == opened_at + 1
    assert 'value="Second"' in refused.text or "Second</textarea>" in refused.text

    saved = client.post(edit_url(hotspot), {**hotspot_data(advice="Second"), "edit_version": carried})

    assert saved.status_code == 302
    hotspot.refresh_from_db()
    assert (hotspot.advice, hotspot.version) == ("Second", opened_at + 2)


def test_the_stale_refusal_says_when_in_the_sites_time_zone(client, world, settings):
    settings.TIME_ZONE = "Asia/Bishkek"
    hotspot = f.HotspotFactory(district=world.a.district, name="Osh Bazaar")
    client.force_login(world.a.official)
    client.post(edit_url(hotspot), {**hotspot_data(advice="First"), "edit_version": hotspot.version})
    saved_at = hotspot.history.first().history_date
    client.force_login(world.a.police)
    refused = client.post(
        edit_url(hotspot), {**hotspot_data(advice="Second"), "edit_version": hotspot.version}
    )
    local = timezone.localtime(saved_at, zoneinfo.ZoneInfo("Asia/Bishkek"))
    assert formats.date_format(local, "DATETIME_FORMAT") in html.unescape(refused.text)


def test_an_invalid_edit_writes_nothing(client, world):
    hotspot = f.HotspotFactory(district=world.a.district, name="Osh Bazaar")
    client.force_login(world.a.police)
    response = client.post(
        edit_url(hotspot), {**hotspot_data(name="Renamed", latitude="95"), "edit_version": hotspot.version}
    )
    assert response.status_code == 200
    assert "latitude" in response.context["form"].errors
    hotspot.refresh_from_db()
    assert hotspot.name == "Osh Bazaar"


def test_partner_may_not_change_a_hotspot(client, world):
    hotspot = f.HotspotFactory(district=world.a.district)
    client.force_login(world.a.partner)
    assert client.post(edit_url(hotspot), hotspot_data()).status_code == 403
