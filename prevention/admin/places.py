from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin
from prevention.models import Hotspot, Risk, SafetyContact


@admin.register(Risk)
class RiskAdmin(DomainAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Hotspot)
class HotspotAdmin(DomainAdmin):
    list_display = ["name", "kind", "region", "district", "risk_names", "is_published"]
    list_filter = ["is_published", "kind", ("region", admin.RelatedOnlyFieldListFilter), "risks"]
    list_select_related = ["region", "district"]
    search_fields = ["name", "description", "advice", "region__name", "district__name"]
    autocomplete_fields = ["region", "district", "risks", "initiatives"]

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.prefetch_related("risks")

    @admin.display(description=_("risks"))
    def risk_names(self, obj: Hotspot) -> str:
        return ", ".join(risk.name for risk in obj.risks.all())


@admin.register(SafetyContact)
class SafetyContactAdmin(DomainAdmin):
    list_display = ["name", "kind", "phone", "country", "district", "city", "order"]
    list_filter = ["kind", "country"]
    list_select_related = ["country", "district"]
    search_fields = ["name", "phone", "city", "services"]
    autocomplete_fields = ["country", "district"]
