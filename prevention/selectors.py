"""Aggregating reads for the dashboards: ``<thing>_for_dashboard(user, ...)``.

Each function reads through the access rules (``visible_to``) and costs a fixed number of queries whatever
the size of the district's data: lists are sliced, sums are aggregated in the database, and rows are
filtered by subqueries rather than by lists of ids (except the few ids of rows just read through the access
rules: the current plans, which the official's panels share). ``district_ids=None`` means every district the user may
see (the administrator's overview); otherwise a role's own districts, so that someone who is an official in
one district and police in another sees each dashboard with its own districts only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from prevention import progress as rules
from prevention.models import (
    ActionPlan,
    ActivityLog,
    ActivityTotal,
    Attachment,
    CrimeStatistic,
    District,
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
from prevention.models.plans import PROGRESS_FIELDS, health_of, progress_of

if TYPE_CHECKING:
    from accounts.models import User

# How many rows a dashboard list shows before it links to the full list.
LIST_LIMIT = 10
# Past this many, a dashboard says "1,000+" rather than counting a backlog of tens of thousands.
COUNT_LIMIT = 1000
# Milestones due within this many days count as upcoming.
UPCOMING_DAYS = 30
# Years of crime statistics a dashboard table shows side by side.
STATISTIC_YEARS = 5

ALL = None  # district_ids value for the administrator's overview of every district


def _in_districts(queryset: QuerySet, district_ids: set[int] | None) -> QuerySet:
    """The rows of the districts, found the way the model says (``district_path``)."""
    if district_ids is None:
        return queryset
    return queryset.filter(**{f"{queryset.model.district_path}__in": district_ids})


def current_plans(user: User, district_ids: set[int] | None) -> QuerySet[ActionPlan]:
    """The plans in force in the districts, unevaluated so that other reads can use it as a subquery."""
    plans = ActionPlan.objects.visible_to(user).current()
    return _in_districts(plans, district_ids)


# Official: plan health -----------------------------------------------------------------------------------


@dataclass
class PriorityProgress:
    priority: PlanPriority
    progress: Decimal | None
    initiative_count: int


@dataclass
class ListedInitiative:
    """What a dashboard's health list shows of an initiative (includes/_dashboard_health_list.html)."""

    pk: int
    title: str
    about: str  # its priority's issue and its lead organisation


@dataclass
class InitiativeHealth:
    initiative: ListedInitiative
    health: rules.Health
    progress: Decimal


@dataclass
class HealthGroup:
    """A plan's initiatives in one health state: how many, and the first ``LIST_LIMIT`` to list."""

    count: int = 0
    listed: list[InitiativeHealth] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.listed)


@dataclass
class PlanHealth:
    plan: ActionPlan
    progress: Decimal | None = None
    priorities: list[PriorityProgress] = field(default_factory=list)
    on_track: HealthGroup = field(default_factory=HealthGroup)
    at_risk: HealthGroup = field(default_factory=HealthGroup)
    off_track: HealthGroup = field(default_factory=HealthGroup)
    completed_count: int = 0
    cancelled_count: int = 0


