from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin, DomainInline, amount
from prevention.models import FundingLine, Spending


class SpendingInline(DomainInline):
    model = Spending
    fields = ["spent_on", "amount", "description"]
    row_select_related = ("funding_line",)


@admin.register(FundingLine)
class FundingLineAdmin(DomainAdmin):
    list_display = ["funder", "committed", "spent", "initiative", "source_type", "committed_on"]
    list_filter = ["source_type", "currency", ("funder", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["funder", "initiative"]
    search_fields = ["funder__name", "funder__short_name", "initiative__title", "note"]
    date_hierarchy = "committed_on"
    autocomplete_fields = ["initiative", "funder"]
    inlines = [SpendingInline]

    def annotate_changelist(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # Spending is in its funding line's currency, so one sum per line is one currency.
        return queryset.annotate(spent_total=Sum("spendings__amount"))

    @admin.display(description=_("amount"), ordering="amount")
    def committed(self, obj: FundingLine) -> str:
        return amount(obj.amount, obj.currency)

    @admin.display(description=_("spent"), ordering="spent_total")
    def spent(self, obj: FundingLine) -> str:
        return amount(obj.spent_total or 0, obj.currency)


@admin.register(Spending)
class SpendingAdmin(DomainAdmin):
    list_display = ["spent_on", "description", "spent", "initiative", "funder"]
    list_display_links = ["spent_on", "description"]
    list_filter = ["funding_line__currency", ("funding_line__funder", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["funding_line__initiative", "funding_line__funder"]
    search_fields = ["description", "funding_line__initiative__title", "funding_line__funder__name"]
    date_hierarchy = "spent_on"
    autocomplete_fields = ["funding_line"]

    @admin.display(description=_("amount"), ordering="amount")
    def spent(self, obj: Spending) -> str:
        return amount(obj.amount, obj.funding_line.currency)

    @admin.display(description=_("initiative"), ordering="funding_line__initiative__title")
    def initiative(self, obj: Spending):
        return obj.funding_line.initiative

    @admin.display(description=_("funder"), ordering="funding_line__funder__name")
    def funder(self, obj: Spending):
        return obj.funding_line.funder
