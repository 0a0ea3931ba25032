from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from django import template
from django.template.context import Context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format, localize
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from prevention.views.navigation import url_by_pk

register = template.Library()


@register.filter
def pct_step(value: Decimal | float | int | None) -> int:
    """A percentage rounded to the nearest 5, clamped to 0-100, for the ``w-pct-N`` width classes.

    Bars cannot take a style attribute under the Content-Security-Policy; the exact figure is always
    printed next to the bar.
    """
    if value is None:
        return 0
    number = max(0.0, min(100.0, float(value)))
    return int(round(number / 5.0) * 5)


@register.simple_tag(takes_context=True)
def progress_bar(
    context: Context, value: Decimal | float | int | None, label: str, bar_class: str = ""
) -> SafeString:
    """``{% progress_bar value label %}``: a progress bar with the exact figure beside it (0-100 or None;
    the label is for screen readers; ``bar_class`` colours the bar).

    Written here rather than in a template: the dashboards draw forty bars, and including a template for
    each cost a tenth of a millisecond. ``includes/_progress_bar.html`` calls this tag.
    """
    return format_html(
        '<div class="d-flex align-items-center gap-2">\n'
        '  <div class="progress progress-thin flex-grow-1" role="progressbar" aria-label="{}"'
        ' aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">\n'
        '    <div class="progress-bar{} w-pct-{}"></div>\n'
        "  </div>\n"
        '  <span class="small text-nowrap progress-figure">{}</span>\n'
        "</div>",
        label,
        localize(0 if value is None else value, use_l10n=context.use_l10n),
        f" {bar_class}" if bar_class else "",
        pct_step(value),
        "–" if value is None else format_html("{} %", floatformat(value, 1)),
    )


@register.filter
def money(value: Decimal | None) -> str:
    """An amount with thousands separators and two decimals; the currency is printed beside it."""
    if value is None:
        return "–"
    return f"{value:,.2f}"


@register.filter
def pk_url(pk: int, name: str) -> str:
    """``{{ milestone.pk|pk_url:"prevention:milestone-edit" }}`` writes what ``{% url name pk %}`` does.

    The URL resolver took a tenth of a millisecond a link, and a dashboard writes a hundred such links;
    ``url_by_pk`` reverses each name once.
    """
    return url_by_pk(name)(pk)


@register.filter(expects_localtime=True)
def day(value: dt.date | None, arg: str = "DATE_FORMAT") -> str:
    """``{{ milestone.due_on|day:"DATE_FORMAT" }}`` writes what ``|date:"DATE_FORMAT"`` does, for a date.

    Formatting a date reads the format and translates a month's name each time; lists repeat the same
    few days, so each day is formatted once per format and language. Anything but a plain date (nothing,
    a datetime) goes to Django's ``date`` filter.
    """
    if type(value) is not dt.date:
        return date_filter(value, arg)
    # get_format() answers for the active language and forgets its answers when a format setting changes.
    return _formatted_day(value, get_format(arg), get_language())


@lru_cache(maxsize=4096)
def _formatted_day(value: dt.date, date_format: str, language: str | None) -> str:
    # The language is part of the key: month names are translated into the active language.
    return format_date(value, date_format)
