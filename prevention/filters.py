"""Filters for the lists (django-filter). Every choice list shows only what the user can see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Membership, Organisation
from prevention.models import ActivityLog, District, Initiative, InitiativePartner


def _visible_initiatives(request: HttpRequest) -> QuerySet[Initiative]:
    return Initiative.objects.visible_to(request.user)


def _log_districts(request: HttpRequest) -> QuerySet[District]:
    district_ids = _visible_initiatives(request).values(Initiative.district_path)
    return District.objects.filter(pk__in=district_ids).order_by("name")


def _log_initiatives(request: HttpRequest) -> QuerySet[Initiative]:
    return (
        _visible_initiatives(request)
        .select_related("priority__plan__district")
        .order_by("priority__plan__district__name", "title")
    )


def _log_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """Organisations that can have logs the user sees, found without reading the logs themselves.

    Those taking part in a visible initiative, those with members in its districts (a district
    administration logs too), and the user's own. Reading the logs' organisations instead would scan
    every visible log just to fill a drop-down.
    """
    initiatives = _visible_initiatives(request)
    districts = initiatives.values(Initiative.district_path)
    own = access.scope_for(request.user).organisation_ids()
    # Each source is its own subquery: joining all three at once multiplied the rows (every
    # partnership times every membership) and took seconds on a national dataset.
    return (
        Organisation.objects.filter(
            Q(pk__in=initiatives.values("lead_organisation"))
            | Q(
                pk__in=InitiativePartner.objects.filter(initiative__in=initiatives.values("pk")).values(
                    "organisation"
                )
            )
            | Q(pk__in=Membership.objects.filter(districts__in=districts).values("organisation"))
            | Q(pk__in=own)
        )
        .exclude(kind=Organisation.Kind.DONOR)
        .order_by("name")
    )


class DateInput(forms.DateInput):
    input_type = "date"


class ActivityLogFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="initiative__priority__plan__district",
        queryset=_log_districts,
        empty_label=_("All"),
    )
    initiative = django_filters.ModelChoiceFilter(
        label=_("Initiative"), queryset=_log_initiatives, empty_label=_("All")
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=_log_organisations, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityLog.Kind.choices, empty_label=_("All")
    )
    state = django_filters.ChoiceFilter(
        label=_("Review"),
        field_name="review_state",
        choices=ActivityLog.ReviewState.choices,
        empty_label=_("All"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="occurred_on", lookup_expr="lte", widget=DateInput
    )

    class Meta:
        model = ActivityLog
        fields: list[str] = []

    @property
    def active_count(self) -> int:
        """How many filters narrow the list, for the summary shown when the filters are folded."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filters if self.data.get(name))
