"""Reads for reports: the council's plan progress report, the donor report, the donor site's portfolio.

Each function reads through the access rules (``visible_to``) and costs a fixed number of queries
whatever the size of the data. Money is summed per currency and never across currencies.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prevention import progress as rules
from prevention.models import (
    ActionPlan,
    ActivityLog,
    ActivityTotal,
    FundingLine,
    Indicator,
    Initiative,
    Milestone,
    PlanPriority,
    Spending,
)
from prevention.models.plans import PROGRESS_FIELDS, health_of, progress_of
from prevention.selectors import in_order, most_urgent_first

if TYPE_CHECKING:
    from accounts.models import Organisation, User

# How many verified activities a report names as highlights.
HIGHLIGHTS = 5
# The portfolio's "recent" period: this many months back from today.
RECENT_MONTHS = 3


# Indicators: on track or not -------------------------------------------------------------------------

ON_TRACK, OFF_TRACK, NOT_MEASURED = "on_track", "off_track", "not_measured"
INDICATOR_STATE_LABELS = {
    ON_TRACK: gettext_lazy("On track"),
    OFF_TRACK: gettext_lazy("Off track"),
    NOT_MEASURED: gettext_lazy("Not measured yet"),
}


def indicator_state(indicator: Indicator, today: dt.date) -> str:
    """On track when the target is reached, or when progress from the baseline keeps pace with the time
    from the baseline date to the target date (within the gap that puts an initiative at risk);
    without both dates, when the latest value moved from the baseline in the right direction."""
    progress = indicator.progress
    if progress is None:
        return NOT_MEASURED
    if progress >= rules.HUNDRED:
        return ON_TRACK
    elapsed = rules.time_elapsed(start=indicator.baseline_on, end=indicator.target_on, today=today)
    if elapsed is None:
        return ON_TRACK if progress > 0 else OFF_TRACK
    return ON_TRACK if elapsed - progress <= rules.AT_RISK_GAP else OFF_TRACK


def _with_states(indicators: Iterable[Indicator], today: dt.date) -> list[Indicator]:
    listed = list(indicators)
    for indicator in listed:
        indicator.state = indicator_state(indicator, today)
        indicator.state_label = INDICATOR_STATE_LABELS[indicator.state]
    return listed


# Money -----------------------------------------------------------------------------------------------


@dataclass
class CurrencyTotal:
    currency: str
    committed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    source: str = ""
    source_label: str = ""

    @property
    def remaining(self) -> Decimal:
        return self.committed - self.spent

    @property
    def spent_percent(self) -> Decimal | None:
        if not self.committed:
            return None
        return (self.spent / self.committed * 100).quantize(rules.ONE_DECIMAL)


def money_per_currency(
    funding: QuerySet[FundingLine], spending: QuerySet[Spending], *, by_source: bool = False
) -> list[CurrencyTotal]:
    """Committed and spent per currency (and source, if asked), never adding two currencies (2 queries)."""
    keys = ["currency", "source_type"] if by_source else ["currency"]
    labels = dict(FundingLine.Source.choices)
    totals: dict[tuple, CurrencyTotal] = {}
    for row in funding.values(*keys).annotate(total=Sum("amount")).order_by(*keys):
        key = tuple(row[k] for k in keys)
        source = row.get("source_type", "")
        totals[key] = CurrencyTotal(
            row["currency"], committed=row["total"], source=source, source_label=str(labels.get(source, ""))
        )
    spent_keys = [f"funding_line__{k}" for k in keys]
    for row in spending.values(*spent_keys).annotate(total=Sum("amount")).order_by():
        key = tuple(row[k] for k in spent_keys)
        if key in totals:
            totals[key].spent = row["total"]
    return list(totals.values())


def _per_initiative(funding: QuerySet[FundingLine], spending: QuerySet[Spending]) -> dict[int, dict]:
    """Each initiative's committed and spent amounts per currency (2 queries)."""
    per: dict[int, dict[str, CurrencyTotal]] = defaultdict(dict)
    for row in funding.values("initiative_id", "currency").annotate(total=Sum("amount")).order_by():
        per[row["initiative_id"]][row["currency"]] = CurrencyTotal(row["currency"], committed=row["total"])
    rows = spending.values("funding_line__initiative_id", "funding_line__currency").annotate(
        total=Sum("amount")
    )
    for row in rows.order_by():
        money = per[row["funding_line__initiative_id"]].setdefault(
            row["funding_line__currency"], CurrencyTotal(row["funding_line__currency"])
        )
        money.spent = row["total"]
    return per


# Activities ------------------------------------------------------------------------------------------


