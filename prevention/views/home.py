from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from prevention.views.public import public_countries


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: straight to the user's dashboard. Anonymous: what the product is, the public pages, sign-in."""
    if request.user.is_authenticated:
        return redirect("prevention:dashboard")
    return render(request, "prevention/home_public.html", {"safety_countries": public_countries()})
