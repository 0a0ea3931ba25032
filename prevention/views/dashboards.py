"""The dashboard: one page per role, where a signed-in user starts their day.

The role comes from the user's memberships (``access.scope_for``). Someone with several roles switches
with ``?role=``; the choice is remembered in the session. Donors have their own site at /donor/.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import access
from accounts.models import Membership
from prevention import selectors
from prevention.forms.statistics import CrimeStatisticYearForm
from prevention.views.navigation import url_by_pk
from prevention.views.plans import indicator_lines

Role = Membership.Role
SESSION_KEY = "dashboard_role"
DONOR_SITE = "/donor/"
# The role shown when the user has several and has not chosen: the one with the most to do.
ROLE_ORDER = (Role.OFFICIAL, Role.POLICE, Role.PARTNER, Role.DONOR)


def _chosen_role(request: HttpRequest, roles: list[str]) -> str | None:
    requested = request.GET.get("role")
    if requested in roles:
        # Remembered for the next visit; written only when it changes, as it costs a session save.
        if requested != Role.DONOR and request.session.get(SESSION_KEY) != requested:
            request.session[SESSION_KEY] = requested
        return requested
    remembered = request.session.get(SESSION_KEY)
    if remembered in roles:
        return remembered
    return next((role for role in ROLE_ORDER if role in roles), None)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    roles = scope.roles
    role = _chosen_role(request, roles)
    if role == Role.DONOR:
        return redirect(DONOR_SITE)
    context = {
        "role": role,
        "roles": [(value, Role(value).label) for value in ROLE_ORDER if value in roles],
        "today": timezone.localdate(),
        "upcoming_days": selectors.UPCOMING_DAYS,
    }
    if role is None and scope.is_admin:
        # An administrator without memberships gets the officials' view of every district.
        return _official(request, {**context, "role": Role.OFFICIAL, "overview": True}, None)
    if role == Role.OFFICIAL:
        return _official(request, context, scope.district_ids(Role.OFFICIAL))
    if role == Role.POLICE:
        return _police(request, context, scope.district_ids(Role.POLICE), scope.organisation_ids(Role.POLICE))
    if role == Role.PARTNER:
        return _partner(
            request, context, scope.district_ids(Role.PARTNER), scope.organisation_ids(Role.PARTNER)
        )
    return render(request, "prevention/dashboard_none.html", context)


def _official(request: HttpRequest, context: dict, district_ids: set[int] | None) -> HttpResponse:
    user, today = request.user, context["today"]
    plans = selectors.plan_health_for_dashboard(user, district_ids, today)
    # The plans in force, read through the access rules above: the other panels filter by their ids
    # rather than building the same scoped subquery again each.
    plan_pks = [summary.plan.pk for summary in plans]
    activity = selectors.latest_activity_for_dashboard(user, district_ids)
    # One URL lookup for each kind of link, not one for each of the seventy or so rows that carry one.
    initiative_url = url_by_pk("prevention:initiative-detail")
    log_url = url_by_pk("prevention:activity-log-detail")
    for summary in plans:
        for group in (summary.off_track, summary.at_risk, summary.on_track):
            for item in group.listed:
                item.url = initiative_url(item.initiative.pk)
    for item in activity:
        item.initiative_url = initiative_url(item.initiative.pk)
        item.log_url = log_url(item.log.pk) if item.log else ""
    context.update(
        plans=plans,
        milestones=selectors.milestones_for_dashboard(user, plan_pks, today),
        review=selectors.logs_awaiting_review_for_dashboard(user, district_ids),
        indicators=indicator_lines(selectors.indicators_for_dashboard(user, plan_pks)),
        money=selectors.money_for_dashboard(user, plan_pks),
        crime_trend=selectors.crime_trend_for_dashboard(user, district_ids),
        activity=activity,
    )
    return render(request, "prevention/dashboard_official.html", context)


def _police(
    request: HttpRequest, context: dict, district_ids: set[int], organisation_ids: set[int]
) -> HttpResponse:
    user, today = request.user, context["today"]
    statistics = selectors.crime_statistics_for_dashboard(user, district_ids, today)
    # One URL lookup for the whole table, not one per figure (as on the district page).
    edit_url = url_by_pk("prevention:crime-statistic-edit")
    for table in statistics:
        table.form = CrimeStatisticYearForm(
            district=table.district, initial={"year": table.next_year}, auto_id=f"id_{table.district.pk}_%s"
        )
        for row in table.rows:
            for statistic in filter(None, row.cells):
                statistic.edit_url = edit_url(statistic.pk)
    initiatives = selectors.police_initiatives_for_dashboard(
        user, district_ids, organisation_ids, today, keep=_int_or_none(request.GET.get("initiative"))
    )
    initiative_url = url_by_pk("prevention:initiative-detail")
    update_url = url_by_pk("prevention:progress-update-create")
    for initiative in initiatives.initiatives:
        initiative.url = initiative_url(initiative.pk)
        initiative.progress_update_url = update_url(initiative.pk)
    context.update(
        initiatives=initiatives,
        statistics=statistics,
        crime_trend=selectors.crime_trend_for_dashboard(user, district_ids),
        hotspots=selectors.hotspots_for_dashboard(user, district_ids),
        logs=selectors.organisation_logs_for_dashboard(user, district_ids, organisation_ids),
        organisation_ids=sorted(organisation_ids),
    )
    return render(request, "prevention/dashboard_police.html", context)


def _partner(
    request: HttpRequest, context: dict, district_ids: set[int], organisation_ids: set[int]
) -> HttpResponse:
    user = request.user
    # The reach counts the logs by state already: no second count of what may be a hundred thousand logs.
    reach = selectors.reach_for_dashboard(user, district_ids, organisation_ids)
    context.update(
        initiatives=selectors.partner_initiatives_for_dashboard(user, district_ids, organisation_ids),
        logs=selectors.organisation_logs_for_dashboard(
            user, district_ids, organisation_ids, count=reach.logs
        ),
        reach=reach,
        organisation_ids=sorted(organisation_ids),
    )
    return render(request, "prevention/dashboard_partner.html", context)
