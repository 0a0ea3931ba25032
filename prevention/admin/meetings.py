from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin, DomainInline
from prevention.admin.plans import COMPACT_TEXT
from prevention.models import Meeting, MeetingDecision


class MeetingDecisionInline(DomainInline):
    model = MeetingDecision
    fields = ["text", "initiative", "responsible", "due_on", "is_done"]
    autocomplete_fields = ["initiative", "responsible"]
    formfield_overrides = COMPACT_TEXT


@admin.register(Meeting)
class MeetingAdmin(DomainAdmin):
    list_display = ["title", "held_on", "kind", "plan", "district", "attendance"]
    list_filter = ["kind", ("plan__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["plan__district"]
    search_fields = ["title", "place", "attendees", "minutes", "plan__title"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["plan"]
    inlines = [MeetingDecisionInline]

    @admin.display(description=_("district"), ordering="plan__district__name")
    def district(self, obj: Meeting):
        return obj.plan.district


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(DomainAdmin):
    list_display = ["decision", "meeting", "initiative", "responsible", "due_on", "is_done"]
    list_filter = ["is_done", ("meeting__plan__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting", "initiative", "responsible"]
    search_fields = ["text", "meeting__title", "initiative__title"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["meeting", "initiative", "responsible"]

    @admin.display(description=_("decision"), ordering="text")
    def decision(self, obj: MeetingDecision) -> str:
        return str(obj)