@dataclass
class Reach:
    activities: int
    participants: int
    audience: int

    @property
    def people(self) -> int:
        return self.participants + self.audience


def reach_of(logs: QuerySet[ActivityLog]) -> Reach:
    """How many verified activities and how many people they reached (1 query)."""
    totals = logs.verified().aggregate(
        activities=Count("*"),
        participants=Coalesce(Sum("participants_total"), 0),
        audience=Coalesce(Sum("audience_reached"), 0),
    )
    return Reach(**totals)


def highlights(logs: QuerySet[ActivityLog], limit: int = HIGHLIGHTS) -> list[ActivityLog]:
    """The verified activities that reached the most people (1 query)."""
    return list(
        logs.verified()
        .annotate(reach=F("participants_total") + F("audience_reached"))
        .select_related("initiative", "organisation")
        .order_by("-reach", "-occurred_on", "-pk")[:limit]
    )


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# The donor site's portfolio --------------------------------------------------------------------------


@dataclass
class Portfolio:
    initiatives: list[Initiative]  # the most urgent first, as many as asked for
    initiative_count: int
    money: list[CurrencyTotal]
    progress: Decimal | None
    health: Counter
    indicators: Counter
    recent_since: dt.date
    recent: Reach
    overall: Reach


def _listed_initiatives(
    initiatives: Iterable[Initiative], today: dt.date, money: dict[int, dict]
) -> list[Initiative]:
    initiatives = list(initiatives)
    for initiative in initiatives:
        initiative.health_now = initiative.health(today)
        initiative.money = sorted(money.get(initiative.pk, {}).values(), key=lambda m: m.currency)
    return initiatives


def recent_and_overall_reach(
    user: User, initiatives: QuerySet[Initiative], since: dt.date, today: dt.date
) -> tuple[Reach, Reach]:
    """Verified activities and people reached on the initiatives from ``since`` to ``today``, and since
    the start (2 queries).

    Since the start is added up from the activity totals per initiative and organisation
    (``ActivityTotal``): a large donor's portfolio has hundreds of thousands of verified logs. The recent
    ones are few, and an index holding the date and the summed columns answers for them on its own
    (hence COUNT(*) rather than COUNT(id)).
    """
    recent = (
        ActivityLog.objects.visible_to(user)
        .verified()
        .filter(initiative__in=initiatives, occurred_on__gte=since, occurred_on__lte=today)
        .aggregate(
            activities=Count("*"),
            participants=Coalesce(Sum("participants_total"), 0),
            audience=Coalesce(Sum("audience_reached"), 0),
        )
    )
    overall = ActivityTotal.objects.filter(initiative__in=initiatives).aggregate(
        activities=Coalesce(Sum("verified"), 0),
        participants=Coalesce(Sum("participants"), 0),
        audience=Coalesce(Sum("audience"), 0),
    )
    return Reach(**recent), Reach(**overall)


def portfolio(user: User, listed: int, today: dt.date | None = None) -> Portfolio:
    """What the user's organisation funds, summed up for the donor site's home page, with the ``listed``
    most urgent initiatives (off track first, then at risk, ...) and their money (9 queries).

    A large donor funds thousands of initiatives: progress and health are computed once from plain rows
    for all of them; the listed ones are fetched by id with those rows' figures, without counting their
    milestones again.
    """
    today = today or timezone.localdate()
    funding = FundingLine.objects.visible_to(user)
    spending = Spending.objects.visible_to(user)
    visible = Initiative.objects.visible_to(user)
    rows = (
        visible.with_progress(today)
        .values("pk", "status", "starts_on", "ends_on", *PROGRESS_FIELDS)
        .order_by("priority__plan__district__name", "priority__rank", "title", "pk")
    )
    by_pk: dict[int, dict] = {}
    health: dict[int, rules.Health] = {}
    progresses: list[Decimal] = []
    for row in rows:
        progress = progress_of(row)
        by_pk[row["pk"]] = row
        health[row["pk"]] = health_of(row, today, progress)
        if row["status"] != Initiative.Status.CANCELLED:
            progresses.append(progress)
    # Within one state the initiatives keep the district, rank and title order.
    listed_pks = most_urgent_first(health)[:listed]
    initiatives = _listed_initiatives(
        in_order(_with_progress_of(_home_rows(listed_pks), by_pk), listed_pks),
        today,
        _per_initiative(
            funding.filter(initiative__in=listed_pks),
            spending.filter(funding_line__initiative__in=listed_pks),
        ),
    )
    # Only their states are counted: no order, and what ``indicator_state`` reads.
    indicators = _with_states(
        Indicator.objects.visible_to(user)
        .with_latest()
        .only("direction", "baseline_value", "baseline_on", "target_value", "target_on")
        .order_by(),
        today,
    )
    since = months_before(today, RECENT_MONTHS)
    recent, overall = recent_and_overall_reach(user, visible, since, today)
    return Portfolio(
        initiatives=initiatives,
        initiative_count=len(by_pk),
        money=money_per_currency(funding, spending),
        progress=rules.plan_progress(progresses),
        health=Counter(h.state for h in health.values()),
        indicators=Counter(i.state for i in indicators),
        recent_since=since,
        recent=recent,
        overall=overall,
    )


