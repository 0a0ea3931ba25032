"""The plan page and the forms for a plan and its priorities."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access
from prevention import progress as rules
from prevention.editing import StaleEdit
from prevention.forms.plans import PlanForm, PriorityForm
from prevention.models import (
    ActionPlan,
    District,
    Indicator,
    Initiative,
    Meeting,
    Milestone,
    PlanPriority,
)
from prevention.templatetags.prevention_tags import pct_step
from prevention.views.history import Source, recent_changes, records

SAVE_FAILED = gettext_lazy(
    "This could not be saved because it conflicts with data saved at the same moment. Check the form and "
    "save again."
)


@dataclass
class PriorityRow:
    priority: PlanPriority
    initiatives: list[Initiative] = field(default_factory=list)
    initiative_rows: SafeString = field(default_factory=SafeString)

    @property
    def progress(self) -> Decimal | None:
        return rules.plan_progress(
            i.progress for i in self.initiatives if i.status != Initiative.Status.CANCELLED
        )


_ROW = (
    '<tr><td><a href="{url}">{title}</a><div class="small text-body-secondary">{status}{ends}</div></td>'
    '<td class="small">{lead}</td>'
    '<td><div class="d-flex align-items-center gap-2">'
    '<div class="progress progress-thin flex-grow-1" role="progressbar" aria-label="{title}" '
    'aria-valuenow="{now}" aria-valuemin="0" aria-valuemax="100">'
    '<div class="progress-bar w-pct-{step}"></div></div>'
    '<span class="small text-nowrap progress-figure">{figure}</span></div></td>'
    '<td class="small"><span class="health-{state} text-nowrap"><i class="bi bi-circle-fill" '
    'aria-hidden="true"></i> {health}</span>{reason}</td></tr>'
)


class InitiativeRows:
    """The lines of a priority's initiative table: what _progress_bar.html and _health.html show.

    Written here rather than by the template: a plan can hold a couple of hundred initiatives, and the
    template engine took about 150 microseconds a row, most of the page's time. For the same reason the
    link is reversed once and a date is formatted once however many initiatives end that day.
    """

    _PK = 987654321

    def __init__(self) -> None:
        self.url_start, self.url_end = reverse("prevention:initiative-detail", args=[self._PK]).split(
            str(self._PK)
        )
        self.status_labels = {value: str(label) for value, label in Initiative.Status.choices}
        self.ends: dict[dt.date, str] = {}

    def __call__(self, initiatives: list[Initiative]) -> SafeString:
        return SafeString("".join(self._row(initiative) for initiative in initiatives))

    def _row(self, initiative: Initiative) -> SafeString:
        progress, health = initiative.progress, initiative.current_health
        reason = ""
        if health.state != rules.Health.DONE:
            reason = format_html('<span class="small text-body-secondary"> · {}</span>', health.reason)
        return format_html(
            _ROW,
            url=f"{self.url_start}{initiative.pk}{self.url_end}",
            title=initiative.title,
            status=self.status_labels[initiative.status],
            ends=self._ends(initiative.ends_on),
            lead=str(initiative.lead_organisation),
            now=progress if progress is not None else 0,  # a machine-readable number for ARIA
            step=pct_step(progress),
            figure="–" if progress is None else f"{floatformat(progress, 1)} %",
            state=health.state,
            health=health.label,
            reason=reason,
        )

    def _ends(self, day: dt.date | None) -> str:
        if day is None:
            return ""
        if day not in self.ends:
            self.ends[day] = " · " + _("ends %(date)s") % {"date": date_format(day, "DATE_FORMAT")}
        return self.ends[day]


def plan_history(plan: ActionPlan) -> list:
    """The latest changes to the plan, its priorities, initiatives, milestones, indicators and meetings."""
    priority_ids = records(PlanPriority).filter(plan_id=plan.pk).values("id")
    initiative_ids = records(Initiative).filter(priority_id__in=priority_ids).values("id")
    return recent_changes(
        [
            Source(records(ActionPlan).filter(id=plan.pk), name=lambda r: r.title),
            Source(
                records(PlanPriority).filter(plan_id=plan.pk),
                name=lambda r: f"{r.rank}. {r.issue.name}",
                related=("issue",),
            ),
            Source(records(Initiative).filter(priority_id__in=priority_ids), name=lambda r: r.title),
            Source(records(Milestone).filter(initiative_id__in=initiative_ids), name=lambda r: r.title),
            Source(records(Indicator).filter(plan_id=plan.pk), name=lambda r: r.name),
            Source(records(Meeting).filter(plan_id=plan.pk), name=lambda r: r.title),
        ]
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_for_user(
        request.user, ActionPlan.objects.select_related("district__region__country", "replaces"), pk=pk
    )
    today = timezone.localdate()
    rows = {
        priority.pk: PriorityRow(priority)
        for priority in plan.priorities.select_related("issue").order_by("rank")
    }
    initiatives = (
        Initiative.objects.visible_to(request.user)
        .filter(priority__plan=plan)
        # Not for_lists(): the plan, its district and the priorities are on the page already, and
        # three fewer objects a row matter with a couple of hundred initiatives.
        .select_related("lead_organisation")
        .with_progress(today)
        .order_by("priority__rank", "title", "pk")
    )
    counted = []
    health_counts: dict[str, int] = defaultdict(int)
    for initiative in initiatives:
        initiative.current_health = initiative.health(today)
        health_counts[initiative.current_health.state] += 1
        rows[initiative.priority_id].initiatives.append(initiative)
        if initiative.status != Initiative.Status.CANCELLED:
            counted.append(initiative.progress)
    write_rows = InitiativeRows()
    for row in rows.values():
        row.initiative_rows = write_rows(row.initiatives)
    indicators = (
        Indicator.objects.visible_to(request.user)
        .filter(plan=plan)
        .with_latest()
        .select_related("priority__issue", "initiative")
        .order_by("name", "pk")
    )
    meetings = plan.meetings.annotate(decision_count=Count("decisions")).order_by("-held_on", "-pk")
    return render(
        request,
        "prevention/plan_detail.html",
        {
            "plan": plan,
            "priority_rows": list(rows.values()),
            "plan_progress": rules.plan_progress(counted),
            "initiative_count": len(counted),
            "health_counts": dict(health_counts),
            "indicators": indicators,
            "meetings": meetings,
            "changes": plan_history(plan),
            "can_edit": access.can_change(request.user, plan),
        },
    )


def save_form(form, save: Callable[[], Model] | None = None) -> Model | None:
    """Save a validated versioned form, or run ``save`` (which saves it with its formsets); the saved
    object, or None (with the reason on the form) if refused."""
    try:
        if save is not None:
            return save()
        with transaction.atomic():
            return form.save()
    except StaleEdit:
        return None
    except IntegrityError:
        form.add_error(None, SAVE_FAILED)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, district_pk: int) -> HttpResponse:
    district = access.get_for_user(
        request.user, District.objects.select_related("region__country"), pk=district_pk
    )
    if not access.can_plan_in(request.user, district):
        raise PermissionDenied
    form = PlanForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The plan was created. Add its priorities next."))
        return redirect("prevention:plan-detail", pk=form.instance.pk)
    return render(request, "prevention/plan_form.html", {"form": form, "district": district})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_for_user(
        request.user, ActionPlan.objects.select_related("district__region__country"), write=True, pk=pk
    )
    form = PlanForm(request.POST or None, instance=plan, district=plan.district)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The plan was saved."))
        return redirect("prevention:plan-detail", pk=plan.pk)
    return render(
        request, "prevention/plan_form.html", {"form": form, "district": plan.district, "plan": plan}
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = access.get_for_user(
        request.user, ActionPlan.objects.select_related("district"), write=True, pk=plan_pk
    )
    next_rank = (plan.priorities.order_by("-rank").values_list("rank", flat=True).first() or 0) + 1
    form = PriorityForm(request.POST or None, plan=plan, initial={"rank": next_rank})
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The priority was added."))
        return redirect("prevention:plan-detail", pk=plan.pk)
    return render(request, "prevention/priority_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = access.get_for_user(
        request.user, PlanPriority.objects.select_related("plan__district", "issue"), write=True, pk=pk
    )
    form = PriorityForm(request.POST or None, instance=priority, plan=priority.plan)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, _("The priority was saved."))
        return redirect("prevention:plan-detail", pk=priority.plan_id)
    return render(
        request,
        "prevention/priority_form.html",
        {"form": form, "plan": priority.plan, "priority": priority},
    )
