from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin, DomainInline, district_choices, is_administrator
from prevention.models import Country, District, Region, SafetyContact


class RegionInline(DomainInline):
    model = Region
    fields = ["name", "kind"]
    show_change_link = True


class SafetyContactInline(DomainInline):
    model = SafetyContact
    fields = ["order", "kind", "name", "phone", "city", "district", "hours"]
    autocomplete_fields = ["district"]


@admin.register(Country)
class CountryAdmin(DomainAdmin):
    list_display = ["name", "iso_code", "currency"]
    search_fields = ["name", "iso_code"]
    inlines = [RegionInline, SafetyContactInline]


class DistrictInline(DomainInline):
    model = District
    fields = ["name", "kind", "population", "population_year"]
    show_change_link = True


@admin.register(Region)
class RegionAdmin(DomainAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["country", "kind"]
    list_select_related = ["country"]
    search_fields = ["name", "country__name"]
    autocomplete_fields = ["country"]
    inlines = [DistrictInline]


@admin.register(District)
class DistrictAdmin(DomainAdmin):
    list_display = ["name", "kind", "region", "country", "population", "population_year"]
    list_filter = ["region__country", "kind"]
    list_select_related = ["region__country"]
    search_fields = ["name", "region__name", "region__country__name"]
    autocomplete_fields = ["region"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        # Staff who are not administrators see only their own districts, as everywhere else.
        queryset = super().get_queryset(request)
        if is_administrator(request.user):
            return queryset
        return queryset.filter(pk__in=district_choices(request.user).values("pk"))

    @admin.display(description=_("country"), ordering="region__country__name")
    def country(self, obj: District) -> Country:
        return obj.region.country
