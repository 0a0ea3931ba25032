"""Build a synthetic country on PostgreSQL for the benchmark, fast: rows go in with COPY.

Sizes are parameters; the defaults are a national roll-out (50 districts, 250 plans, 10,000 initiatives,
50,000 milestones, 1,000,000 activity logs, 100,000 measurements, 2,000 users). District 1 is the
largest: it holds a tenth of the initiatives (and so of everything under them), the rest share the others.
Identifiers are assigned here, so foreign keys need no round trips; sequences are reset at the end.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from psycopg import sql

from accounts.models import Membership, Organisation, User
from prevention import models as m

BENCH_PASSWORD = "bench-password-not-secret"


@dataclass(frozen=True)
class Size:
    districts: int = 50
    plans: int = 250
    initiatives: int = 10_000
    milestones: int = 50_000
    logs: int = 1_000_000
    measurements: int = 100_000
    users: int = 2_000


def _columns(model: type[models.Model], names: list[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def copy_rows(model: type[models.Model], names: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table; ``names`` are field names (FKs by field name, value = id)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, names))
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


class CountryBuilder:
    def __init__(self, size: Size, seed: int = 2017, log=print) -> None:
        self.size = size
        self.random = random.Random(seed)
        self.now = timezone.now()
        self.log = log
        self.today = timezone.localdate()

    # Identifiers: each table starts after what is already there (the demo may be loaded too).
    def _start(self, model: type[models.Model]) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def _tracked(self) -> tuple:
        return (self.now, self.now, 1)

    def build(self) -> dict[str, int]:
        if connection.vendor != "postgresql":
            raise RuntimeError("The benchmark builds its country on PostgreSQL (set DATABASE_URL).")
        counts: dict[str, int] = {}
        rnd = self.random
        size = self.size
        country, _ = m.Country.objects.get_or_create(
            iso_code="ZZ", defaults={"name": "Benchland", "currency": "USD"}
        )
        region_ids = []
        for n in range(5):
            region, _ = m.Region.objects.get_or_create(country=country, name=f"Bench region {n + 1}")
            region_ids.append(region.pk)

        district0 = self._start(m.District)
        district_ids = list(range(district0, district0 + size.districts))
        counts["districts"] = copy_rows(
            m.District,
            ["id", "region", "name", "kind", "population", "population_year"],
            (
                (d, region_ids[i % 5], f"Bench district {i + 1:03d}", "rayon", 100_000 + 5_000 * i, 2024)
                for i, d in enumerate(district_ids)
            ),
        )

        # Organisations: per district an administration, a police unit, an NGO and a school; five donors.
        org0 = self._start(Organisation)
        kinds = ["district_administration", "police", "ngo", "school"]
        org_rows = []
        for i, _d in enumerate(district_ids):
            for k, kind in enumerate(kinds):
                org_rows.append(
                    (org0 + i * 4 + k, f"Bench {kind} {i + 1:03d}", "", kind, country.pk, "", "", "", "")
                )
        donor_ids = [org0 + len(org_rows) + n for n in range(5)]
        org_rows += [
            (o, f"Bench donor {n + 1}", "", "donor", None, "", "", "", "") for n, o in enumerate(donor_ids)
        ]
        counts["organisations"] = copy_rows(
            Organisation,
            [
                "id",
                "name",
                "short_name",
                "kind",
                "country",
                "contact_email",
                "contact_phone",
                "website",
                "address",
            ],
            org_rows,
        )

        def org(district_index: int, kind: str) -> int:
            return org0 + district_index * 4 + kinds.index(kind)

        # Plans: spread evenly; the first of each district is in implementation.
        plan0 = self._start(m.ActionPlan)
        plan_district = [i % size.districts for i in range(size.plans)]
        counts["plans"] = copy_rows(
            m.ActionPlan,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "district",
                "title",
                "period_start",
                "period_end",
                "status",
                "approved_on",
                "approval_body",
                "decision_number",
                "signatories",
                "presented_on",
                "summary",
                "is_published",
                "replaces",
            ],
            (
                (
                    plan0 + p,
                    *self._tracked(),
                    district_ids[di],
                    f"Bench plan {p + 1}",
                    dt.date(2020 + p // size.districts, 1, 1),
                    dt.date(2022 + p // size.districts, 12, 31),
                    "in_implementation" if p < size.districts else "approved",
                    dt.date(2019, 12, 1),
                    "Council",
                    f"B-{p}",
                    "",
                    None,
                    "",
                    True,
                    None,
                )
                for p, di in enumerate(plan_district)
            ),
        )
        issues = [
            m.PriorityIssue.objects.get_or_create(name=name)[0].pk
            for name in ("Public order crime", "Burglary", "Road traffic accidents", "Juvenile delinquency")
        ]
        priority0 = self._start(m.PlanPriority)
        counts["priorities"] = copy_rows(
            m.PlanPriority,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "plan",
                "issue",
                "rank",
                "problem_statement",
                "evidence_source",
                "evidence",
                "objective",
            ],
            (
                (
                    priority0 + p * 4 + r,
                    *self._tracked(),
                    plan0 + p,
                    issues[r],
                    r + 1,
                    "",
                    "statistics",
                    "",
                    "",
                )
                for p in range(size.plans)
                for r in range(4)
            ),
        )

        # Initiatives: a tenth in the largest district's plans (district index 0), the rest spread out.
        plans_of = {}
        for p, di in enumerate(plan_district):
            plans_of.setdefault(di, []).append(p)
        initiative0 = self._start(m.Initiative)
        initiative_district = []
        for n in range(size.initiatives):
            di = 0 if n < size.initiatives // 10 else 1 + n % (size.districts - 1)
            initiative_district.append(di)
        statuses = ["planned", "in_progress", "in_progress", "in_progress", "completed", "delayed"]

        def initiative_rows() -> Iterator[tuple]:
            for n, di in enumerate(initiative_district):
                plan_index = rnd.choice(plans_of[di])
                priority = priority0 + plan_index * 4 + n % 4
                start = dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randrange(0, 700))
                lead = org(di, "police" if n % 3 == 0 else "ngo")
                yield (
                    initiative0 + n,
                    *self._tracked(),
                    priority,
                    f"Bench initiative {n + 1}",
                    "",
                    "",
                    lead,
                    start,
                    start + dt.timedelta(days=rnd.randrange(180, 1400)),
                    "",
                    None,
                    None,
                    "",
                    Decimal(rnd.randrange(10_000, 5_000_000)),
                    "USD",
                    rnd.choice(statuses),
                    "",
                    "",
                )

        counts["initiatives"] = copy_rows(
            m.Initiative,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "priority",
                "title",
                "description",
                "objective",
                "lead_organisation",
                "starts_on",
                "ends_on",
                "location",
                "latitude",
                "longitude",
                "planned_outputs",
                "budget",
                "budget_currency",
                "status",
                "risks",
                "means_of_verification",
            ],
            initiative_rows(),
        )
        partner0 = self._start(m.InitiativePartner)
        counts["partners"] = copy_rows(
            m.InitiativePartner,
            ["id", "initiative", "organisation", "role", "responsibility"],
            (
                row
                for n, di in enumerate(initiative_district)
                for row in (
                    (partner0 + 2 * n, initiative0 + n, org(di, "police"), "implementing", ""),
                    (partner0 + 2 * n + 1, initiative0 + n, org(di, "ngo"), "implementing", ""),
                )
            ),
        )
        funding0 = self._start(m.FundingLine)
        counts["funding_lines"] = copy_rows(
            m.FundingLine,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "initiative",
                "funder",
                "source_type",
                "amount",
                "currency",
                "committed_on",
                "note",
            ],
            (
                (
                    funding0 + n,
                    *self._tracked(),
                    initiative0 + n,
                    donor_ids[n % 5],
                    "donor",
                    Decimal(rnd.randrange(10_000, 500_000)),
                    "USD",
                    dt.date(2020, 1, 1),
                    "",
                )
                for n in range(size.initiatives)
            ),
        )
        spending0 = self._start(m.Spending)
        counts["spending"] = copy_rows(
            m.Spending,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "funding_line",
                "amount",
                "spent_on",
                "description",
            ],
            (
                (
                    spending0 + n,
                    *self._tracked(),
                    funding0 + n,
                    Decimal(rnd.randrange(1_000, 9_000)),
                    dt.date(2021, 1, 1),
                    "Bench spending",
                )
                for n in range(size.initiatives)
            ),
        )
        milestone0 = self._start(m.Milestone)

        def milestone_rows() -> Iterator[tuple]:
            for n in range(size.milestones):
                done = rnd.random() < 0.4
                due = dt.date(2020, 6, 1) + dt.timedelta(days=rnd.randrange(0, 1800))
                yield (
                    milestone0 + n,
                    *self._tracked(),
                    initiative0 + n % size.initiatives,
                    f"Bench milestone {n + 1}",
                    due,
                    rnd.randrange(0, 4),
                    "done" if done else "pending",
                    due if done else None,
                    None,
                    "",
                )

        counts["milestones"] = copy_rows(
            m.Milestone,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "initiative",
                "title",
                "due_on",
                "weight",
                "status",
                "completed_on",
                "completed_by",
                "evidence_note",
            ],
            milestone_rows(),
        )
        update0 = self._start(m.ProgressUpdate)
        counts["updates"] = copy_rows(
            m.ProgressUpdate,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "initiative",
                "reported_on",
                "author",
                "status",
                "percent_complete",
                "narrative",
                "spent_to_date",
                "spent_currency",
            ],
            (
                (
                    update0 + n,
                    *self._tracked(),
                    initiative0 + n % size.initiatives,
                    dt.date(2021, 1, 1) + dt.timedelta(days=n // size.initiatives * 90),
                    None,
                    "in_progress",
                    min(100, 10 + 20 * (n // size.initiatives)),
                    "Bench update",
                    None,
                    "",
                )
                for n in range(size.initiatives * 2)
            ),
        )

        # Users: per district an official, a police officer and partners; donors' staff.
        password = make_password(BENCH_PASSWORD)
        user0 = self._start(User)
        user_rows, membership_rows, membership_districts = [], [], []
        membership0 = self._start(Membership)
        roles = [("official", "district_administration"), ("police", "police"), ("partner", "ngo")]
        for u in range(size.users):
            uid = user0 + u
            user_rows.append(
                (
                    uid,
                    password,
                    False,
                    f"bench{u:05d}",
                    "",
                    "",
                    f"bench{u:05d}@example.org",
                    False,
                    True,
                    self.now,
                    "",
                )
            )
            mid = membership0 + u
            if u < 5:
                membership_rows.append((mid, uid, donor_ids[u], "donor", self.now))
                continue
            di = u % size.districts
            role, kind = roles[(u // size.districts) % 3]
            membership_rows.append((mid, uid, org(di, kind), role, self.now))
            membership_districts.append((mid, district_ids[di]))
        counts["users"] = copy_rows(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "preferred_language",
            ],
            user_rows,
        )
        # Several memberships of one user in one organisation would break the unique role rule; each
        # bench user has exactly one.
        counts["memberships"] = copy_rows(
            Membership, ["id", "user", "organisation", "role", "created_at"], membership_rows
        )
        through = Membership.districts.through
        table = connection.ops.quote_name(through._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} (membership_id, district_id) FROM STDIN") as copy,
        ):
            for row in membership_districts:
                copy.write_row(row)

        # Activity logs: a tenth in the largest district, like the initiatives; most verified.
        log0 = self._start(m.ActivityLog)
        first_other = size.initiatives // 10
        kinds_of_log = [k for k, _ in m.ActivityLog.Kind.choices]

        def log_rows() -> Iterator[tuple]:
            for n in range(size.logs):
                index = (
                    n % first_other
                    if n < size.logs // 10
                    else first_other + n % (size.initiatives - first_other)
                )
                di = initiative_district[index]
                state = "verified" if n % 10 < 7 else ("submitted" if n % 10 < 9 else "returned")
                total = rnd.randrange(0, 60)
                women = rnd.randrange(0, total + 1)
                yield (
                    log0 + n,
                    *self._tracked(),
                    initiative0 + index,
                    district_ids[di],
                    org(di, "ngo"),
                    None,
                    dt.date(2020, 1, 1) + dt.timedelta(days=n % 2000),
                    kinds_of_log[n % len(kinds_of_log)],
                    f"Bench activity {n + 1}",
                    "",
                    "",
                    total,
                    women,
                    total - women,
                    rnd.randrange(0, total + 1),
                    rnd.randrange(0, 500),
                    "",
                    state,
                    "Please add the attendance sheet." if state == "returned" else "",
                    None,
                    None if state == "submitted" else self.now,
                )

        counts["activity_logs"] = copy_rows(
            m.ActivityLog,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "initiative",
                "district",
                "organisation",
                "author",
                "occurred_on",
                "kind",
                "title",
                "description",
                "place",
                "participants_total",
                "participants_women",
                "participants_men",
                "participants_youth",
                "audience_reached",
                "outputs",
                "review_state",
                "review_note",
                "reviewed_by",
                "reviewed_at",
            ],
            log_rows(),
        )
        counts["activity_totals"] = m.ActivityTotal.rebuild()
        indicator0 = self._start(m.Indicator)
        indicators_per_plan = 10
        counts["indicators"] = copy_rows(
            m.Indicator,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "plan",
                "priority",
                "initiative",
                "name",
                "unit",
                "level",
                "direction",
                "baseline_value",
                "baseline_on",
                "target_value",
                "target_on",
                "source",
                "frequency",
            ],
            (
                (
                    indicator0 + p * indicators_per_plan + k,
                    *self._tracked(),
                    plan0 + p,
                    None,
                    None,
                    f"Bench indicator {p}-{k}",
                    "cases",
                    "outcome",
                    "decrease",
                    Decimal(120),
                    dt.date(2019, 1, 1),
                    Decimal(90),
                    dt.date(2023, 1, 1),
                    "",
                    "monthly",
                )
                for p in range(size.plans)
                for k in range(indicators_per_plan)
            ),
        )
        indicator_count = size.plans * indicators_per_plan
        measurement0 = self._start(m.Measurement)
        counts["measurements"] = copy_rows(
            m.Measurement,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "indicator",
                "period_start",
                "measured_on",
                "value",
                "source",
                "entered_by",
                "note",
            ],
            (
                (
                    measurement0 + n,
                    *self._tracked(),
                    indicator0 + n % indicator_count,
                    None,
                    dt.date(2019, 1, 1) + dt.timedelta(days=30 * (n // indicator_count)),
                    Decimal(rnd.randrange(80, 130)),
                    "",
                    None,
                    "",
                )
                for n in range(size.measurements)
            ),
        )
        statistic0 = self._start(m.CrimeStatistic)
        counts["crime_statistics"] = copy_rows(
            m.CrimeStatistic,
            [
                "id",
                "created_at",
                "updated_at",
                "version",
                "district",
                "year",
                "category",
                "count",
                "source",
                "entered_by",
            ],
            (
                (
                    statistic0 + n,
                    *self._tracked(),
                    d,
                    year,
                    category,
                    rnd.randrange(3, 5000),
                    "",
                    None,
                )
                for n, (d, year, category) in enumerate(
                    (d, year, category)
                    for d in district_ids
                    for year in range(2014, 2025)
                    for category in ("total", "burglary", "public_order", "road_accidents", "juvenile")
                )
            ),
        )
        counts.update(
            self._places_and_meetings(country, district_ids, plan0, initiative0, initiative_district)
        )
        models_touched = [
            m.District,
            Organisation,
            m.ActionPlan,
            m.PlanPriority,
            m.Initiative,
            m.InitiativePartner,
            m.FundingLine,
            m.Spending,
            m.Milestone,
            m.ProgressUpdate,
            User,
            Membership,
            through,
            m.ActivityLog,
            m.Indicator,
            m.Measurement,
            m.CrimeStatistic,
        ]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models_touched):
                cursor.execute(statement)
        counts["history"] = self.add_history()
        # What autovacuum would do after a bulk load: planner statistics, and the visibility map that
        # lets index-only scans (the progress and reach indexes) skip the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        return counts

    def add_history(self) -> int:
        """Give the rows built here the "created" history record the app would have written.

        COPY and bulk_create bypass django-simple-history. Without these records the history boxes would
        find nothing and skip the queries that load each kind of record, so a page's query count would not
        be comparable with the demo's, and the history tables would be far smaller than in real use.
        Identifiers grow, so the rows without a record are those after the last one recorded.
        """
        added = 0
        with connection.cursor() as cursor:
            for model in apps.get_models():
                manager = getattr(model._meta, "simple_history_manager_attribute", None)
                if manager is None or model._meta.proxy:
                    continue
                record = getattr(model, manager).model
                columns = [
                    field.column
                    for field in record._meta.concrete_fields
                    if not field.name.startswith("history_")
                ]
                has_created_at = any(field.name == "created_at" for field in model._meta.concrete_fields)
                statement = sql.SQL(
                    "INSERT INTO {record} ({columns}, history_date, history_type) "
                    "SELECT {base_columns}, {stamp}, '+' FROM {table} base "
                    "WHERE base.{pk} > (SELECT coalesce(max({pk}), 0) FROM {record})"
                ).format(
                    record=sql.Identifier(record._meta.db_table),
                    columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
                    base_columns=sql.SQL(", ").join(sql.Identifier("base", c) for c in columns),
                    stamp=sql.SQL("base.created_at" if has_created_at else "now()"),
                    table=sql.Identifier(model._meta.db_table),
                    pk=sql.Identifier(model._meta.pk.column),
                )
                cursor.cursor.execute(statement)
                added += cursor.cursor.rowcount
        return added

    def _places_and_meetings(
        self,
        country: m.Country,
        district_ids: list[int],
        plan0: int,
        initiative0: int,
        initiative_district: list[int],
    ) -> dict[str, int]:
        """The smaller things pages show beside the plan: hotspots with risks, meetings, safety contacts.

        Few rows, made with the ORM; without them a page would skip the queries that read them and its
        query count would not be comparable with the demo's.
        """
        risks = [m.Risk.objects.get_or_create(name=name)[0] for name in ("Pickpocketing", "Car theft")]
        m.SafetyContact.objects.get_or_create(
            country=country, kind="emergency", name="Emergency", defaults={"phone": "112"}
        )
        first_initiative = {}
        for n, di in enumerate(initiative_district):
            first_initiative.setdefault(di, initiative0 + n)
        hotspots = m.Hotspot.objects.bulk_create(
            m.Hotspot(
                region_id=m.District.objects.filter(pk=district).values_list("region_id", flat=True)[0],
                district_id=district,
                name=f"Bench market {i + 1}-{k + 1}",
                kind="market",
                advice="Keep bags closed.",
            )
            for i, district in enumerate(district_ids)
            for k in range(2)
        )
        Hotspot = m.Hotspot
        Hotspot.risks.through.objects.bulk_create(
            Hotspot.risks.through(hotspot_id=h.pk, risk_id=r.pk) for h in hotspots for r in risks
        )
        Hotspot.initiatives.through.objects.bulk_create(
            Hotspot.initiatives.through(
                hotspot_id=h.pk, initiative_id=first_initiative[district_ids.index(h.district_id)]
            )
            for h in hotspots
            if district_ids.index(h.district_id) in first_initiative
        )
        meetings = m.Meeting.objects.bulk_create(
            m.Meeting(
                plan_id=plan0 + p,
                kind="working_group",
                held_on=dt.date(2021, 3, 1) + dt.timedelta(days=90 * k),
                title=f"Working group {k + 1}",
                attendance=12,
            )
            for p in range(self.size.plans)
            for k in range(2)
        )
        m.MeetingDecision.objects.bulk_create(
            m.MeetingDecision(meeting_id=meeting.pk, text="Report back at the next meeting.")
            for meeting in meetings
        )
        return {"hotspots": len(hotspots), "meetings": len(meetings)}

    def largest_district_users(self) -> dict[str, User]:
        """One user per role of the largest district (district 1), and a donor."""
        district = m.District.objects.filter(name="Bench district 001").get()
        users = {}
        for role in ("official", "police", "partner"):
            users[role] = (
                User.objects.filter(memberships__role=role, memberships__districts=district)
                .order_by("pk")
                .first()
            )
        users["donor"] = (
            User.objects.filter(memberships__role="donor", username__startswith="bench")
            .order_by("pk")
            .first()
        )
        return users