def _home_rows(pks: list[int]) -> QuerySet[Initiative]:
    """The home page's listed initiatives with what their row shows, by id: the ids come from the
    user's scoped rows, so the scope's joins are not repeated."""
    return (
        Initiative.objects.filter(pk__in=pks)
        .only("title", "status", "starts_on", "ends_on", "priority__plan__district__name")
        .select_related("priority__plan__district")
    )


def _with_progress_of(initiatives: QuerySet[Initiative], rows: dict[int, dict]) -> list[Initiative]:
    """The initiatives, each given the ``with_progress()`` figures of its row (see ``Initiative.progress``)."""
    listed = list(initiatives)
    for initiative in listed:
        row = rows[initiative.pk]
        for name in PROGRESS_FIELDS:
            setattr(initiative, name, row[name])
    return listed


# The plan progress report ----------------------------------------------------------------------------


@dataclass
class PriorityBlock:
    priority: PlanPriority
    initiatives: list[Initiative] = field(default_factory=list)

    @property
    def progress(self) -> Decimal | None:
        return rules.plan_progress(
            i.progress for i in self.initiatives if i.status != Initiative.Status.CANCELLED
        )


@dataclass
class PlanReport:
    plan: ActionPlan
    today: dt.date
    priorities: list[PriorityBlock]
    indicators: list[Indicator]
    money: list[CurrencyTotal]
    highlights: list[ActivityLog]
    reach: Reach

    @property
    def initiatives(self) -> list[Initiative]:
        return [initiative for block in self.priorities for initiative in block.initiatives]

    @property
    def progress(self) -> Decimal | None:
        return rules.plan_progress(
            i.progress for i in self.initiatives if i.status != Initiative.Status.CANCELLED
        )

    @property
    def health(self) -> Counter:
        return Counter(i.health_now.state for i in self.initiatives)


def plan_report(plan: ActionPlan, user: User, today: dt.date | None = None) -> PlanReport:
    """The council's progress report of one plan, as much as the user may see of it (8 queries)."""
    today = today or timezone.localdate()
    priorities = list(
        PlanPriority.objects.visible_to(user).filter(plan=plan).select_related("issue").order_by("rank")
    )
    milestones = Milestone.objects.visible_to(user).order_by("due_on", "pk")
    initiatives = _listed_initiatives(
        Initiative.objects.visible_to(user)
        .filter(priority__plan=plan)
        .for_lists()
        .prefetch_related(Prefetch("milestones", queryset=milestones, to_attr="report_milestones"))
        .order_by("priority__rank", "title", "pk"),
        today,
        {},
    )
    blocks = {priority.pk: PriorityBlock(priority) for priority in priorities}
    for initiative in initiatives:
        for milestone in initiative.report_milestones:
            milestone.overdue = milestone.is_overdue(today)
        block = blocks.setdefault(initiative.priority_id, PriorityBlock(initiative.priority))
        block.initiatives.append(initiative)
    indicators = _with_states(
        Indicator.objects.visible_to(user)
        .filter(plan=plan)
        .with_latest()
        .select_related("priority__issue", "initiative")
        .order_by("name", "pk"),
        today,
    )
    logs = ActivityLog.objects.visible_to(user).filter(initiative__priority__plan=plan)
    return PlanReport(
        plan=plan,
        today=today,
        priorities=list(blocks.values()),
        indicators=indicators,
        money=money_per_currency(
            FundingLine.objects.visible_to(user).filter(initiative__priority__plan=plan),
            Spending.objects.visible_to(user).filter(funding_line__initiative__priority__plan=plan),
            by_source=True,
        ),
        highlights=highlights(logs),
        reach=reach_of(logs),
    )


# The donor report ------------------------------------------------------------------------------------


def funders_for(user: User) -> QuerySet:
    """Organisations with funding lines the user can see: the choices of the donor report."""
    from accounts.models import Organisation

    funders = FundingLine.objects.visible_to(user).values("funder")
    return Organisation.objects.filter(pk__in=funders).order_by("name")


