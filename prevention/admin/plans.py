from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin, DomainInline, amount
from prevention.models import (
    ActionPlan,
    FundingLine,
    Initiative,
    InitiativePartner,
    Meeting,
    Milestone,
    PlanPriority,
    PriorityIssue,
    ProgressUpdate,
    Spending,
)

# Text areas inside table rows: small enough that a row stays readable.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


@admin.register(PriorityIssue)
class PriorityIssueAdmin(DomainAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class PlanPriorityInline(DomainInline):
    model = PlanPriority
    fields = ["rank", "issue", "problem_statement", "evidence_source", "evidence", "objective"]
    autocomplete_fields = ["issue"]
    formfield_overrides = COMPACT_TEXT
    show_change_link = True
    row_select_related = ("issue",)


class MeetingInline(DomainInline):
    model = Meeting
    fields = ["held_on", "kind", "title", "place", "attendance"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(DomainAdmin):
    list_display = [
        "title",
        "district",
        "period_start",
        "period_end",
        "status",
        "is_published",
        "approved_on",
    ]
    list_filter = [
        "status",
        "is_published",
        ("district", admin.RelatedOnlyFieldListFilter),
        "district__region__country",
    ]
    list_select_related = ["district"]
    search_fields = ["title", "district__name", "decision_number", "approval_body"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["district", "replaces"]
    inlines = [PlanPriorityInline, MeetingInline]
    fieldsets = [
        (None, {"fields": ["district", "title", "period_start", "period_end", "status", "summary"]}),
        (
            _("Approval"),
            {"fields": ["approved_on", "approval_body", "decision_number", "signatories", "presented_on"]},
        ),
        (_("Publication and succession"), {"fields": ["is_published", "replaces"]}),
    ]


@admin.register(PlanPriority)
class PlanPriorityAdmin(DomainAdmin):
    list_display = ["rank", "issue", "plan", "district", "evidence_source"]
    list_display_links = ["rank", "issue"]
    list_filter = ["evidence_source", "issue", ("plan__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["issue", "plan__district"]
    search_fields = ["issue__name", "plan__title", "plan__district__name", "problem_statement"]
    autocomplete_fields = ["plan", "issue"]

    @admin.display(description=_("district"), ordering="plan__district__name")
    def district(self, obj: PlanPriority):
        return obj.plan.district


class InitiativePartnerInline(DomainInline):
    model = InitiativePartner
    fields = ["organisation", "role", "responsibility"]
    autocomplete_fields = ["organisation"]
    formfield_overrides = COMPACT_TEXT
    row_select_related = ("organisation",)


class FundingLineInline(DomainInline):
    model = FundingLine
    fields = ["funder", "source_type", "amount", "currency", "committed_on", "note"]
    autocomplete_fields = ["funder"]
    # Spending is recorded on the funding line's own page.
    show_change_link = True
    row_select_related = ("funder",)


class MilestoneInline(DomainInline):
    model = Milestone
    fields = ["title", "due_on", "weight", "status", "completed_on", "completed_by", "evidence_note"]
    autocomplete_fields = ["completed_by"]
    formfield_overrides = COMPACT_TEXT


class ProgressUpdateInline(DomainInline):
    model = ProgressUpdate
    fields = [
        "reported_on",
        "status",
        "percent_complete",
        "narrative",
        "spent_to_date",
        "spent_currency",
        "author",
    ]
    autocomplete_fields = ["author"]
    formfield_overrides = COMPACT_TEXT
    row_select_related = ("initiative",)


@admin.register(Initiative)
class InitiativeAdmin(DomainAdmin):
    list_display = [
        "title",
        "district",
        "issue",
        "lead_organisation",
        "status",
        "progress_percent",
        "starts_on",
        "ends_on",
    ]
    list_filter = [
        "status",
        ("priority__plan__district", admin.RelatedOnlyFieldListFilter),
        "priority__issue",
        "lead_organisation__kind",
    ]
    list_select_related = ["priority__issue", "priority__plan__district", "lead_organisation"]
    search_fields = ["title", "location", "lead_organisation__name", "priority__plan__title"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["priority", "lead_organisation"]
    readonly_fields = ["money"]
    inlines = [InitiativePartnerInline, FundingLineInline, MilestoneInline, ProgressUpdateInline]
    fieldsets = [
        (None, {"fields": ["priority", "title", "lead_organisation", "status", "starts_on", "ends_on"]}),
        (
            _("Content"),
            {"fields": ["description", "objective", "planned_outputs", "risks", "means_of_verification"]},
        ),
        (_("Place"), {"fields": ["location", "latitude", "longitude"]}),
        (_("Money"), {"fields": ["budget", "budget_currency", "money"]}),
    ]

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.with_progress(timezone.localdate())

    @admin.display(description=_("district"), ordering="priority__plan__district__name")
    def district(self, obj: Initiative):
        return obj.priority.plan.district

    @admin.display(description=_("priority issue"), ordering="priority__issue__name")
    def issue(self, obj: Initiative):
        return obj.priority.issue

    @admin.display(description=_("progress"))
    def progress_percent(self, obj: Initiative) -> str:
        return f"{obj.progress:.0f} %"

    @admin.display(description=_("committed and spent"))
    def money(self, obj: Initiative) -> str:
        """Per currency: amounts in two currencies are never added together."""
        if obj.pk is None:
            return "–"
        committed = dict(
            FundingLine.objects.filter(initiative=obj)
            .values_list("currency")
            .annotate(total=Sum("amount"))
            .order_by("currency")
        )
        spent = dict(
            Spending.objects.filter(funding_line__initiative=obj)
            .values_list("funding_line__currency")
            .annotate(total=Sum("amount"))
            .order_by("funding_line__currency")
        )
        if not committed:
            return _("No funding lines yet.")
        return format_html_join(
            "",
            "<div>{}: {} · {}: {}</div>",
            (
                (
                    _("committed"),
                    amount(total, currency),
                    _("spent"),
                    amount(spent.get(currency, 0), currency),
                )
                for currency, total in committed.items()
            ),
        )


@admin.register(InitiativePartner)
class InitiativePartnerAdmin(DomainAdmin):
    list_display = ["organisation", "role", "initiative", "district"]
    list_filter = ["role", "organisation__kind"]
    list_select_related = ["organisation", "initiative__priority__plan__district"]
    search_fields = ["organisation__name", "initiative__title", "responsibility"]
    autocomplete_fields = ["initiative", "organisation"]

    @admin.display(description=_("district"), ordering="initiative__priority__plan__district__name")
    def district(self, obj: InitiativePartner):
        return obj.initiative.priority.plan.district


@admin.register(Milestone)
class MilestoneAdmin(DomainAdmin):
    list_display = ["title", "initiative", "due_on", "weight", "status", "completed_on", "overdue"]
    list_filter = ["status", ("initiative__priority__plan__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["initiative"]
    search_fields = ["title", "initiative__title", "evidence_note"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["initiative", "completed_by"]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: Milestone) -> bool:
        return obj.is_overdue()


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(DomainAdmin):
    list_display = ["initiative", "reported_on", "status", "percent_complete", "spent", "author"]
    list_filter = ["status", ("initiative__priority__plan__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["initiative", "author"]
    search_fields = ["initiative__title", "narrative"]
    date_hierarchy = "reported_on"
    autocomplete_fields = ["initiative", "author"]

    @admin.display(description=_("spent to date"), ordering="spent_to_date")
    def spent(self, obj: ProgressUpdate) -> str:
        return amount(obj.spent_to_date, obj.spent_currency)
