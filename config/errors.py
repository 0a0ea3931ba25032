"""Friendly error pages that never fail themselves (the 500 page renders without a request context)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("500.html").render())


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the process answers. Touches no database, so it is also the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")
