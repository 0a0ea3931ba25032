from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention import progress as rules
from prevention.models.base import (
    RemembersLoaded,
    ScopedQuerySet,
    Tracked,
    coordinates_check,
    currency_field,
    date_order_check,
    percent_check,
)


class CarriesLogs(RemembersLoaded):
    """A plan, priority or initiative: where it hangs decides the district its activity logs keep a copy
    of (``ActivityLog.district``). When it moves (another district, plan or priority), its logs follow in
    the same transaction."""

    # The foreign key that moves it, and the way from an activity log to it.
    parent_field = ""
    logs_path = ""

    class Meta:
        abstract = True

    @classmethod
    def remembered_fields(cls) -> tuple[str, ...]:
        return (f"{cls.parent_field}_id",)

    def save(self, *args, **kwargs) -> None:
        from prevention.models.activities import ActivityLog

        loaded = self.loaded(f"{self.parent_field}_id")
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if loaded is not None and loaded != getattr(self, f"{self.parent_field}_id"):
                district_id = (
                    type(self).objects.filter(pk=self.pk).values_list(self.district_path, flat=True).get()
                )
                ActivityLog.objects.filter(**{self.logs_path: self}).update(district_id=district_id)
        self.remember_loaded()


class ActionPlanQuerySet(ScopedQuerySet):
    def published(self) -> ActionPlanQuerySet:
        return self.filter(is_published=True)

    def current(self) -> ActionPlanQuerySet:
        """Plans in force: approved or being implemented (a district may have drafts besides)."""
        return self.filter(status__in=[ActionPlan.Status.APPROVED, ActionPlan.Status.IN_IMPLEMENTATION])


