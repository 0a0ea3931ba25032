"""Crime statistics through HTTP: the police and officials of a district add a year and correct a figure."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from prevention.models import CrimeStatistic
from tests import factories as f


def create_url(district) -> str:
    return reverse("prevention:crime-statistic-create", args=[district.pk])


def edit_url(statistic) -> str:
    return reverse("prevention:crime-statistic-edit", args=[statistic.pk])


def year_data(year, **counts) -> dict:
    data = {"year": year, "source": "District police annual report"}
    data.update({f"count_{category}": count for category, count in counts.items()})
    return data


def edit_data(statistic, **changes) -> dict:
    data = {
        "year": statistic.year,
        "category": statistic.category,
        "count": statistic.count,
        "source": statistic.source,
        "edit_version": statistic.version,
    }
    data.update(changes)
    return data


def trend_payload(response) -> dict:
    marker = '<script id="crime-trend-data" type="application/json">'
    start = response.text.index(marker) + len(marker)
    return json.loads(response.text[start : response.text.index("</script>", start)])


def test_police_add_next_years_statistics_and_the_dashboard_trend_shows_it(client, world):
    a = world.a
    f.CrimeStatisticFactory(district=a.district, year=2016, count=4023)
    client.force_login(a.police)

    response = client.post(
        create_url(a.district), year_data(2017, total=3900, burglary=410, juvenile=0), follow=True
    )

    assert response.status_code == 200
    assert "Saved 3 figures" in response.text
    saved = CrimeStatistic.objects.get(district=a.district, year=2017, category="total")
    assert saved.count == 3900
    assert saved.entered_by == a.police
    assert CrimeStatistic.objects.get(district=a.district, year=2017, category="juvenile").count == 0
    trend = trend_payload(client.get(reverse("prevention:dashboard")))
    assert trend["labels"] == [2016, 2017]
    assert trend["datasets"][0]["data"] == [1341.0, 1300.0]  # per 100,000 of 300,000 inhabitants


def test_official_of_the_district_adds_statistics(client, world):
    client.force_login(world.a.official)
    response = client.post(create_url(world.a.district), year_data(2018, theft=120), follow=True)
    assert "Saved 1 figure of District A for 2018." in response.text
    assert CrimeStatistic.objects.filter(district=world.a.district, year=2018, category="theft").exists()


def test_the_form_offers_every_category_for_the_year_asked(client, world):
    client.force_login(world.a.police)
    response = client.get(create_url(world.a.district) + "?year=2019")
    assert response.status_code == 200
    assert 'value="2019"' in response.text
    for label in CrimeStatistic.Category.labels:
        assert str(label) in response.text


def test_the_form_proposes_the_year_after_the_latest_figures(client, world):
    f.CrimeStatisticFactory(district=world.a.district, year=2019)
    client.force_login(world.a.police)
    assert client.get(create_url(world.a.district)).context["form"]["year"].value() == 2020


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (year_data(2017, total=-3), "count_total", "greater than or equal to 0"),
        (year_data(2017, total="many"), "count_total", "Enter a whole number"),
        (year_data(1850, total=10), "year", "greater than or equal to 1900"),
        (year_data(2999, total=10), "year", "Figures can be entered up to"),
        (year_data("", total=10), "year", "This field is required"),
    ],
)
def test_invalid_statistics_show_field_errors_and_write_nothing(client, world, data, field, message):
    client.force_login(world.a.police)
    response = client.post(create_url(world.a.district), {**data, "count_burglary": 12})
    assert response.status_code == 200
    assert message in response.text
    assert field in response.context["form"].errors
    # The message sits under its field, which is marked invalid and points to it.
    assert f'<div id="id_{field}_error" class="invalid-feedback">' in response.text
    assert "is-invalid" in response.text
    assert not CrimeStatistic.objects.exists()


def test_a_year_without_any_count_is_refused(client, world):
    client.force_login(world.a.police)
    response = client.post(create_url(world.a.district), year_data(2017))
    assert response.status_code == 200
    assert "Give the count of at least one category." in response.text
    assert not CrimeStatistic.objects.exists()


def test_duplicate_year_and_category_is_refused_with_a_message_and_nothing_of_the_year_saved(client, world):
    a = world.a
    f.CrimeStatisticFactory(district=a.district, year=2017, category="burglary", count=400)
    client.force_login(a.police)

    response = client.post(create_url(a.district), year_data(2017, total=3900, burglary=410))

    assert response.status_code == 200
    assert "already has a figure for Burglary in 2017" in response.text
    assert "count_burglary" in response.context["form"].errors
    assert CrimeStatistic.objects.count() == 1
    assert CrimeStatistic.objects.get().count == 400


def test_the_same_category_and_year_in_another_district_is_not_a_duplicate(client, world):
    f.CrimeStatisticFactory(district=world.b.district, year=2017, category="total")
    client.force_login(world.a.police)
    response = client.post(create_url(world.a.district), year_data(2017, total=3900))
    assert response.status_code == 302
    assert CrimeStatistic.objects.filter(year=2017, category="total").count() == 2


def test_partner_cannot_add_statistics(client, world):
    client.force_login(world.a.partner)
    response = client.post(create_url(world.a.district), year_data(2017, total=3900))
    assert response.status_code == 403
    assert "Your role does not allow this" in response.text
    assert "you cannot change it" not in response.text
    assert not CrimeStatistic.objects.exists()


def test_police_of_another_district_get_not_found(client, world):
    client.force_login(world.b.police)
    assert client.get(create_url(world.a.district)).status_code == 404
    assert client.post(create_url(world.a.district), year_data(2017, total=1)).status_code == 404
    assert not CrimeStatistic.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(create_url(world.a.district))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_after_saving_the_user_returns_to_the_page_they_came_from(client, world):
    client.force_login(world.a.police)
    response = client.post(
        create_url(world.a.district), {**year_data(2017, total=1), "next": "/dashboard/?role=police"}
    )
    assert response["Location"] == "/dashboard/?role=police"
    response = client.post(
        create_url(world.a.district), {**year_data(2018, total=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("prevention:dashboard")


# Correcting one figure -------------------------------------------------------------------------------


def test_police_correct_a_figure(client, world):
    statistic = f.CrimeStatisticFactory(district=world.a.district, year=2016, count=4023)
    client.force_login(world.a.police)
    response = client.post(edit_url(statistic), edit_data(statistic, count=4100))
    assert response.status_code == 302
    statistic.refresh_from_db()
    assert statistic.count == 4100
    assert statistic.version == 2


def test_a_correction_onto_an_existing_year_and_category_is_refused(client, world):
    f.CrimeStatisticFactory(district=world.a.district, year=2017, category="total", count=10)
    statistic = f.CrimeStatisticFactory(district=world.a.district, year=2016, category="total", count=20)
    client.force_login(world.a.police)
    response = client.post(edit_url(statistic), edit_data(statistic, year=2017))
    assert response.status_code == 200
    assert "already has a figure for Total registered crimes in 2017" in response.text
    statistic.refresh_from_db()
    assert statistic.year == 2016


def test_an_invalid_correction_shows_field_errors_and_writes_nothing(client, world):
    statistic = f.CrimeStatisticFactory(district=world.a.district, year=2016, count=4023)
    client.force_login(world.a.police)
    response = client.post(edit_url(statistic), edit_data(statistic, count=-1, year=timezone.now().year + 1))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"count", "year"}
    statistic.refresh_from_db()
    assert (statistic.count, statistic.year) == (4023, 2016)


def test_a_stale_correction_is_refused_naming_who_changed_the_figure(client, world):
    statistic = f.CrimeStatisticFactory(district=world.a.district, year=2016, count=4023)
    client.force_login(world.a.official)
    client.post(edit_url(statistic), edit_data(statistic, count=4050))
    client.force_login(world.a.police)

    response = client.post(edit_url(statistic), edit_data(statistic, count=4100))  # the version it opened

    assert response.status_code == 200
    assert "changed this record" in response.text
    assert 'value="4100"' in response.text  # the police's input is still in the form
    statistic.refresh_from_db()
    assert statistic.count == 4050


def test_partner_may_not_correct_a_figure(client, world):
    statistic = f.CrimeStatisticFactory(district=world.a.district)
    client.force_login(world.a.partner)
    assert client.post(edit_url(statistic), edit_data(statistic, count=1)).status_code == 403
    client.force_login(world.b.police)
    assert client.post(edit_url(statistic), edit_data(statistic, count=1)).status_code == 404
    statistic.refresh_from_db()
    assert statistic.count == 4023


def test_a_category_above_the_years_total_is_refused_in_the_year_form_and_in_a_correction(client, world):
    """Every category is part of the total registered crimes: burglary 500 of a total of 10 is a typo."""
    a = world.a
    client.force_login(a.police)
    response = client.post(create_url(a.district), year_data(2020, total=10, burglary=500, theft=7))
    assert "Burglary (500) cannot be more than the year&#x27;s total registered crimes (10)." in response.text
    assert list(response.context["form"].errors) == ["count_burglary"]
    assert not CrimeStatistic.objects.exists()

    # Entered in two steps, the stored total still counts; and so does a correction of the total.
    assert client.post(create_url(a.district), year_data(2020, total=10)).status_code == 302
    refused = client.post(create_url(a.district), year_data(2020, burglary=500))
    assert "count_burglary" in refused.context["form"].errors
    assert client.post(create_url(a.district), year_data(2020, burglary=8)).status_code == 302
    total = CrimeStatistic.objects.get(category="total")
    refused = client.post(edit_url(total), edit_data(total, count=5))
    assert (
        "The total registered crimes (5) cannot be less than a category&#x27;s figure already recorded "
        "for the year: Burglary (8)." in refused.text
    )
    total.refresh_from_db()
    assert total.count == 10


def test_a_total_already_recorded_is_refused_with_that_message_alone(client, world):
    # The refused total is not checked against the year's other figures: their fields were left empty.
    a = world.a
    client.force_login(a.police)
    assert (
        client.post(create_url(a.district), year_data(2019, total=3712, burglary=351, theft=900)).status_code
        == 302
    )
    response = client.post(create_url(a.district), year_data(2019, total=5, robbery=2))
    errors = response.context["form"].errors
    assert list(errors) == ["count_total"]
    assert len(errors["count_total"]) == 1
    assert "already has a figure for Total registered crimes in 2019" in errors["count_total"][0]
    assert not CrimeStatistic.objects.filter(category="robbery").exists()
