"""The initiative page and the forms that run an initiative: itself with its partners and funding,
milestones (marked done in place with htmx, or by a plain form post) and progress updates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import access
from prevention import services
from prevention.forms.initiatives import (
    FundingFormSetFactory,
    InitiativeForm,
    MilestoneForm,
    PartnerFormSetFactory,
    ProgressUpdateForm,
    table_helper,
)
from prevention.forms.plans import organisations_for
from prevention.models import (
    ActionPlan,
    ActivityLog,
    FundingLine,
    Hotspot,
    Indicator,
    Initiative,
    InitiativePartner,
    Milestone,
    PlanPriority,
    ProgressUpdate,
    Spending,
)
from prevention.once import once_only
from prevention.reports import CurrencyTotal
from prevention.views.history import Source, recent_changes, records
from prevention.views.navigation import acts_on_post, safe_next, url_by_pk
from prevention.views.plans import indicator_lines, save_form

# The page lists this many of the latest activity logs and spending records, and links to the rest.
LOG_LIMIT = 20
SPENDING_LIMIT = 10
# Progress updates shown open; older ones sit in a collapsed list.
OPEN_UPDATES = 3

PARTNER_ROLE_ORDER = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(InitiativePartner.Role.values)),
    output_field=IntegerField(),
)


def money_totals(lines: list[FundingLine]) -> list[CurrencyTotal]:
    """Committed and spent per currency: two currencies are never added together."""
    totals: dict[str, CurrencyTotal] = {}
    for line in lines:
        total = totals.setdefault(line.currency, CurrencyTotal(line.currency))
        total.committed += line.amount
        total.spent += line.spent
    return sorted(totals.values(), key=lambda total: total.currency)


def initiative_history(initiative: Initiative, *, user, sees_plan: bool) -> list:
    """The latest changes to the initiative and what hangs under it.

    Who sees only part of the initiative (a donor sees their own funding lines) sees only that part's
    history too.
    """
    pk = initiative.pk
    lines = records(FundingLine).filter(initiative_id=pk)
    if not sees_plan:
        visible_lines = FundingLine.objects.visible_to(user).filter(initiative_id=pk)
        lines = lines.filter(id__in=visible_lines.values("pk"))
    return recent_changes(
        [
            Source(records(Initiative).filter(id=pk), name=lambda r: r.title),
            Source(records(Milestone).filter(initiative_id=pk), name=lambda r: r.title),
            Source(
                records(ProgressUpdate).filter(initiative_id=pk),
                name=lambda r: date_format(r.reported_on, "DATE_FORMAT"),
            ),
            Source(
                records(InitiativePartner).filter(initiative_id=pk),
                name=lambda r: r.organisation.name,
                related=("organisation",),
            ),
            Source(
                lines,
                name=lambda r: f"{r.funder.name}: {r.amount:,.2f} {r.currency}",
                related=("funder",),
            ),
        ]
    )


@dataclass
class LogLine:
    """What the page's table shows of an activity log, formatted here: the template took about a quarter
    of a millisecond a row to look the same things up itself."""

    url: str
    occurred_on: str
    title: str
    kind: str
    organisation: str
    participants_total: int
    evidence_count: int
    review_state: str
    review_state_label: str


def _log_lines(logs: QuerySet[ActivityLog]) -> list[LogLine]:
    url = url_by_pk("prevention:activity-log-detail")
    kinds = {value: str(label) for value, label in ActivityLog.Kind.choices}
    states = {value: str(label) for value, label in ActivityLog.ReviewState.choices}
    return [
        LogLine(
            url=url(log.pk),
            occurred_on=date_format(log.occurred_on, "SHORT_DATE_FORMAT"),
            title=log.title,
            kind=kinds[log.kind],
            organisation=str(log.organisation),
            participants_total=log.participants_total,
            evidence_count=log.evidence_count,
            review_state=log.review_state,
            review_state_label=states[log.review_state],
        )
        for log in logs
    ]


def _initiatives() -> QuerySet[Initiative]:
    return Initiative.objects.for_lists().select_related("priority__plan__district__region__country")


def _with_permissions(initiatives: QuerySet[Initiative], user) -> QuerySet[Initiative]:
    """What the user may do on each initiative and its plan, as subqueries of the one query that fetches
    it rather than a query each."""
    initiative = OuterRef("pk")
    plan = OuterRef("priority__plan_id")
    return initiatives.annotate(
        may_edit=access.change_flag(Initiative, user),
        may_report=access.reporting_flag(user),
        may_log=Exists(access.loggable_initiatives(user).filter(pk=initiative)),
        # Donors see the initiatives they fund, not the plan around them.
        sees_plan=Exists(ActionPlan.objects.visible_to(user).filter(pk=plan)),
        may_edit_plan=Exists(ActionPlan.objects.editable_by(user).filter(pk=plan)),
    )


@login_required
@require_GET
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    initiative = access.get_for_user(user, _with_permissions(Initiative.objects.for_lists(), user), pk=pk)
    funding = list(
        FundingLine.objects.visible_to(user)
        .filter(initiative=initiative)
        .select_related("funder")
        .annotate(spent=Coalesce(Sum("spendings__amount"), Decimal(0)))
        .order_by("currency", "-amount", "pk")
    )
    spendings = (
        Spending.objects.visible_to(user)
        .filter(funding_line__initiative=initiative)
        .select_related("funding_line__funder")
        .order_by("-spent_on", "-pk")[:SPENDING_LIMIT]
    )
    logs = ActivityLog.objects.visible_to(user).filter(initiative=initiative)
    updates = list(initiative.updates.select_related("author").order_by("-reported_on", "-pk"))
    return render(
        request,
        "prevention/initiative_detail.html",
        {
            "initiative": initiative,
            "plan": initiative.priority.plan,
            "health": initiative.health(),
            "partners": initiative.partnerships.select_related("organisation").order_by(
                PARTNER_ROLE_ORDER, "organisation__name"
            ),
            "funding": funding,
            "money_totals": money_totals(funding),
            "spendings": spendings,
            "milestones": initiative.milestones.select_related("completed_by").order_by("due_on", "pk"),
            "latest_updates": updates[:OPEN_UPDATES],
            "earlier_updates": updates[OPEN_UPDATES:],
            "logs": _log_lines(
                logs.select_related("organisation")
                .annotate(evidence_count=Count("attachments"))
                .order_by("-occurred_on", "-pk")[:LOG_LIMIT]
            ),
            "log_count": logs.count(),
            "indicators": indicator_lines(
                Indicator.objects.visible_to(user)
                .filter(initiative=initiative)
                .with_latest()
                .select_related("priority__issue")
                .order_by("name", "pk")
            ),
            "hotspots": Hotspot.objects.visible_to(user)
            .filter(initiatives=initiative)
            .select_related("district", "region")
            .order_by("name"),
            "changes": initiative_history(initiative, user=user, sees_plan=initiative.sees_plan),
            "sees_plan": initiative.sees_plan,
            "can_edit": initiative.may_edit,
            "can_report": initiative.may_report,
            "can_edit_plan": initiative.sees_plan and initiative.may_edit_plan,
            "milestone_readonly": not initiative.may_edit,
            "can_log": initiative.may_log,
        },
    )


def _initiative_form(
    request: HttpRequest, *, initiative: Initiative, priority: PlanPriority, full: bool
) -> HttpResponse:
    plan = priority.plan
    organisations = organisations_for(plan.district)
    data = request.POST if request.method == "POST" else None
    creating = initiative.pk is None
    form = InitiativeForm(
        data,
        instance=initiative,
        plan=plan,
        organisations=organisations,
        full=full,
        initial={"priority": priority, "budget_currency": plan.district.region.country.currency}
        if creating
        else None,
    )
    partners = funding = None
    if full:
        partners = PartnerFormSetFactory(
            data, instance=initiative, prefix="partners", choices={"organisation": organisations}
        )
        currency = plan.district.region.country.currency
        funding = FundingFormSetFactory(
            data,
            instance=initiative,
            prefix="funding",
            choices={"funder": organisations},
            initial=[{"currency": currency}] * FundingFormSetFactory.extra,
        )
    formsets = [formset for formset in (partners, funding) if formset is not None]
    if data is not None:
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets]
        saved = all(valid) and save_form(
            form, lambda: services.initiative_save(form=form, partners=partners, funding=funding)
        )
        if saved:
            messages.success(
                request, _("The initiative was created.") if creating else _("The initiative was saved.")
            )
            return redirect("prevention:initiative-detail", pk=saved.pk)
    return render(
        request,
        "prevention/initiative_form.html",
        {
            "form": form,
            "partners": partners,
            "funding": funding,
            "plan": plan,
            "priority": priority,
            "initiative": None if creating else initiative,
            "helper": table_helper(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_only
def initiative_create(request: HttpRequest, priority_pk: int) -> HttpResponse:
    priority = access.get_for_user(
        request.user,
        PlanPriority.objects.select_related("plan__district__region__country", "issue"),
        write=True,
        pk=priority_pk,
    )
    return _initiative_form(request, initiative=Initiative(priority=priority), priority=priority, full=True)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = access.get_for_user(
        request.user,
        Initiative.objects.select_related("priority__plan__district__region__country", "priority__issue"),
        write=True,
        pk=pk,
    )
    # Partners and money are the plan's business: only who may change the plan changes them.
    full = access.can_change(request.user, initiative.priority.plan)
    return _initiative_form(request, initiative=initiative, priority=initiative.priority, full=full)


# Milestones -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once_only
def milestone_create(request: HttpRequest, initiative_pk: int) -> HttpResponse:
    initiative = access.get_for_user(
        request.user,
        Initiative.objects.select_related("priority__plan__district"),
        write=True,
        pk=initiative_pk,
    )
    form = MilestoneForm(request.POST or None, instance=Milestone(initiative=initiative))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["status"] == Milestone.Status.DONE:
            form.instance.completed_by = request.user
        if save_form(form):
            messages.success(request, _("The milestone was added."))
            return redirect("prevention:initiative-detail", pk=initiative.pk)
    return render(request, "prevention/milestone_form.html", {"form": form, "initiative": initiative})


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = access.get_for_user(
        request.user,
        Milestone.objects.select_related("initiative__priority__plan__district", "completed_by"),
        write=True,
        pk=pk,
    )
    was_done = milestone.status == Milestone.Status.DONE
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        done = form.cleaned_data["status"] == Milestone.Status.DONE
        if done and not was_done:
            form.instance.completed_by = request.user
        elif not done:
            form.instance.completed_by = None
        if save_form(form):
            messages.success(request, _("The milestone was saved."))
            return redirect(
                safe_next(request, reverse("prevention:initiative-detail", args=[milestone.initiative_id]))
            )
    return render(
        request,
        "prevention/milestone_form.html",
        {"form": form, "initiative": milestone.initiative, "milestone": milestone},
    )


@login_required
@acts_on_post(back=lambda pk: reverse("prevention:dashboard"))
def milestone_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a milestone done. htmx gets the row back (and the initiative's progress, when the page shows
    it); a plain form post goes back to ``next``."""
    milestone = access.get_for_user(
        request.user, Milestone.objects.select_related("initiative"), write=True, pk=pk
    )
    error = None
    try:
        milestone = services.milestone_complete(milestone=milestone, user=request.user)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("“%(title)s” is marked done.") % {"title": milestone.title})
        return redirect(
            safe_next(request, reverse("prevention:initiative-detail", args=[milestone.initiative_id]))
        )
    milestone = Milestone.objects.select_related("initiative__priority__plan__district", "completed_by").get(
        pk=milestone.pk
    )
    refresh_progress = request.POST.get("refresh_progress") == "1"
    context = {
        "milestone": milestone,
        "hide_initiative": request.POST.get("hide_initiative") == "1",
        "refresh_progress": refresh_progress,
        "next_url": safe_next(request, ""),
        "row_error": error,
    }
    if refresh_progress:
        context["progress_initiative"] = Initiative.objects.with_progress().get(pk=milestone.initiative_id)
    return render(request, "prevention/includes/_milestone_row.html", context)


# Progress updates -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once_only
def progress_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    # Whether the user may report on it comes with it (access.reporting_q), not from a query more.
    initiative = access.get_for_user(
        request.user, _initiatives().annotate(may_report=access.reporting_flag(request.user)), pk=pk
    )
    if not initiative.may_report:
        raise PermissionDenied
    currency = initiative.priority.plan.district.region.country.currency
    form = ProgressUpdateForm(
        request.POST or None,
        instance=ProgressUpdate(initiative=initiative),
        initial={
            "reported_on": timezone.localdate(),
            "status": initiative.status,
            "percent_complete": int(initiative.progress),
            "spent_currency": currency,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update_create(update=form.instance, author=request.user)
        except ValidationError as invalid:
            form.add_error(None, invalid.messages)
        else:
            messages.success(request, _("The progress update was posted."))
            return redirect("prevention:initiative-detail", pk=initiative.pk)
    return render(request, "prevention/progress_update_form.html", {"form": form, "initiative": initiative})