class ActionPlan(CarriesLogs, Tracked):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        IN_IMPLEMENTATION = "in_implementation", _("In implementation")
        CLOSED = "closed", _("Closed")
        SUPERSEDED = "superseded", _("Superseded")

    district_path = "district"
    parent_field = "district"
    logs_path = "initiative__priority__plan"

    district = models.ForeignKey(
        "prevention.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_body = models.CharField(_("approved by (body)"), max_length=200, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    signatories = models.TextField(_("signatories"), blank=True, help_text=_("One per line."))
    presented_on = models.DateField(_("public presentation"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published plans appear on the public pages.")
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    objects = ActionPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start", "title"]
        indexes = [models.Index(fields=["district", "status"])]
        constraints = [
            date_order_check("period_start", "period_end", "plan_period_order"),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(replaces=F("pk")),
                name="plan_not_replacing_itself",
                violation_error_message=_("A plan cannot replace itself."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_on__isnull=False),
                name="plan_approval_dated",
                violation_error_message=_("A plan past the draft stage needs its approval date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.replaces_id and self.district_id and self.replaces.district_id != self.district_id:
            raise ValidationError({"replaces": _("A plan can only replace a plan of the same district.")})

    def progress(self) -> Decimal | None:
        initiatives = Initiative.objects.filter(priority__plan=self).exclude(
            status=Initiative.Status.CANCELLED
        )
        return rules.plan_progress(i.progress for i in initiatives.with_progress())


class PriorityIssue(models.Model):
    """The catalogue of crime and safety issues a plan can set as a priority."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("priority issue")
        verbose_name_plural = _("priority issues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# A plan's priorities are a handful: a rank in the thousands is a typo (the column would take 32,767).
MAX_RANK = 99
# Milestone weights are shares relative to each other: 0 to 100 says anything a plan needs.
MAX_WEIGHT = 100


class PlanPriority(CarriesLogs, Tracked):
    class Evidence(models.TextChoices):
        STATISTICS = "statistics", _("Crime statistics")
        SURVEY = "survey", _("Perception survey")
        FOCUS_GROUP = "focus_group", _("Focus group")
        ASSESSMENT = "assessment", _("Assessment")
        OTHER = "other", _("Other")

    district_path = "plan__district"
    parent_field = "plan"
    logs_path = "initiative__priority"

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="priorities"
    )
    issue = models.ForeignKey(
        PriorityIssue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="plan_priorities"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    problem_statement = models.TextField(_("problem statement"), blank=True)
    evidence_source = models.CharField(
        _("evidence from"), max_length=16, choices=Evidence.choices, default=Evidence.ASSESSMENT
    )
    evidence = models.TextField(_("evidence"), blank=True)
    objective = models.TextField(_("objective"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan priority")
        verbose_name_plural = _("plan priorities")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "rank"],
                name="priority_unique_rank",
                violation_error_message=_("Another priority of this plan has this rank."),
            ),
            models.UniqueConstraint(
                fields=["plan", "issue"],
                name="priority_unique_issue",
                violation_error_message=_("This issue is already a priority of the plan."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=MAX_RANK),
                name="priority_rank_range",
                violation_error_message=_("Ranks go from 1 to 99."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.issue}"


# What ``InitiativeQuerySet.with_progress()`` annotates: what ``progress`` and ``health`` are worked out from.
PROGRESS_FIELDS = (
    "ms_total_weight",
    "ms_done_weight",
    "ms_total_count",
    "ms_done_count",
    "ms_overdue_count",
    "ms_oldest_overdue",
    "latest_update_percent",
)


def progress_of(row) -> Decimal:
    """``Initiative.progress`` from plain values: a row of ``with_progress().values("status",
    *PROGRESS_FIELDS)``, so a list of thousands needs no model objects."""
    return rules.initiative_progress(
        done_weight=row["ms_done_weight"],
        total_weight=row["ms_total_weight"],
        done_count=row["ms_done_count"],
        total_count=row["ms_total_count"],
        latest_update_percent=row["latest_update_percent"],
        is_completed=row["status"] == Initiative.Status.COMPLETED,
    )


def health_of(row, today: dt.date, progress: Decimal | None = None) -> rules.Health:
    """``Initiative.health`` from plain values: ``progress_of``'s row with ``starts_on`` and ``ends_on``.

    ``progress`` is ``progress_of(row)`` when the caller has it already: a list of thousands needs both.
    """
    return rules.initiative_health(
        status=row["status"],
        progress=progress_of(row) if progress is None else progress,
        start=row["starts_on"],
        end=row["ends_on"],
        overdue_count=row["ms_overdue_count"],
        oldest_overdue_due=row["ms_oldest_overdue"],
        today=today,
    )


class InitiativeQuerySet(ScopedQuerySet):
    def with_progress(self, today: dt.date | None = None) -> InitiativeQuerySet:
        """Annotate what ``progress`` and ``health`` need, so a list of initiatives costs one query."""
        today = today or timezone.localdate()
        live = ~Q(milestones__status=Milestone.Status.CANCELLED)
        overdue = Q(milestones__status=Milestone.Status.PENDING, milestones__due_on__lt=today)
        latest_update = ProgressUpdate.objects.filter(initiative=OuterRef("pk")).order_by(
            "-reported_on", "-pk"
        )
        return self.annotate(
            ms_total_weight=Coalesce(Sum("milestones__weight", filter=live), 0),
            ms_done_weight=Coalesce(
                Sum("milestones__weight", filter=Q(milestones__status=Milestone.Status.DONE)), 0
            ),
            ms_total_count=Count("milestones", filter=live),
            ms_done_count=Count("milestones", filter=Q(milestones__status=Milestone.Status.DONE)),
            ms_overdue_count=Count("milestones", filter=overdue),
            ms_oldest_overdue=models.Min("milestones__due_on", filter=overdue),
            latest_update_percent=Subquery(latest_update.values("percent_complete")[:1]),
        )

    def for_lists(self) -> InitiativeQuerySet:
        return self.select_related(
            "priority__issue", "priority__plan__district", "lead_organisation"
        ).with_progress()


class Initiative(CarriesLogs, Tracked):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    district_path = "priority__plan__district"
    parent_field = "priority"
    logs_path = "initiative"

    priority = models.ForeignKey(
        PlanPriority, verbose_name=_("priority"), on_delete=models.PROTECT, related_name="initiatives"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    objective = models.TextField(_("objective"), blank=True)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_initiatives",
    )
    partners = models.ManyToManyField(
        "accounts.Organisation",
        through="InitiativePartner",
        verbose_name=_("partners"),
        related_name="partner_initiatives",
        blank=True,
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    planned_outputs = models.TextField(_("planned outputs"), blank=True)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget_currency = currency_field(_("budget currency"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    risks = models.TextField(_("risks"), blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["priority__rank", "title"]
        indexes = [
            models.Index(fields=["priority", "status"]),
            models.Index(fields=["lead_organisation", "status"]),
        ]
        constraints = [
            date_order_check("starts_on", "ends_on", "initiative_period_order"),
            *coordinates_check("initiative"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="initiative_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget_currency__regex=r"^[A-Z]{3}$"),
                name="initiative_budget_has_currency",
                violation_error_message=_("A budget needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def _progress_row(self, today: dt.date | None = None) -> dict:
        """What ``progress_of`` and ``health_of`` read, from ``with_progress()``'s annotations (fetched
        here, as of ``today``, if the object did not come with them)."""
        if not hasattr(self, "ms_total_weight"):
            annotated = Initiative.objects.with_progress(today=today).get(pk=self.pk)
            for name in PROGRESS_FIELDS:
                setattr(self, name, getattr(annotated, name))
        row = {name: getattr(self, name) for name in PROGRESS_FIELDS}
        return {**row, "status": self.status, "starts_on": self.starts_on, "ends_on": self.ends_on}

    @property
    def progress(self) -> Decimal:
        return progress_of(self._progress_row())

    @property
    def progress_source(self) -> str:
        """Which rule gave the figure, for the explanation next to it."""
        row = self._progress_row()
        if self.status == self.Status.COMPLETED:
            return "completed"
        if row["ms_total_count"]:
            return "milestones"
        if row["latest_update_percent"] is not None:
            return "update"
        return "none"

    def health(self, today: dt.date | None = None) -> rules.Health:
        """On track, at risk or off track as of ``today``.

        Overdue milestones are counted as of the day given to ``with_progress()`` when the object came
        annotated from it (pass the same day to both), otherwise as of ``today``.
        """
        today = today or timezone.localdate()
        return health_of(self._progress_row(today), today)


class InitiativePartner(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        IMPLEMENTING = "implementing", _("Implementing")
        SUPPORTING = "supporting", _("Supporting")
        FUNDING = "funding", _("Funding")

    district_path = "initiative__priority__plan__district"

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    responsibility = models.TextField(_("responsible for"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative partner")
        verbose_name_plural = _("initiative partners")
        ordering = ["initiative", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organisation"],
                name="partner_unique_per_initiative",
                violation_error_message=_("This organisation is already a partner of the initiative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Milestone(Tracked):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    district_path = "initiative__priority__plan__district"

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("Its share of the initiative's progress, relative to the others.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_note = models.TextField(_("evidence"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["initiative", "status", "due_on"]),
            # Everything ``with_progress()`` counts, so that a donor's thousands of initiatives are summed
            # up from the index alone.
            models.Index(
                fields=["initiative"],
                include=["id", "status", "weight", "due_on"],
                name="milestone_progress_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="milestone_done_has_date",
                violation_error_message=_("A done milestone has a completion date, and only a done one."),
            ),
            models.CheckConstraint(
                condition=Q(weight__lte=MAX_WEIGHT),
                name="milestone_weight_range",
                violation_error_message=_("Weights go up to 100: they are shares relative to each other."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status == self.Status.PENDING and self.due_on < (today or timezone.localdate())


class ProgressUpdate(Tracked):
    district_path = "initiative__priority__plan__district"

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField(_("reported on"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    status = models.CharField(_("status"), max_length=16, choices=Initiative.Status.choices)
    percent_complete = models.PositiveSmallIntegerField(_("percent complete"))
    narrative = models.TextField(_("narrative"))
    spent_to_date = models.DecimalField(
        _("spent to date"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    spent_currency = currency_field(_("currency of spending"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reported_on", "-pk"]
        # The latest update of each initiative, with its figure, read from the index alone.
        indexes = [
            models.Index(
                fields=["initiative", "-reported_on", "-id"],
                include=["percent_complete"],
                name="update_latest_idx",
            )
        ]
        constraints = [
            percent_check("percent_complete", "update_percent_range"),
            models.CheckConstraint(
                condition=Q(spent_to_date__isnull=True)
                | Q(spent_to_date__gte=0, spent_currency__regex=r"^[A-Z]{3}$"),
                name="update_spending_valid",
                violation_error_message=_("Spending is not negative and needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.reported_on}"
