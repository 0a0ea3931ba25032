"""Indicators of a plan: the page of one indicator with its measurements, and their forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access
from prevention.forms.indicators import IndicatorForm, MeasurementForm
from prevention.models import ActionPlan, Indicator, Measurement
from prevention.once import once_only
from prevention.views.plans import save_form


def _chart(indicator: Indicator, measurements: list[Measurement]) -> dict:
    """Measurements over time with the baseline and target as flat lines, for static/js/charts.js."""
    ordered = sorted(measurements, key=lambda measurement: measurement.measured_on)
    labels = [measurement.measured_on.isoformat() for measurement in ordered]
    # Floats only for drawing; the table prints the exact values.
    return {
        "type": "line",
        "labels": labels,
        "datasets": [
            {
                "label": indicator.name,
                "data": [float(measurement.value) for measurement in ordered],
                "emphasis": True,
            },
            {
                "label": _("Baseline"),
                "data": [float(indicator.baseline_value)] * len(ordered),
                "dashed": True,
            },
            {"label": _("Target"), "data": [float(indicator.target_value)] * len(ordered), "dashed": True},
        ],
        "yLabel": indicator.unit,
    }


@login_required
@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access.get_for_user(
        request.user,
        Indicator.objects.with_latest().select_related("plan__district", "priority__issue", "initiative"),
        pk=pk,
    )
    measurements = list(indicator.measurements.select_related("entered_by").order_by("-measured_on", "-pk"))
    return render(
        request,
        "prevention/indicator_detail.html",
        {
            "indicator": indicator,
            "plan": indicator.plan,
            "measurements": measurements,
            "chart": _chart(indicator, measurements),
            "can_edit": access.can_change(request.user, indicator),
            # Donors read the indicators of what they fund, not the plan around them.
            "sees_plan": ActionPlan.objects.visible_to(request.user).filter(pk=indicator.plan_id).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_only
def indicator_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = access.get_for_user(
        request.user, ActionPlan.objects.select_related("district"), write=True, pk=plan_pk
    )
    initial = {"initiative": request.GET.get("initiative")} if request.GET.get("initiative") else None
    form = IndicatorForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The indicator was added. Enter its first measurement when you have it."))
        return redirect("prevention:indicator-detail", pk=form.instance.pk)
    return render(request, "prevention/indicator_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access.get_for_user(
        request.user, Indicator.objects.select_related("plan__district"), write=True, pk=pk
    )
    form = IndicatorForm(request.POST or None, instance=indicator, plan=indicator.plan)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The indicator was saved."))
        return redirect("prevention:indicator-detail", pk=indicator.pk)
    return render(
        request,
        "prevention/indicator_form.html",
        {"form": form, "plan": indicator.plan, "indicator": indicator},
    )


@login_required
@require_http_methods(["GET", "POST"])
def measurement_create(request: HttpRequest, indicator_pk: int) -> HttpResponse:
    indicator = access.get_for_user(
        request.user, Indicator.objects.select_related("plan__district"), write=True, pk=indicator_pk
    )
    form = MeasurementForm(
        request.POST or None, indicator=indicator, initial={"measured_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        form.instance.entered_by = request.user
        if save_form(form):
            messages.success(request, _("The measurement was recorded."))
            return redirect("prevention:indicator-detail", pk=indicator.pk)
    return render(request, "prevention/measurement_form.html", {"form": form, "indicator": indicator})


@login_required
@require_http_methods(["GET", "POST"])
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a measurement (a wrong value or date), refused if someone saved it meanwhile. The
    history keeps what it said before."""
    measurement = access.get_for_user(
        request.user, Measurement.objects.select_related("indicator__plan__district"), write=True, pk=pk
    )
    indicator = measurement.indicator
    form = MeasurementForm(request.POST or None, instance=measurement, indicator=indicator)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The measurement was corrected."))
        return redirect("prevention:indicator-detail", pk=indicator.pk)
    return render(
        request,
        "prevention/measurement_form.html",
        {"form": form, "indicator": indicator, "measurement": measurement},
    )
