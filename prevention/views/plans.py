"""The plan page and the forms for a plan and its priorities."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
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
from prevention.models.plans import PROGRESS_FIELDS, health_of, progress_of
from prevention.once import once_only
from prevention.templatetags.prevention_tags import pct_step
from prevention.views.history import Source, recent_changes, records
from prevention.views.navigation import url_by_pk

SAVE_FAILED = gettext_lazy(
    "This could not be saved because it conflicts with data saved at the same moment. Check the form and "
    "save again."
)


@dataclass
class InitiativeLine:
    """What the plan's table shows of an initiative, from plain values rather than a whole Initiative."""

    pk: int
    title: str
    status: str
    ends_on: dt.date | None
    lead: str
    progress: Decimal
    health: rules.Health


@dataclass
class PriorityRow:
    priority: PlanPriority
    # Initiatives or InitiativeLines: what a priority's progress needs is their progress and status.
    initiatives: list = field(default_factory=list)
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
    'aria-valuenow="{progress}" aria-valuemin="0" aria-valuemax="100">'
    '<div class="progress-bar w-pct-{step}"></div></div>'
    '<span class="small text-nowrap progress-figure">{figure}</span></div></td>'
    '<td class="small"><span class="health-{state} text-nowrap"><i class="bi bi-circle-fill" '
    'aria-hidden="true"></i> {health}</span>{reason}</td></tr>'
)


class InitiativeRows:
    """The lines of a priority's initiative table: what _progress_bar.html and _health.html show.

    Written here rather than by the template: a plan can hold a couple of hundred initiatives, and the
    template engine took about 150 microseconds a row, most of the page's time. For the same reason the
    link is reversed once, and a label, date, figure or reason is escaped and formatted once however many
    rows show it; only the title and the lead organisation are escaped row by row.
    """

    def __init__(self) -> None:
        self.url = url_by_pk("prevention:initiative-detail")
        # str() first: escaping a lazy translation gives a lazy string, translated again at every row.
        self.status_labels = {value: escape(str(label)) for value, label in Initiative.Status.choices}
        self.health_labels = {state: escape(str(label)) for state, label in rules.HEALTH_LABELS.items()}
        self.ends_text = _("ends %(date)s")
        self.ends: dict[dt.date | None, str] = {None: ""}
        self.figures: dict[Decimal, str] = {}
        self.reasons: dict[str, str] = {}

    def __call__(self, lines: list[InitiativeLine]) -> SafeString:
        return SafeString("".join([self._row(line) for line in lines]))

    def _row(self, line: InitiativeLine) -> str:
        health = line.health
        return _ROW.format(
            url=self.url(line.pk),
            title=escape(line.title),
            status=self.status_labels[line.status],
            ends=self._ends(line.ends_on),
            lead=escape(line.lead),
            progress=line.progress,  # a machine-readable number for ARIA
            step=pct_step(line.progress),
            figure=self._figure(line.progress),
            state=health.state,
            health=self.health_labels[health.state],
            reason="" if health.state == rules.Health.DONE else self._reason(health.reason),
        )

    def _ends(self, day: dt.date | None) -> str:
        if day not in self.ends:
            self.ends[day] = escape(" · " + self.ends_text % {"date": date_format(day, "DATE_FORMAT")})
        return self.ends[day]

    def _figure(self, progress: Decimal) -> str:
        if progress not in self.figures:
            self.figures[progress] = escape(f"{floatformat(progress, 1)} %")
        return self.figures[progress]

    def _reason(self, reason: str) -> str:
        if reason not in self.reasons:
            self.reasons[reason] = f'<span class="small text-body-secondary"> · {escape(reason)}</span>'
        return self.reasons[reason]


@dataclass
class IndicatorLine:
    """What an indicator table shows of an indicator (includes/_indicator_table.html,
    includes/_dashboard_indicators.html), formatted here: the template took about half a millisecond a
    row to reverse, format and look up the same things itself."""

    url: str
    name: str
    level: str
    decreasing: bool
    issue: str  # of its priority; "" when it measures the plan or an initiative
    unit: str
    baseline: str
    current: str | None
    measured_on: str
    target: str
    target_year: str
    progress: Decimal | None
    target_exceeded: bool


def indicator_lines(indicators: Iterable[Indicator]) -> list[IndicatorLine]:
    """The lines of an indicator table (the plan's, the initiative's, the official's dashboard) for
    indicators annotated ``with_latest()``, their priority's issue selected with them."""
    url = url_by_pk("prevention:indicator-detail")
    levels = {value: str(label) for value, label in Indicator.Level.choices}
    lines = []
    for indicator in indicators:
        current = indicator.current_value
        measured_on = "" if current is None else date_format(indicator.latest_measured_on, "DATE_FORMAT")
        lines.append(
            IndicatorLine(
                url=url(indicator.pk),
                name=indicator.name,
                level=levels[indicator.level],
                decreasing=indicator.is_decreasing,
                issue=str(indicator.priority.issue) if indicator.priority else "",
                unit=indicator.unit,
                baseline=floatformat(indicator.baseline_value, "-2g"),
                current=None if current is None else floatformat(current, "-2g"),
                measured_on=measured_on,
                target=floatformat(indicator.target_value, "-2g"),
                target_year=date_format(indicator.target_on, "Y") if indicator.target_on else "",
                progress=indicator.progress,
                target_exceeded=indicator.target_exceeded,
            )
        )
    return lines


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
    # Whether the user may change the plan comes with it, rather than from a query of its own.
    may_edit = access.change_flag(ActionPlan, request.user)
    plan = access.get_for_user(
        request.user,
        ActionPlan.objects.select_related("district", "replaces").annotate(may_edit=may_edit),
        pk=pk,
    )
    today = timezone.localdate()
    rows = {
        priority.pk: PriorityRow(priority)
        for priority in plan.priorities.select_related("issue").order_by("rank")
    }
    # Plain values: a plan can hold a couple of hundred initiatives, and the page needs a few of their fields.
    initiatives = (
        Initiative.objects.visible_to(request.user)
        .filter(priority__plan=plan)
        .with_progress(today)
        .values(
            "pk",
            "priority_id",
            "title",
            "status",
            "starts_on",
            "ends_on",
            *PROGRESS_FIELDS,
            lead_name=F("lead_organisation__name"),
            lead_short_name=F("lead_organisation__short_name"),
        )
        .order_by("priority__rank", "title", "pk")
    )
    counted = []
    health_counts: dict[str, int] = defaultdict(int)
    for initiative in initiatives:
        line = InitiativeLine(
            pk=initiative["pk"],
            title=initiative["title"],
            status=initiative["status"],
            ends_on=initiative["ends_on"],
            lead=initiative["lead_short_name"] or initiative["lead_name"],  # as Organisation.__str__
            progress=progress_of(initiative),
            health=health_of(initiative, today),
        )
        health_counts[line.health.state] += 1
        rows[initiative["priority_id"]].initiatives.append(line)
        if line.status != Initiative.Status.CANCELLED:
            counted.append(line.progress)
    write_rows = InitiativeRows()
    for row in rows.values():
        row.initiative_rows = write_rows(row.initiatives)
    indicators = indicator_lines(
        Indicator.objects.visible_to(request.user)
        .filter(plan=plan)
        .with_latest()
        .select_related("priority__issue")
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
            "can_edit": plan.may_edit,
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
@once_only
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
