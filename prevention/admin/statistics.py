from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin
from prevention.models import CrimeStatistic


@admin.register(CrimeStatistic)
class CrimeStatisticAdmin(DomainAdmin):
    list_display = ["district", "year", "category", "count", "rate", "source", "entered_by"]
    list_filter = ["year", "category", ("district", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["district", "entered_by"]
    search_fields = ["district__name", "source"]
    autocomplete_fields = ["district", "entered_by"]

    @admin.display(description=_("per 100,000 inhabitants"))
    def rate(self, obj: CrimeStatistic):
        return obj.rate_per_100k