def plan_health_for_dashboard(
    user: User, district_ids: set[int] | None, today: dt.date | None = None
) -> list[PlanHealth]:
    """The current plans with progress per priority and their initiatives by health (4 queries, 1 when the
    districts have no current plan).

    Every initiative counts in the figures, but a district's plans hold a thousand of them: the health rule
    reads plain rows of every initiative, and titles and organisations are read only for the ``LIST_LIMIT``
    per plan and state the page lists. The plan's page lists them all.
    """
    today = today or timezone.localdate()
    plans = list(
        current_plans(user, district_ids)
        .select_related("district")
        .order_by("district__name", "-period_start", "pk")
    )
    # The plans' ids come from the scoped read above: the reads below filter by them instead of running
    # the plans' subquery again, which also lets PostgreSQL estimate how many rows they find.
    plan_pks = [plan.pk for plan in plans]
    priorities = list(
        PlanPriority.objects.visible_to(user)
        .filter(plan__in=plan_pks)
        .select_related("issue")
        .only("plan", "rank", "issue__name")
        .order_by("plan", "rank")
    )
    issue_by_priority = {priority.pk: priority.issue.name for priority in priorities}
    initiatives = Initiative.objects.visible_to(user).filter(priority__plan__in=plan_pks)
    rows = (
        initiatives.with_progress(today)
        .values("pk", "status", "starts_on", "ends_on", *PROGRESS_FIELDS, plan_pk=F("priority__plan_id"))
        .annotate(priority_pk=F("priority_id"))
        .order_by("priority__rank", "title", "pk")
    )
    by_plan = {plan.pk: PlanHealth(plan=plan) for plan in plans}
    progress_by_priority: dict[int, list[Decimal]] = defaultdict(list)
    count_by_priority: dict[int, int] = defaultdict(int)
    progress_by_plan: dict[int, list[Decimal]] = defaultdict(list)
    groups = {
        rules.Health.ON_TRACK: "on_track",
        rules.Health.AT_RISK: "at_risk",
        rules.Health.OFF_TRACK: "off_track",
    }
    # The initiatives to list, in order: (their group, row, health, progress); their names are read below.
    to_list: list[tuple[HealthGroup, dict, rules.Health, Decimal]] = []
    for row in rows:
        summary = by_plan.get(row["plan_pk"])
        if summary is None:
            continue
        count_by_priority[row["priority_pk"]] += 1
        progress = progress_of(row)
        health = health_of(row, today, progress)
        if health.state == rules.Health.CANCELLED:
            summary.cancelled_count += 1
            continue
        progress_by_priority[row["priority_pk"]].append(progress)
        progress_by_plan[row["plan_pk"]].append(progress)
        if health.state == rules.Health.DONE:
            summary.completed_count += 1
            continue
        group = getattr(summary, groups[health.state])
        if group.count < LIST_LIMIT:
            to_list.append((group, row, health, progress))
        group.count += 1
    # The ids come from the scoped rows above; the order is theirs. Plain rows: the hundred and fifty
    # listed initiatives of a large district as model objects with their issue and organisation took
    # three times as long.
    shown = (
        Initiative.objects.filter(pk__in=[row["pk"] for _group, row, _health, _progress in to_list])
        .values_list("pk", "title", "lead_organisation__name", "lead_organisation__short_name")
        .order_by()
    )
    # The organisation as Organisation.__str__ names it.
    by_pk = {pk: (title, short_name or name) for pk, title, name, short_name in shown}
    for group, row, health, progress in to_list:
        title, organisation = by_pk[row["pk"]]
        about = f"{issue_by_priority[row['priority_pk']]} · {organisation}"
        listed = ListedInitiative(pk=row["pk"], title=title, about=about)
        group.listed.append(InitiativeHealth(initiative=listed, health=health, progress=progress))
    for priority in priorities:
        summary = by_plan.get(priority.plan_id)
        if summary is not None:
            summary.priorities.append(
                PriorityProgress(
                    priority=priority,
                    progress=rules.plan_progress(progress_by_priority[priority.pk]),
                    initiative_count=count_by_priority[priority.pk],
                )
            )
    for summary in by_plan.values():
        summary.progress = rules.plan_progress(progress_by_plan[summary.plan.pk])
    return [by_plan[plan.pk] for plan in plans]


# Official and police: milestones -------------------------------------------------------------------------


@dataclass
class MilestoneDigest:
    overdue: list[Milestone]
    upcoming: list[Milestone]
    overdue_count: int
    upcoming_count: int

    @property
    def overdue_more(self) -> int:
        return self.overdue_count - len(self.overdue)

    @property
    def upcoming_more(self) -> int:
        return self.upcoming_count - len(self.upcoming)