@dataclass
class DonorReport:
    funder: Organisation
    date_from: dt.date | None
    date_to: dt.date | None
    today: dt.date
    initiatives: list[Initiative]
    funding_lines: list[FundingLine]
    money: list[CurrencyTotal]
    spent_in_period: list[CurrencyTotal]
    spendings: list[Spending]
    activities: list[ActivityLog]
    reach: Reach
    indicators: list[Indicator]

    @property
    def period_label(self) -> str:
        # In the language's date format, as the rest of the report: not ISO dates in a sentence.
        start = date_format(self.date_from, "DATE_FORMAT") if self.date_from else ""
        end = date_format(self.date_to, "DATE_FORMAT") if self.date_to else ""
        if start and end:
            return _("%(start)s to %(end)s") % {"start": start, "end": end}
        if start:
            return _("since %(start)s") % {"start": start}
        if end:
            return _("until %(end)s") % {"end": end}
        return _("since the start")


def _in_period(queryset: QuerySet, path: str, start: dt.date | None, end: dt.date | None) -> QuerySet:
    if start:
        queryset = queryset.filter(**{f"{path}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{path}__lte": end})
    return queryset


def donor_report(
    user: User,
    funder: Organisation,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
) -> DonorReport:
    """What one funder funds and what came of it in a period, as far as the user may see (10 queries).

    Commitments are listed whatever their date (they are what the period's work draws on); spending,
    activities and measurements are those of the period: an indicator shows its latest value measured by
    the period's end, judged as of that day.
    """
    today = today or timezone.localdate()
    period_end = min(date_to, today) if date_to else today
    funding = FundingLine.objects.visible_to(user).filter(funder=funder)
    funded = Initiative.objects.visible_to(user).filter(pk__in=funding.values("initiative"))
    spending = Spending.objects.visible_to(user).filter(funding_line__funder=funder)
    spending_in_period = _in_period(spending, "spent_on", date_from, date_to)
    logs = _in_period(
        ActivityLog.objects.visible_to(user).filter(initiative__in=funded.values("pk")),
        "occurred_on",
        date_from,
        date_to,
    )
    return DonorReport(
        funder=funder,
        date_from=date_from,
        date_to=date_to,
        today=today,
        initiatives=_listed_initiatives(
            funded.for_lists().order_by("priority__plan__district__name", "title", "pk"),
            today,
            _per_initiative(funding, spending),
        ),
        funding_lines=list(funding.select_related("initiative").order_by("initiative__title", "pk")),
        money=money_per_currency(funding, spending),
        spent_in_period=money_per_currency(funding, spending_in_period),
        spendings=list(
            spending_in_period.select_related("funding_line__initiative").order_by("spent_on", "pk")
        ),
        activities=list(
            logs.verified().select_related("initiative", "organisation").order_by("occurred_on", "pk")
        ),
        reach=reach_of(logs),
        indicators=_with_states(
            Indicator.objects.visible_to(user)
            .filter(initiative__in=funded.values("pk"))
            .with_latest(until=period_end)
            .select_related("initiative")
            .order_by("initiative__title", "name", "pk"),
            period_end,
        ),
    )


# Reports as spreadsheets -----------------------------------------------------------------------------


Sheet = tuple[str, list[str], list[list[Any]]]


def _initiative_rows(initiatives: Iterable[Initiative]) -> list[list[Any]]:
    return [
        [
            i.priority.plan.district.name,
            f"{i.priority.rank}. {i.priority.issue}",
            i.title,
            i.lead_organisation.name,
            i.get_status_display(),
            i.progress,
            i.health_now.label,
            i.health_now.reason,
            i.starts_on,
            i.ends_on,
        ]
        for i in initiatives
    ]


INITIATIVE_HEADERS = [
    gettext_lazy("District"),
    gettext_lazy("Priority"),
    gettext_lazy("Initiative"),
    gettext_lazy("Lead"),
    gettext_lazy("Status"),
    gettext_lazy("Progress %"),
    gettext_lazy("Health"),
    gettext_lazy("Why"),
    gettext_lazy("Start"),
    gettext_lazy("End"),
]
INDICATOR_HEADERS = [
    gettext_lazy("Indicator"),
    gettext_lazy("Unit"),
    gettext_lazy("Level"),
    gettext_lazy("Baseline"),
    gettext_lazy("Latest"),
    gettext_lazy("Measured on"),
    gettext_lazy("Target"),
    gettext_lazy("Progress %"),
    gettext_lazy("State"),
]
MONEY_HEADERS = [
    gettext_lazy("Currency"),
    gettext_lazy("Committed"),
    gettext_lazy("Spent"),
    gettext_lazy("Remaining"),
    gettext_lazy("Spent %"),
]
ACTIVITY_HEADERS = [
    gettext_lazy("Date"),
    gettext_lazy("Initiative"),
    gettext_lazy("Organisation"),
    gettext_lazy("Kind"),
    gettext_lazy("Title"),
    gettext_lazy("Participants"),
    gettext_lazy("Women"),
    gettext_lazy("Men"),
    gettext_lazy("Youth"),
    gettext_lazy("Audience reached"),
]


