"""The public pages: published plans with their progress, and each country's safety advice.

Anyone reads them without signing in, so they show only what is meant for the public: published plans
and hotspots, verified activity logs counted (never listed, never with their authors or evidence),
organisations rather than people, and crime figures with small counts hidden. They do not go through
the access module: the public holds no membership, and "published" is the whole of its scope.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from prevention import progress as rules
from prevention.models import (
    ActionPlan,
    ActivityLog,
    Country,
    CrimeStatistic,
    District,
    Hotspot,
    Indicator,
    Initiative,
    SafetyContact,
)
from prevention.models.statistics import SMALL_COUNT_THRESHOLD
from prevention.views.plans import PriorityRow


def public_countries() -> QuerySet[Country]:
    """Countries with something on their safety page: a contact, a published hotspot or plan."""
    # EXISTS rather than joins: joining contacts, hotspots and plans would multiply their rows.
    country = OuterRef("pk")
    return Country.objects.filter(
        Exists(SafetyContact.objects.filter(country=country))
        | Exists(Hotspot.objects.published().filter(region__country=country))
        | Exists(ActionPlan.objects.published().filter(district__region__country=country))
    ).order_by("name")


def _published_plans() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.published().select_related("district__region__country")


def _with_progress(plans: QuerySet[ActionPlan]) -> list[ActionPlan]:
    """The plans, each with ``progress_figure`` and ``initiative_count``: two queries for any number.

    The plan rule of ``prevention.progress``: the plain average of the initiatives, cancelled ones left out.
    """
    progresses: dict[int, list[Decimal]] = defaultdict(list)
    initiatives = (
        Initiative.objects.filter(priority__plan__in=plans.values("pk"))
        .exclude(status=Initiative.Status.CANCELLED)
        .select_related("priority")
        .with_progress()
    )
    for initiative in initiatives:
        progresses[initiative.priority.plan_id].append(initiative.progress)
    plans = list(plans)
    for plan in plans:
        plan.initiative_count = len(progresses[plan.pk])
        plan.progress_figure = rules.plan_progress(progresses[plan.pk])
    return plans


@dataclass
class DistrictPlans:
    district: District
    plans: list[ActionPlan] = field(default_factory=list)


@dataclass
class CountryPlans:
    country: Country
    districts: list[DistrictPlans] = field(default_factory=list)


@require_safe
def public_plans(request: HttpRequest) -> HttpResponse:
    plans = _with_progress(
        _published_plans().order_by(
            "district__region__country__name", "district__name", "district__pk", "-period_start", "pk"
        )
    )
    countries: list[CountryPlans] = []
    for plan in plans:
        district = plan.district
        if not countries or countries[-1].country.pk != district.region.country_id:
            countries.append(CountryPlans(district.region.country))
        districts = countries[-1].districts
        if not districts or districts[-1].district.pk != district.pk:
            districts.append(DistrictPlans(district))
        districts[-1].plans.append(plan)
    return render(
        request,
        "prevention/public_plans.html",
        {"countries": countries, "safety_countries": public_countries()},
    )


@dataclass
class Reach:
    """What the plan's verified activity logs add up to; unverified logs are not counted."""

    activities: int = 0
    participants: int = 0
    women: int = 0
    youth: int = 0
    audience: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)


def _reach(plan: ActionPlan) -> Reach:
    rows = (
        ActivityLog.objects.verified()
        .filter(initiative__priority__plan=plan)
        .values("kind")
        .annotate(
            logs=Count("pk"),
            participants=Coalesce(Sum("participants_total"), 0),
            women=Coalesce(Sum("participants_women"), 0),
            youth=Coalesce(Sum("participants_youth"), 0),
            audience=Coalesce(Sum("audience_reached"), 0),
        )
        .order_by("kind")
    )
    reach = Reach()
    labels = dict(ActivityLog.Kind.choices)
    for row in rows:
        reach.activities += row["logs"]
        reach.participants += row["participants"]
        reach.women += row["women"]
        reach.youth += row["youth"]
        reach.audience += row["audience"]
        reach.by_kind.append((str(labels.get(row["kind"], row["kind"])), row["logs"]))
    reach.by_kind.sort(key=lambda kind: (-kind[1], kind[0]))
    return reach


@dataclass
class PublicFigure:
    """A crime figure as the public may see it: small counts in words, and no rate from them."""

    count: str
    rate: Decimal | None


@dataclass
class PublicStatisticRow:
    category: str
    label: str
    cells: list[PublicFigure | None]