def milestones_for_dashboard(
    user: User, plan_pks: list[int], today: dt.date | None = None
) -> MilestoneDigest:
    """Pending milestones of the plans (the current ones, as ``plan_health_for_dashboard`` read them):
    the overdue ones and those due soon (2 queries).

    One pass over the districts' thousands of pending milestones numbers and counts them within "overdue"
    and "due soon", and only the listed ones are loaded whole: a count and two lists, each joining the
    milestones to their plans again, cost twice as much.
    """
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=UPCOMING_DAYS)
    pending = (
        Milestone.objects.visible_to(user)
        .filter(
            status=Milestone.Status.PENDING,
            initiative__priority__plan__in=plan_pks,
        )
        .exclude(initiative__status__in=[Initiative.Status.COMPLETED, Initiative.Status.CANCELLED])
    )
    is_overdue = ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField())
    first = (
        pending.filter(due_on__lte=soon)
        .annotate(
            position=Window(RowNumber(), partition_by=[is_overdue], order_by=[F("due_on"), F("pk")]),
            group_count=Window(Count("pk"), partition_by=[is_overdue]),
        )
        .filter(position__lte=LIST_LIMIT)
        .values("pk", "due_on", "group_count")
    )
    counts = {True: 0, False: 0}
    for row in first:
        counts[row["due_on"] < today] = row["group_count"]
    # The ids come from the scoped read above.
    listed = (
        Milestone.objects.filter(pk__in=[row["pk"] for row in first])
        .select_related("initiative")
        .order_by("due_on", "pk")
    )
    return MilestoneDigest(
        overdue=[milestone for milestone in listed if milestone.due_on < today],
        upcoming=[milestone for milestone in listed if milestone.due_on >= today],
        overdue_count=counts[True],
        upcoming_count=counts[False],
    )


# Official: review queue, indicators, money, latest activity ----------------------------------------------


@dataclass
class ReviewQueue:
    logs: list[ActivityLog]
    count: int

    @property
    def capped(self) -> bool:
        """More logs wait than the dashboard counts: it says "1,000+"."""
        return self.count > COUNT_LIMIT

    @property
    def limit(self) -> int:
        return COUNT_LIMIT


# What a row of the review queue shows and checks (includes/_review_row.html, access.can_review_log): the
# logs' and their organisations' other columns are long texts and contacts that the dashboard never shows.
REVIEW_ROW_FIELDS = (
    "title",
    "occurred_on",
    "kind",
    "review_state",
    "review_note",
    "participants_total",
    "author",
    "initiative__title",
    "district__name",
    "organisation__name",
    "organisation__short_name",
)


def logs_awaiting_review_for_dashboard(user: User, district_ids: set[int] | None) -> ReviewQueue:
    """Submitted logs, the longest waiting first (2 queries).

    Counting stops past ``COUNT_LIMIT``: a district's backlog may hold tens of thousands of logs, and
    counting every one costs more than the page may, for a figure nobody reads past "more than a thousand".
    """
    waiting = _in_districts(ActivityLog.objects.visible_to(user).awaiting_review(), district_ids)
    # A subquery counts the attachments of the listed logs only; Count("attachments") would group every
    # waiting log of the districts before the first ten could be picked.
    attachments = (
        Attachment.objects.filter(activity_log=OuterRef("pk"))
        .order_by()
        .values("activity_log")
        .annotate(count=Count("pk"))
        .values("count")
    )
    # Ids are handed out in the order logs are made (created_at is set on insert), and the primary key's
    # index finds the oldest waiting ones without sorting the whole backlog by created_at.
    # The row shows the log's initiative, district and organisation, not its author: joining the users as
    # well (``for_lists()``) made PostgreSQL plan the query five times longer than it ran.
    logs = (
        waiting.select_related("initiative", "district", "organisation")
        .only(*REVIEW_ROW_FIELDS)
        .annotate(attachment_count=Coalesce(Subquery(attachments), 0))
        .order_by("pk")
    )
    return ReviewQueue(
        logs=list(logs[:LIST_LIMIT]), count=waiting.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    )


def indicators_for_dashboard(user: User, plan_pks: list[int]) -> list[Indicator]:
    """The plans' indicators with their latest measurement (1 query)."""
    indicators = (
        Indicator.objects.visible_to(user)
        .filter(plan__in=plan_pks)
        .with_latest()
        .select_related("priority__issue")
        .order_by("plan__title", "name", "pk")
    )
    return list(indicators[: LIST_LIMIT * 2])


@dataclass
class MoneyRow:
    source: str
    source_label: str
    currency: str
    committed: Decimal
    spent: Decimal

    @property
    def spent_percent(self) -> Decimal | None:
        if not self.committed:
            return None
        return (self.spent / self.committed * 100).quantize(Decimal("0.1"))