def _indicator_rows(indicators: Iterable[Indicator]) -> list[list[Any]]:
    return [
        [
            i.name,
            i.unit,
            i.get_level_display(),
            i.baseline_value,
            i.current_value,
            i.latest_measured_on,
            i.target_value,
            i.progress,
            i.state_label,
        ]
        for i in indicators
    ]


def _money_rows(money: Iterable[CurrencyTotal]) -> list[list[Any]]:
    return [[m.currency, m.committed, m.spent, m.remaining, m.spent_percent] for m in money]


def _activity_rows(logs: Iterable[ActivityLog]) -> list[list[Any]]:
    return [
        [
            log.occurred_on,
            log.initiative.title,
            log.organisation.name,
            log.get_kind_display(),
            log.title,
            log.participants_total,
            log.participants_women,
            log.participants_men,
            log.participants_youth,
            log.audience_reached,
        ]
        for log in logs
    ]


def _texts(headers: Iterable) -> list[str]:
    return [str(header) for header in headers]


def plan_report_sheets(report: PlanReport) -> list[Sheet]:
    plan = report.plan
    summary = [
        [_("Plan"), plan.title],
        [_("District"), plan.district.name],
        [_("Period"), f"{plan.period_start} – {plan.period_end}"],
        [_("Status"), plan.get_status_display()],
        [_("Progress %"), report.progress],
        [_("Verified activities"), report.reach.activities],
        [_("People reached"), report.reach.people],
        [_("Report date"), report.today],
    ]
    milestones = [
        [
            i.title,
            m.title,
            m.due_on,
            m.get_status_display(),
            m.completed_on,
            _("overdue") if m.overdue else "",
        ]
        for i in report.initiatives
        for m in i.report_milestones
    ]
    money = [[m.source_label, *row] for m, row in zip(report.money, _money_rows(report.money), strict=True)]
    return [
        (_("Summary"), [_("Item"), _("Value")], summary),
        (_("Initiatives"), _texts(INITIATIVE_HEADERS), _initiative_rows(report.initiatives)),
        (
            _("Milestones"),
            [_("Initiative"), _("Milestone"), _("Due"), _("Status"), _("Completed on"), _("Overdue")],
            milestones,
        ),
        (_("Indicators"), _texts(INDICATOR_HEADERS), _indicator_rows(report.indicators)),
        (_("Money"), [_("Source"), *_texts(MONEY_HEADERS)], money),
        (_("Highlights"), _texts(ACTIVITY_HEADERS), _activity_rows(report.highlights)),
    ]


def donor_report_sheets(report: DonorReport) -> list[Sheet]:
    summary = [
        [_("Funder"), report.funder.name],
        [_("Period"), report.period_label],
        [_("Initiatives funded"), len(report.initiatives)],
        [_("Verified activities"), report.reach.activities],
        [_("People reached"), report.reach.people],
        [_("Report date"), report.today],
    ]
    lines = [
        [line.initiative.title, line.get_source_type_display(), line.amount, line.currency, line.committed_on]
        for line in report.funding_lines
    ]
    spendings = [
        [s.spent_on, s.funding_line.initiative.title, s.amount, s.funding_line.currency, s.description]
        for s in report.spendings
    ]
    return [
        (_("Summary"), [_("Item"), _("Value")], summary),
        (_("Initiatives"), _texts(INITIATIVE_HEADERS), _initiative_rows(report.initiatives)),
        (_("Money"), _texts(MONEY_HEADERS), _money_rows(report.money)),
        (
            _("Funding lines"),
            [_("Initiative"), _("Source"), _("Amount"), _("Currency"), _("Committed on")],
            lines,
        ),
        (_("Spending"), [_("Date"), _("Initiative"), _("Amount"), _("Currency"), _("What for")], spendings),
        (_("Activities"), _texts(ACTIVITY_HEADERS), _activity_rows(report.activities)),
        (_("Indicators"), _texts(INDICATOR_HEADERS), _indicator_rows(report.indicators)),
    ]
