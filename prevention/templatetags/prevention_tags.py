from __future__ import annotations

from decimal import Decimal

from django import template

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


@register.filter
def money(value: Decimal | None) -> str:
    """An amount with thousands separators and two decimals; the currency is printed beside it."""
    if value is None:
        return "–"
    return f"{value:,.2f}"