def money_for_dashboard(user: User, plan_pks: list[int]) -> list[MoneyRow]:
    """Money committed and spent per source and currency for the plans (2 queries).

    Sums are per currency: two currencies are never added together.
    """
    committed = (
        FundingLine.objects.visible_to(user)
        .filter(initiative__priority__plan__in=plan_pks)
        .values("source_type", "currency")
        .annotate(total=Sum("amount"))
        .order_by("source_type", "currency")
    )
    spent = (
        Spending.objects.visible_to(user)
        .filter(funding_line__initiative__priority__plan__in=plan_pks)
        .values("funding_line__source_type", "funding_line__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    labels = dict(FundingLine.Source.choices)
    rows = {
        (row["source_type"], row["currency"]): MoneyRow(
            source=row["source_type"],
            source_label=str(labels.get(row["source_type"], row["source_type"])),
            currency=row["currency"],
            committed=row["total"],
            spent=Decimal(0),
        )
        for row in committed
    }
    for row in spent:
        key = (row["funding_line__source_type"], row["funding_line__currency"])
        if key in rows:
            rows[key].spent = row["total"]
    return list(rows.values())


@dataclass
class ActivityItem:
    """One line of the "latest activity" feed: an activity log or a progress update."""

    on: dt.date
    kind: str
    title: str
    initiative: Initiative
    who: str
    log: ActivityLog | None = None


def latest_activity_for_dashboard(user: User, district_ids: set[int] | None) -> list[ActivityItem]:
    """The latest activity logs and progress updates of the districts, newest first (2 queries).

    Each query joins only what the feed shows: PostgreSQL spent longer planning the joins of
    ``for_lists()`` (plan, district, author) than running the query.
    """
    logs = (
        _in_districts(ActivityLog.objects.visible_to(user), district_ids)
        .select_related("initiative", "organisation")
        .only(
            "title",
            "occurred_on",
            "kind",
            "review_state",
            "initiative__title",
            "organisation__name",
            "organisation__short_name",
        )
    )
    # The latest updates picked first and their authors joined after: joined before, PostgreSQL read every
    # user to join them to the district's thousands of updates.
    latest = _in_districts(ProgressUpdate.objects.visible_to(user), district_ids).order_by(
        "-reported_on", "-pk"
    )
    updates = (
        ProgressUpdate.objects.filter(pk__in=latest.values("pk")[:LIST_LIMIT])
        .select_related("initiative", "author")
        .only(
            "reported_on",
            "percent_complete",
            "narrative",
            "initiative__title",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
        .order_by("-reported_on", "-pk")
    )
    # get_kind_display() translates every kind's label to find one: once for the feed is enough.
    kinds = {value: str(label) for value, label in ActivityLog.Kind.choices}
    items = [
        ActivityItem(
            on=log.occurred_on,
            kind=kinds.get(log.kind, log.kind),
            title=log.title,
            initiative=log.initiative,
            who=str(log.organisation),
            log=log,
        )
        for log in logs.order_by("-occurred_on", "-pk")[:LIST_LIMIT]
    ]
    items += [
        ActivityItem(
            on=update.reported_on,
            kind=_("Progress update: %(percent)s%%") % {"percent": update.percent_complete},
            title=update.narrative,
            initiative=update.initiative,
            who=str(update.author) if update.author else "",
        )
        for update in updates
    ]
    items.sort(key=lambda item: item.on, reverse=True)
    return items[:LIST_LIMIT]


# Crime statistics ----------------------------------------------------------------------------------------


@dataclass
class StatisticRow:
    category: str
    label: str
    cells: list[CrimeStatistic | None]


@dataclass
class DistrictStatistics:
    district: District
    years: list[int]
    rows: list[StatisticRow]
    next_year: int


def _statistics(user: User, district_ids: set[int] | None) -> QuerySet[CrimeStatistic]:
    return _in_districts(CrimeStatistic.objects.visible_to(user), district_ids)


def crime_trend_for_dashboard(user: User, district_ids: set[int] | None) -> dict:
    """Chart data for the total registered crimes per 100,000 inhabitants by year, one line per district.

    The dict goes to the page through ``json_script`` and is drawn by static/js/charts.js as a "series"
    chart, whose tooltip adds the count behind each rate (1 query).
    Rates are floats here because the chart only draws them; the table beside it prints the figures.
    """
    totals = (
        _statistics(user, district_ids)
        .filter(category=CrimeStatistic.Category.TOTAL)
        .select_related("district")
        .order_by("district__name", "district_id", "year")
    )
    years: set[int] = set()
    series: dict[int, dict] = {}
    for statistic in totals:
        years.add(statistic.year)
        line = series.setdefault(
            statistic.district_id, {"label": statistic.district.name, "points": {}, "counts": {}}
        )
        rate = statistic.rate_per_100k
        line["points"][statistic.year] = float(rate) if rate is not None else None
        line["counts"][statistic.year] = statistic.count
    # Every year from the first to the last: a year without figures is a gap in the line, not a year
    # skipped on the axis.
    labels = list(range(min(years), max(years) + 1)) if years else []
    return {
        "labels": labels,
        "datasets": [
            {
                "label": line["label"],
                "data": [line["points"].get(year) for year in labels],
                "counts": [line["counts"].get(year) for year in labels],
            }
            for line in series.values()
        ],
        "countLabel": _("registered crimes"),
        "yLabel": _("Registered crimes per 100,000 inhabitants"),
    }


def crime_statistics_for_dashboard(
    user: User, district_ids: set[int] | None, today: dt.date | None = None
) -> list[DistrictStatistics]:
    """Per district, a table of the latest years' figures by category, and the year to add next (2 queries)."""
    today = today or timezone.localdate()
    districts = list(_in_districts(District.objects.visible_to(user), district_ids).order_by("name", "pk"))
    # The district's latest years with figures, however old: a district may lag years behind.
    latest_year = (
        CrimeStatistic.objects.filter(district=OuterRef("district")).order_by("-year").values("year")[:1]
    )
    statistics = (
        _statistics(user, district_ids)
        .filter(year__gt=Subquery(latest_year) - STATISTIC_YEARS)
        .select_related("district")
        .order_by("district_id", "-year", "category")
    )
    by_district: dict[int, dict[tuple[int, str], CrimeStatistic]] = defaultdict(dict)
    for statistic in statistics:
        by_district[statistic.district_id][(statistic.year, statistic.category)] = statistic
    labels = CrimeStatistic.Category.choices
    tables = []
    for district in districts:
        cells = by_district[district.pk]
        years = sorted({year for year, _category in cells}, reverse=True)[:STATISTIC_YEARS]
        categories = {category for _year, category in cells}
        rows = [
            StatisticRow(category=value, label=str(label), cells=[cells.get((year, value)) for year in years])
            for value, label in labels
            if value in categories
        ]
        # Figures come after a year closes; without any yet, start with last year's.
        next_year = years[0] + 1 if years else today.year - 1
        tables.append(DistrictStatistics(district=district, years=years, rows=rows, next_year=next_year))
    return tables


# Police --------------------------------------------------------------------------------------------------


@dataclass
class PlanLink:
    pk: int
    title: str


@dataclass
class PoliceInitiatives:
    """The most urgent of the initiatives the police units take part in, and how many there are in all."""

    initiatives: list[Initiative]
    count: int
    plans: list[PlanLink]

    @property
    def more(self) -> int:
        return self.count - len(self.initiatives)


# The order in which a dashboard lists initiatives: what needs someone first.
URGENCY = {
    rules.Health.OFF_TRACK: 0,
    rules.Health.AT_RISK: 1,
    rules.Health.ON_TRACK: 2,
    rules.Health.DONE: 3,
    rules.Health.CANCELLED: 4,
}


def most_urgent_first(health: dict[int, rules.Health]) -> list[int]:
    """The initiatives' ids, off track first, then at risk, ...: within one state they keep the order of
    ``health`` (sorted() is stable)."""
    return sorted(health, key=lambda pk: URGENCY[health[pk].state])


M = TypeVar("M", bound=Model)


def in_order(objects: Iterable[M], pks: list[int]) -> list[M]:
    """The objects in the order of ``pks``: rows fetched by id come back in any order."""
    by_pk = {obj.pk: obj for obj in objects}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def police_initiatives_for_dashboard(
    user: User,
    district_ids: set[int] | None,
    organisation_ids: set[int],
    today: dt.date | None = None,
    keep: int | None = None,
) -> PoliceInitiatives:
    """The most urgent initiatives the user's police units lead or implement, with their pending
    milestones (3 queries).

    A unit may take part in hundreds of initiatives: the page lists the ``LIST_LIMIT`` most urgent (off
    track first, then at risk, ...) and links to the plans for the rest. ``keep`` is an initiative the page
    refreshes in place after a milestone was marked done: it stays listed even if it is no longer among the
    most urgent. Done milestones show in the progress figure; the page lists the next few pending ones.
    """
    today = today or timezone.localdate()
    theirs = InitiativePartner.objects.filter(
        organisation__in=organisation_ids,
        role__in=[InitiativePartner.Role.LEAD, InitiativePartner.Role.IMPLEMENTING],
    ).values("initiative")
    matching = (
        _in_districts(Initiative.objects.visible_to(user), district_ids)
        .filter(Q(lead_organisation__in=organisation_ids) | Q(pk__in=theirs))
        .filter(priority__plan__in=current_plans(user, district_ids))
    )
    # First only what the health rule needs, for every initiative, as plain rows: loading hundreds of whole
    # initiatives with their plan, district and organisation to show a few costs more than the page may.
    rows = {
        row["pk"]: row
        for row in matching.with_progress(today)
        .values("pk", "status", "starts_on", "ends_on", *PROGRESS_FIELDS, plan_pk=F("priority__plan_id"))
        .annotate(plan_title=F("priority__plan__title"))
        .order_by("priority__plan__district__name", "priority__rank", "title", "pk")
    }
    health = {pk: health_of(row, today) for pk, row in rows.items()}
    # Within one state the initiatives keep the district, rank and title order.
    urgent = most_urgent_first(health)
    shown_pks = urgent[:LIST_LIMIT]
    if keep is not None and keep not in shown_pks and keep in rows:
        shown_pks.append(keep)
    # The ids come from the scoped rows, and so do the progress figures: no second count of milestones.
    shown = (
        Initiative.objects.filter(pk__in=shown_pks)
        .select_related("priority__issue", "priority__plan__district")
        # What the list shows of an initiative (includes/_dashboard_police_initiatives.html).
        .only("title", "priority__issue__name", "priority__plan__district__name")
        .prefetch_related(
            # The prefetch hands each milestone its initiative; pending ones have no completed_by to show.
            Prefetch(
                "milestones",
                queryset=Milestone.objects.filter(status=Milestone.Status.PENDING).order_by("due_on", "pk"),
                to_attr="pending_milestones",
            )
        )
    )
    initiatives = in_order(shown, shown_pks)
    for initiative in initiatives:
        row = rows[initiative.pk]
        initiative.dashboard_health = health[initiative.pk]
        initiative.dashboard_progress = progress_of(row)
        initiative.dashboard_milestone_count = row["ms_total_count"]
    plans = {rows[pk]["plan_pk"]: rows[pk]["plan_title"] for pk in urgent}
    return PoliceInitiatives(
        initiatives=initiatives,
        count=len(rows),
        plans=[PlanLink(pk=pk, title=title) for pk, title in plans.items()],
    )


def hotspots_for_dashboard(user: User, district_ids: set[int] | None) -> list[Hotspot]:
    """Hotspots of the districts (and region-wide ones of their regions) with their risks, and whether the
    user may change each (2 queries)."""
    hotspots = Hotspot.objects.visible_to(user)
    if district_ids is not None:
        hotspots = hotspots.filter(Hotspot.district_scope(district_ids))
    # Whether the user may change a hotspot comes with it, not from a query more.
    return list(
        hotspots.select_related("district", "region")
        .prefetch_related("risks")
        .annotate(
            initiative_count=Count("initiatives", distinct=True),
            dashboard_editable=access.change_flag(Hotspot, user),
        )
        .order_by("name", "pk")
    )


@dataclass
class LogList:
    logs: list[ActivityLog]
    count: int


# The order in which a dashboard lists an organisation's logs: what came back to fix, then what waits for
# review, then the verified ones.
LOG_STATE_ORDER = (
    ActivityLog.ReviewState.RETURNED,
    ActivityLog.ReviewState.SUBMITTED,
    ActivityLog.ReviewState.VERIFIED,
)


def organisation_logs_for_dashboard(
    user: User, district_ids: set[int] | None, organisation_ids: set[int], *, count: int | None = None
) -> LogList:
    """The latest activity logs of the user's organisations, returned ones first, then those waiting for
    review (3 queries, and 1 more to count them unless the caller passes ``count``: the partner's reach
    counts them already).

    One query per review state, each read newest first from an index, instead of one query sorting an
    organisation's hundred thousand logs by state to keep twenty.
    """
    logs = _in_districts(ActivityLog.objects.visible_to(user), district_ids).filter(
        organisation__in=organisation_ids
    )
    limit = LIST_LIMIT * 2
    # Only what a row of the list shows (includes/_dashboard_logs.html): the joins of ``for_lists()`` read
    # seven tables' every column to show a title and an initiative's name.
    shown = logs.select_related("initiative").only(
        "title", "occurred_on", "kind", "review_state", "review_note", "initiative__title"
    )
    listed: list[ActivityLog] = []
    for state in LOG_STATE_ORDER:
        # Always one query per state, also when the list is full: the page costs the same every time.
        rows = list(shown.filter(review_state=state).order_by("-occurred_on", "-pk")[:limit])
        listed += rows[: limit - len(listed)]
    return LogList(logs=listed, count=logs.count() if count is None else count)


# Partner -------------------------------------------------------------------------------------------------


@dataclass
class PartnerInitiatives:
    """The initiatives the user's organisations may log on, the ones under way first, and how many there
    are in all."""

    initiatives: list[Initiative]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.initiatives)


# Under way first: that is where the work to log is.
STATUS_ORDER = Case(
    When(status=Initiative.Status.IN_PROGRESS, then=Value(0)),
    When(status=Initiative.Status.DELAYED, then=Value(1)),
    When(status=Initiative.Status.PLANNED, then=Value(2)),
    When(status=Initiative.Status.COMPLETED, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


def partner_initiatives_for_dashboard(
    user: User, district_ids: set[int] | None, organisation_ids: set[int]
) -> PartnerInitiatives:
    """The current initiatives the user's organisations lead or take part in, with their role: the
    ``LIST_LIMIT`` under way first (2 queries).

    A large NGO takes part in a thousand initiatives of a district: the ids of all of them are read to
    count and order them, whole initiatives with their progress only for the listed ones. The log form
    offers every initiative.
    """
    # The organisations that carry out the work log it; a funding partner does not (see accounts.access).
    partnerships = InitiativePartner.objects.filter(
        organisation__in=organisation_ids, role__in=access.LOGGING_PARTNER_ROLES
    )
    theirs = (
        _in_districts(Initiative.objects.visible_to(user), district_ids)
        .filter(Q(lead_organisation__in=organisation_ids) | Q(pk__in=partnerships.values("initiative")))
        .filter(priority__plan__in=current_plans(user, district_ids))
    )
    ordering = ("priority__plan__district__name", "priority__rank", "title", "pk")
    pks = list(theirs.order_by(STATUS_ORDER, *ordering).values_list("pk", flat=True))
    listed_pks = pks[:LIST_LIMIT]
    role = partnerships.filter(initiative=OuterRef("pk")).order_by("role").values("role")[:1]
    # The ids come from the scoped read above; the order is theirs.
    shown = Initiative.objects.filter(pk__in=listed_pks).for_lists().annotate(partner_role=Subquery(role))
    listed = in_order(shown.order_by(), listed_pks)
    roles = dict(InitiativePartner.Role.choices)
    for initiative in listed:
        initiative.partner_role_label = roles.get(initiative.partner_role, _("Lead"))
    return PartnerInitiatives(initiatives=listed, count=len(pks))


@dataclass
class Reach:
    people: int
    participants: int
    audience: int
    verified: int
    submitted: int
    returned: int

    @property
    def logs(self) -> int:
        return self.verified + self.submitted + self.returned


def reach_for_dashboard(user: User, district_ids: set[int] | None, organisation_ids: set[int]) -> Reach:
    """People reached by the organisations' verified logs, and how many logs are in each state (1 query).

    Added up from the organisations' activity totals per initiative (``ActivityTotal``): a thousand rows
    instead of a hundred thousand logs.
    """
    initiatives = _in_districts(Initiative.objects.visible_to(user), district_ids)
    totals = ActivityTotal.objects.filter(
        organisation__in=organisation_ids, initiative__in=initiatives
    ).aggregate(
        participants=Coalesce(Sum("participants"), 0),
        audience=Coalesce(Sum("audience"), 0),
        verified=Coalesce(Sum("verified"), 0),
        submitted=Coalesce(Sum("submitted"), 0),
        returned=Coalesce(Sum("returned"), 0),
    )
    return Reach(people=totals["participants"] + totals["audience"], **totals)