def _public_statistics(district: District) -> tuple[list[int], list[PublicStatisticRow]]:
    """Years across, categories down, from one query; a count below 5 is "fewer than 5", without a rate."""
    cells: dict[tuple[int, str], PublicFigure] = {}
    for statistic in CrimeStatistic.objects.filter(district=district).order_by("year", "category"):
        small = statistic.count < SMALL_COUNT_THRESHOLD
        cells[(statistic.year, statistic.category)] = PublicFigure(
            count=statistic.public_count,
            rate=None if small else district.rate_per_100k(statistic.count),
        )
    years = sorted({year for year, _category in cells})
    present = {category for _year, category in cells}
    rows = [
        PublicStatisticRow(value, str(label), [cells.get((year, value)) for year in years])
        for value, label in CrimeStatistic.Category.choices
        if value in present
    ]
    return years, rows


@require_safe
def public_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_published_plans(), pk=pk)
    rows = {
        priority.pk: PriorityRow(priority)
        for priority in plan.priorities.select_related("issue").order_by("rank")
    }
    initiatives = (
        Initiative.objects.filter(priority__plan=plan)
        .select_related("lead_organisation")
        .with_progress()
        .order_by("priority__rank", "title", "pk")
    )
    counted = []
    for initiative in initiatives:
        rows[initiative.priority_id].initiatives.append(initiative)
        if initiative.status != Initiative.Status.CANCELLED:
            counted.append(initiative.progress)
    indicators = (
        Indicator.objects.filter(plan=plan)
        .with_latest()
        .select_related("priority__issue")
        .order_by("name", "pk")
    )
    years, statistic_rows = _public_statistics(plan.district)
    return render(
        request,
        "prevention/public_plan.html",
        {
            "plan": plan,
            "priority_rows": list(rows.values()),
            "plan_progress": rules.plan_progress(counted),
            "initiative_count": len(counted),
            "indicators": indicators,
            "reach": _reach(plan),
            "years": years,
            "statistic_rows": statistic_rows,
        },
    )


def _dial(phone: str) -> str:
    """The number for a tel: link: digits and a leading plus only."""
    digits = re.sub(r"[^\d]", "", phone)
    return f"+{digits}" if phone.strip().startswith("+") else digits


# Shown first and large: the country-wide numbers to call when something happens. In Bolivia that is
# the police's 110, in Kyrgyzstan the emergency 112.
FIRST_TO_CALL = {SafetyContact.Kind.EMERGENCY, SafetyContact.Kind.POLICE}


@dataclass
class RegionHotspots:
    name: str
    hotspots: list[Hotspot] = field(default_factory=list)


@require_safe
def public_safety(request: HttpRequest, iso_code: str) -> HttpResponse:
    if iso_code != iso_code.upper():
        return redirect("prevention:public-safety", iso_code=iso_code.upper(), permanent=True)
    country = get_object_or_404(Country, iso_code=iso_code)
    contacts = list(
        SafetyContact.objects.filter(country=country)
        .select_related("district")
        .order_by("order", "name", "pk")
    )
    for contact in contacts:
        contact.dial = _dial(contact.phone)
    addressed_by = (
        Initiative.objects.filter(priority__plan__is_published=True)
        .select_related("priority")
        .order_by("title", "pk")
    )
    hotspots = (
        Hotspot.objects.published()
        .filter(region__country=country)
        .select_related("region", "district")
        .prefetch_related("risks", Prefetch("initiatives", queryset=addressed_by))
        # Region-wide hotspots first within their region, then the districts' own.
        .order_by("region__name", "region__pk", F("district__name").asc(nulls_first=True), "name", "pk")
    )
    regions: list[RegionHotspots] = []
    risks = {}
    for hotspot in hotspots:
        if not regions or regions[-1].name != hotspot.region.name:
            regions.append(RegionHotspots(hotspot.region.name))
        regions[-1].hotspots.append(hotspot)
        for risk in hotspot.risks.all():
            risks[risk.pk] = risk
    plans = _with_progress(
        _published_plans()
        .filter(district__region__country=country)
        .order_by("district__name", "district__pk", "-period_start", "pk")
    )
    first = [c for c in contacts if c.kind in FIRST_TO_CALL and c.district_id is None]
    return render(
        request,
        "prevention/public_safety.html",
        {
            "country": country,
            "first_contacts": first,
            "contacts": [c for c in contacts if c not in first],
            "regions": regions,
            "risks": sorted(risks.values(), key=lambda risk: risk.name),
            "plans": plans,
            "safety_countries": public_countries(),
        },
    )
