from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin, DomainInline
from prevention.models import Indicator, Measurement


class MeasurementInline(DomainInline):
    model = Measurement
    fields = ["period_start", "measured_on", "value", "source", "entered_by", "note"]
    autocomplete_fields = ["entered_by"]
    row_select_related = ("indicator",)


@admin.register(Indicator)
class IndicatorAdmin(DomainAdmin):
    list_display = [
        "name",
        "plan",
        "level",
        "direction",
        "baseline_value",
        "target_value",
        "latest_value",
        "progress_percent",
    ]
    list_filter = ["level", "direction", "frequency", ("plan__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["plan"]
    search_fields = ["name", "source", "plan__title", "plan__district__name"]
    autocomplete_fields = ["plan", "priority", "initiative"]
    inlines = [MeasurementInline]

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.with_latest()

    @admin.display(description=_("latest value"))
    def latest_value(self, obj: Indicator):
        return obj.current_value

    @admin.display(description=_("progress"))
    def progress_percent(self, obj: Indicator) -> str:
        progress = obj.progress
        return "–" if progress is None else f"{progress:.0f} %"


@admin.register(Measurement)
class MeasurementAdmin(DomainAdmin):
    list_display = ["indicator", "measured_on", "value", "source", "entered_by"]
    list_filter = [("indicator__plan__district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["indicator", "entered_by"]
    search_fields = ["indicator__name", "source", "note"]
    date_hierarchy = "measured_on"
    autocomplete_fields = ["indicator", "entered_by"]
