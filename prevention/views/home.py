from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from prevention.models import ActionPlan, District


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the user's districts and their plans. Anonymous: what the product is, and sign-in."""
    if not request.user.is_authenticated:
        return render(request, "prevention/home_public.html")
    districts = District.objects.filter(
        pk__in=ActionPlan.objects.visible_to(request.user).values("district")
    ).select_related("region__country") | District.objects.filter(memberships__user=request.user)
    plans = ActionPlan.objects.visible_to(request.user).select_related("district")
    return render(
        request,
        "prevention/home.html",
        {"districts": districts.distinct().order_by("name"), "plans": plans},
    )
