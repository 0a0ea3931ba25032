"""The dashboards' shortcuts for links, dates and progress bars write what Django's own tags would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import translation

DAYS = (dt.date(2024, 3, 5), dt.date(2023, 5, 31), dt.date(2025, 12, 1))


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load prevention_tags %}" + source).render(context)


@pytest.mark.parametrize("language", ["en", "ru", "ky", "es"])
def test_a_day_reads_as_djangos_date_filter_writes_it(language: str) -> None:
    with translation.override(language):
        for day in DAYS:
            expected = render('{{ d|date:"DATE_FORMAT" }} | {{ d|date:"j M Y" }}', d=day)
            assert render('{{ d|day:"DATE_FORMAT" }} | {{ d|day:"j M Y" }}', d=day) == expected


def test_a_day_follows_the_language_it_is_shown_in() -> None:
    with translation.override("en"):
        english = render('{{ d|day:"DATE_FORMAT" }}', d=DAYS[0])
    with translation.override("ru"):
        russian = render('{{ d|day:"DATE_FORMAT" }}', d=DAYS[0])
    assert english == "5 Mar 2024"
    assert russian == "5 марта 2024 г."


def test_english_dates_put_the_day_first_never_the_month():
    """03/05/2024 is the 3rd of May to a reader in Bishkek: English pages write "5 Mar 2024"."""
    with translation.override("en"):
        short = render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=DAYS[0])
        moment = render('{{ d|date:"DATETIME_FORMAT" }}', d=dt.datetime(2024, 3, 5, 16, 30))
    assert (short, moment) == ("5 Mar 2024", "5 Mar 2024, 16:30")


def test_no_day_is_written_as_nothing() -> None:
    assert render('{{ d|day:"DATE_FORMAT" }}', d=None) == ""


def test_a_link_by_pk_is_the_objects_url() -> None:
    assert render('{{ 7|pk_url:"prevention:milestone-edit" }}') == reverse(
        "prevention:milestone-edit", args=[7]
    )


def test_a_link_by_pk_follows_the_sites_sub_path() -> None:
    render('{{ 7|pk_url:"prevention:milestone-edit" }}')
    set_script_prefix("/safer/")
    try:
        under_sub_path = render('{{ 7|pk_url:"prevention:milestone-edit" }}')
    finally:
        set_script_prefix("/")
    assert under_sub_path == "/safer" + reverse("prevention:milestone-edit", args=[7])


def test_a_progress_bar_shows_the_figure_in_the_users_language() -> None:
    with translation.override("ru"):
        html = render("{% progress_bar value label %}", value=Decimal("45.5"), label="Plan & more")
    assert 'aria-label="Plan &amp; more" aria-valuenow="45,5"' in html
    assert "w-pct-45" in html
    assert "45,5 %</span>" in html


def test_a_progress_bar_without_a_figure_shows_a_dash() -> None:
    html = render('{% progress_bar value "Plan" "bg-info" %}', value=None)
    assert 'aria-valuenow="0"' in html
    assert 'class="progress-bar bg-info w-pct-0"' in html
    assert "–</span>" in html


def test_the_progress_bar_partial_draws_the_same_bar() -> None:
    partial = render(
        '{% include "prevention/includes/_progress_bar.html" with value=value label="Plan" %}', value=12
    )
    assert partial.strip() == render('{% progress_bar value "Plan" %}', value=12)
