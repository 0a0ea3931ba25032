"""Reports: the council's plan progress report and the donor report, as printable pages and as XLSX.

The pages carry a print style sheet (static/css/print.css): the browser's "Print" or "Save as PDF" gives
the paper version, so no PDF library with system dependencies is needed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts import access
from prevention import exports, reports
from prevention.forms.reports import DonorReportForm
from prevention.models import ActionPlan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(sheets: list, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(exports.xlsx_pieces(sheets), content_type=XLSX_TYPE)
    filename = f"{slugify(name) or 'report'}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _plan(request: HttpRequest, pk: int) -> ActionPlan:
    return access.get_for_user(
        request.user, ActionPlan.objects.select_related("district__region__country"), pk=pk
    )


@login_required
@require_GET
def plan_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(request, "prevention/report_plan.html", {"report": reports.plan_report(plan, request.user)})


@login_required
@require_GET
def plan_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    report = reports.plan_report(plan, request.user)
    return _xlsx_response(reports.plan_report_sheets(report), f"{plan.district.name} {plan.title}")


def _donor_form(request: HttpRequest) -> DonorReportForm:
    data = request.GET.copy()
    if "funder" not in data:
        funders = list(reports.funders_for(request.user)[:2])
        if len(funders) != 1:
            return DonorReportForm(user=request.user)
        # A donor's own organisation is the only choice: show its report straight away.
        data["funder"] = funders[0].pk
    return DonorReportForm(data, user=request.user)


@login_required
@require_GET
def donor_report(request: HttpRequest) -> HttpResponse:
    form = _donor_form(request)
    report = None
    if form.is_bound and form.is_valid():
        report = reports.donor_report(request.user, **form.cleaned_data)
    return render(
        request,
        "prevention/report_donor.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def donor_report_xlsx(request: HttpRequest) -> HttpResponse:
    form = _donor_form(request)
    if not (form.is_bound and form.is_valid()):
        return render(
            request, "prevention/report_donor.html", {"form": form, "report": None, "query": ""}, status=400
        )
    report = reports.donor_report(request.user, **form.cleaned_data)
    return _xlsx_response(reports.donor_report_sheets(report), f"{report.funder.name} report")
