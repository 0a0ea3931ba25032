"""Hotspots: the police and officials of a district record places of risk and the advice for them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access
from prevention.forms.hotspots import HotspotForm
from prevention.models import Hotspot
from prevention.once import once_only
from prevention.views.navigation import safe_next
from prevention.views.plans import save_form
from prevention.views.statistics import district_for_recording


def _saved(request: HttpRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(safe_next(request, reverse("prevention:dashboard")))


@login_required
@require_http_methods(["GET", "POST"])
@once_only
def hotspot_create(request: HttpRequest, district_pk: int) -> HttpResponse:
    district = district_for_recording(request.user, district_pk)
    hotspot = Hotspot(district=district, region=district.region)
    form = HotspotForm(request.POST or None, instance=hotspot, user=request.user)
    if request.method == "POST" and form.is_valid() and save_form(form):
        return _saved(request, _("The hotspot %(name)s was added.") % {"name": form.instance.name})
    return render(
        request,
        "prevention/hotspot_form.html",
        {"form": form, "district": district, "hotspot": None, "next": safe_next(request, "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hotspot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hotspot = access.get_for_user(
        request.user, Hotspot.objects.select_related("district", "region"), write=True, pk=pk
    )
    form = HotspotForm(request.POST or None, instance=hotspot, user=request.user)
    if request.method == "POST" and form.is_valid() and save_form(form):
        return _saved(request, _("The hotspot %(name)s was saved.") % {"name": form.instance.name})
    return render(
        request,
        "prevention/hotspot_form.html",
        {"form": form, "district": hotspot.district, "hotspot": hotspot, "next": safe_next(request, "")},
    )
