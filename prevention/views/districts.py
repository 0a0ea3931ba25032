"""The district page: population, crime statistics with their trend, plans, hotspots, safety contacts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import access
from prevention import progress as rules
from prevention.models import (
    ActionPlan,
    CrimeStatistic,
    District,
    Hotspot,
    Initiative,
    SafetyContact,
)
from prevention.models.plans import PROGRESS_FIELDS, progress_of
from prevention.views.navigation import url_by_pk

# The chart draws these categories (when present) besides the total; the table shows every category.
CHART_CATEGORIES = [
    CrimeStatistic.Category.TOTAL,
    CrimeStatistic.Category.PUBLIC_ORDER,
    CrimeStatistic.Category.BURGLARY,
    CrimeStatistic.Category.THEFT,
    CrimeStatistic.Category.ROAD_ACCIDENTS,
    CrimeStatistic.Category.JUVENILE,
]


@dataclass
class StatisticCell:
    count: int
    rate: Decimal | None
    edit_url: str


@dataclass
class StatisticRow:
    category: str
    label: str
    cells: list[StatisticCell | None]


def _point(cell: StatisticCell | None, by_rate: bool) -> float | int | None:
    # Floats only for drawing; the table prints the exact figures.
    if cell is None:
        return None
    if by_rate:
        return float(cell.rate) if cell.rate is not None else None
    return cell.count


def _statistics(district: District) -> tuple[list[int], list[StatisticRow], dict]:
    """The table (years across, categories down) and the chart data, from one query."""
    statistics = district.crime_statistics.order_by("year", "category")
    edit_url = url_by_pk("prevention:crime-statistic-edit")
    cells: dict[tuple[int, str], StatisticCell] = {}
    for statistic in statistics:
        cells[(statistic.year, statistic.category)] = StatisticCell(
            count=statistic.count,
            rate=district.rate_per_100k(statistic.count),
            edit_url=edit_url(statistic.pk),
        )
    # Every year from the first to the last, a year without figures too: the chart shows the gap instead
    # of joining 2020 to 2022 as if they were neighbours, and the table shows an empty column.
    recorded = {year for year, _category in cells}
    years = list(range(min(recorded), max(recorded) + 1)) if recorded else []
    present = {category for _year, category in cells}
    rows = [
        StatisticRow(category=value, label=str(label), cells=[cells.get((year, value)) for year in years])
        for value, label in CrimeStatistic.Category.choices
        if value in present
    ]
    by_rate = bool(district.population)
    datasets = []
    for row in rows:
        if row.category not in CHART_CATEGORIES:
            continue
        datasets.append(
            {
                "label": row.label,
                "data": [_point(cell, by_rate) for cell in row.cells],
                "counts": [cell.count if cell else None for cell in row.cells],
                "emphasis": row.category == CrimeStatistic.Category.TOTAL,
            }
        )
    chart = {
        "type": "line",
        "labels": years,
        "datasets": datasets,
        "yLabel": _("Per 100,000 inhabitants") if by_rate else _("Registered cases"),
        "countLabel": _("cases"),
    }
    return years, rows, chart


@login_required
@require_GET
def district_detail(request: HttpRequest, pk: int) -> HttpResponse:
    district = access.get_for_user(request.user, District.objects.select_related("region__country"), pk=pk)
    years, rows, chart = _statistics(district)
    plans = list(ActionPlan.objects.visible_to(request.user).filter(district=district))
    progress_by_plan: dict[int, list[Decimal]] = defaultdict(list)
    # Plain rows: a district holds a thousand initiatives, and the page shows only their average per plan.
    initiatives = (
        Initiative.objects.visible_to(request.user)
        .filter(priority__plan__district=district)
        .exclude(status=Initiative.Status.CANCELLED)
        .with_progress()
        .values("status", *PROGRESS_FIELDS, plan_pk=F("priority__plan_id"))
    )
    for row in initiatives:
        progress_by_plan[row["plan_pk"]].append(progress_of(row))
    for plan in plans:
        plan.initiative_count = len(progress_by_plan[plan.pk])
        plan.progress_figure = rules.plan_progress(progress_by_plan[plan.pk])
    hotspots = (
        Hotspot.objects.visible_to(request.user)
        .filter(Q(district=district) | Q(district__isnull=True, region=district.region_id))
        .filter(Q(is_published=True) | Q(district=district))
        .select_related("district")
        .prefetch_related("risks")
        .order_by("district", "name")
    )
    contacts = SafetyContact.objects.filter(
        Q(district=district) | Q(district__isnull=True, country=district.region.country_id)
    ).order_by("-district", "order", "name")
    return render(
        request,
        "prevention/district_detail.html",
        {
            "district": district,
            "years": years,
            "statistic_rows": rows,
            "chart": chart,
            "plans": plans,
            "hotspots": hotspots,
            "contacts": contacts,
            "may_plan": access.can_plan_in(request.user, district),
            "may_record": access.can_record_in(request.user, district),
        },
    )
