"""Meetings of a plan's working group, with the decisions taken and their follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access
from prevention import services
from prevention.forms.initiatives import table_helper
from prevention.forms.meetings import DecisionFormSetFactory, MeetingForm
from prevention.forms.plans import organisations_for
from prevention.models import ActionPlan, Initiative, Meeting
from prevention.once import once_only
from prevention.views.plans import save_form


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_for_user(request.user, Meeting.objects.select_related("plan__district"), pk=pk)
    return render(
        request,
        "prevention/meeting_detail.html",
        {
            "meeting": meeting,
            "plan": meeting.plan,
            "decisions": meeting.decisions.select_related("initiative", "responsible").order_by("pk"),
            "can_edit": access.can_change(request.user, meeting),
        },
    )


def _meeting_form(request: HttpRequest, *, meeting: Meeting, plan: ActionPlan) -> HttpResponse:
    creating = meeting.pk is None
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting, plan=plan)
    decisions = DecisionFormSetFactory(
        data,
        instance=meeting,
        prefix="decisions",
        choices={
            "initiative": Initiative.objects.filter(priority__plan=plan).order_by("priority__rank", "title"),
            "responsible": organisations_for(plan.district),
        },
    )
    saved = (
        data is not None
        and all([form.is_valid(), decisions.is_valid()])
        and save_form(form, lambda: services.meeting_save(form=form, decisions=decisions))
    )
    if saved:
        messages.success(request, _("The meeting was recorded.") if creating else _("The meeting was saved."))
        return redirect("prevention:meeting-detail", pk=saved.pk)
    return render(
        request,
        "prevention/meeting_form.html",
        {
            "form": form,
            "decisions": decisions,
            "plan": plan,
            "meeting": None if creating else meeting,
            "helper": table_helper(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_only
def meeting_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = access.get_for_user(
        request.user, ActionPlan.objects.select_related("district__region__country"), write=True, pk=plan_pk
    )
    return _meeting_form(request, meeting=Meeting(plan=plan), plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_for_user(
        request.user, Meeting.objects.select_related("plan__district__region__country"), write=True, pk=pk
    )
    return _meeting_form(request, meeting=meeting, plan=meeting.plan)
