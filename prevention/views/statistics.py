"""Crime statistics: the police and officials of a district add a year's figures and correct one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.models import User
from prevention.forms.statistics import CrimeStatisticForm, CrimeStatisticYearForm
from prevention.models import CrimeStatistic, District
from prevention.views.navigation import safe_next
from prevention.views.plans import save_form


def district_for_recording(user: User, district_pk: int) -> District:
    """A district whose statistics and hotspots the user may enter: 404 outside their districts, 403 if
    they only read it (partners). The rule is the access module's for crime statistics and hotspots."""
    district = access.get_for_user(user, District.objects.select_related("region"), pk=district_pk)
    if not access.can_record_in(user, district):
        raise PermissionDenied
    return district


def _next_year(district: District) -> int:
    """The year after the district's latest figures; last year when it has none."""
    latest = district.crime_statistics.aggregate(latest=Max("year"))["latest"]
    return latest + 1 if latest else timezone.localdate().year - 1


def _dashboard_url() -> str:
    return reverse("prevention:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def crime_statistic_create(request: HttpRequest, district_pk: int) -> HttpResponse:
    district = district_for_recording(request.user, district_pk)
    form = CrimeStatisticYearForm(
        request.POST or None,
        district=district,
        initial={"year": request.GET.get("year") or _next_year(district)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = form.save(entered_by=request.user)
        except (ValidationError, IntegrityError):
            # Someone added one of these figures between the check and the save: nothing was kept.
            form.add_error(
                None,
                _("Someone else added figures for %(year)s meanwhile; nothing was saved. Check the table.")
                % {"year": form.cleaned_data["year"]},
            )
        else:
            messages.success(
                request,
                ngettext(
                    "Saved %(count)d figure of %(district)s for %(year)d.",
                    "Saved %(count)d figures of %(district)s for %(year)d.",
                    len(recorded),
                )
                % {"count": len(recorded), "district": district, "year": form.cleaned_data["year"]},
            )
            return redirect(safe_next(request, _dashboard_url()))
    return render(
        request,
        "prevention/crime_statistic_year_form.html",
        {"district": district, "form": form, "next": safe_next(request, "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def crime_statistic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = access.get_for_user(
        request.user, CrimeStatistic.objects.select_related("district"), write=True, pk=pk
    )
    form = CrimeStatisticForm(request.POST or None, instance=statistic)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The figure was saved."))
        return redirect(safe_next(request, _dashboard_url()))
    return render(
        request,
        "prevention/crime_statistic_form.html",
        {"statistic": statistic, "form": form, "next": safe_next(request, "")},
    )
