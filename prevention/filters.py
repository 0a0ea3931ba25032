"""Filters for the lists (django-filter). Every choice list shows only what the user can see."""

from __future__ import annotations

from functools import cached_property

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Membership, Organisation
from prevention.models import ActivityLog, District, Initiative, InitiativePartner
from prevention.widgets import ChecksPeriod, LazyChoices, MarksInvalidFields, QuickSelect, labelled_rows


def _visible_initiatives(request: HttpRequest) -> QuerySet[Initiative]:
    return Initiative.objects.visible_to(request.user)


def log_districts(request: HttpRequest) -> QuerySet[District]:
    district_ids = _visible_initiatives(request).values(Initiative.district_path)
    return District.objects.filter(pk__in=district_ids).order_by("name")


def _log_initiatives(request: HttpRequest) -> QuerySet[Initiative]:
    """What a chosen initiative is checked against; the choices shown come from ``_initiative_choices``."""
    return _visible_initiatives(request)


def _initiative_rows(initiatives: QuerySet[Initiative]) -> list[tuple[int, str, int, str]]:
    """The initiatives as (id, title, district id, district name), by district then title.

    Plain rows, not model instances: an official of a large district sees about a thousand, and whole
    instances with their plan and district took longer than the rest of the page. The district
    filter's choices come from the same rows (the districts of the visible initiatives).
    """
    district = Initiative.district_path
    return list(
        initiatives.order_by(f"{district}__name", district, "title", "pk").values_list(
            "pk", "title", district, f"{district}__name"
        )
    )


def _district_choices(rows: list[tuple[int, str, int, str]]) -> list:
    districts = {district_pk: name for _pk, _title, district_pk, name in rows}
    return [("", _("All")), *districts.items()]


def _initiative_choices(rows: list[tuple[int, str, int, str]]) -> list:
    """The initiatives by title, grouped by district when there are several districts."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for pk, title, district_pk, name in rows:
        groups.setdefault(district_pk, (name, []))[1].append((pk, title))
    if len(groups) == 1:
        return [("", _("All")), *next(iter(groups.values()))[1]]
    return [("", _("All")), *groups.values()]


def _organisation_choices(organisations: QuerySet[Organisation]) -> list:
    return [("", _("All")), *labelled_rows(organisations, ("short_name", "name"))]


def log_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """Organisations that can have logs the user sees, found without reading the logs themselves.

    Those taking part in a visible initiative, those with members in its districts (a district
    administration logs too), and the user's own. Reading the logs' organisations instead would scan
    every visible log just to fill a drop-down.
    """
    initiatives = _visible_initiatives(request)
    partnerships = InitiativePartner.objects.visible_to(request.user)
    districts = District.objects.filter(
        Exists(initiatives.filter(**{Initiative.district_path: OuterRef("pk")}))
    )
    own = access.scope_for(request.user).organisation_ids()
    # Each source is an EXISTS per organisation (a couple of hundred), which the database can stop at
    # its first row. Joining all three at once multiplied the rows (every partnership times every
    # membership); listing every lead, partner and district of the visible initiatives took tens of
    # milliseconds for an administrator or a large donor. Partnerships are read through the access
    # rules, which show those of the visible initiatives, without a join to them.
    return (
        Organisation.objects.filter(
            Exists(initiatives.filter(lead_organisation=OuterRef("pk")))
            | Exists(partnerships.filter(organisation=OuterRef("pk")))
            | Exists(Membership.objects.filter(organisation=OuterRef("pk"), districts__in=districts))
            | Q(pk__in=own)
        )
        .exclude(kind=Organisation.Kind.DONOR)
        .order_by("name")
    )


class DateInput(forms.DateInput):
    input_type = "date"


class FilterBarForm(MarksInvalidFields, forms.Form):
    """A filter bar's form carrying Bootstrap's classes itself, for a template to write its fields plainly.

    crispy-forms wrote them per field on every page view, and took longer than the fields themselves.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"


class LogFilterForm(ChecksPeriod, FilterBarForm):
    pass


class ActivityLogFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="district",
        queryset=log_districts,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    initiative = django_filters.ModelChoiceFilter(
        label=_("Initiative"), queryset=_log_initiatives, empty_label=_("All"), widget=QuickSelect
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=log_organisations, empty_label=_("All"), widget=QuickSelect
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityLog.Kind.choices, empty_label=_("All"), widget=QuickSelect
    )
    state = django_filters.ChoiceFilter(
        label=_("Review"),
        field_name="review_state",
        choices=ActivityLog.ReviewState.choices,
        empty_label=_("All"),
        widget=QuickSelect,
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
        form = LogFilterForm

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        # Only what is shown changes: the fields' own querysets read as plain rows, and only when the form
        # is shown. An export checks a chosen value against the field's queryset without listing every
        # choice.
        fields = self.form.fields
        fields["district"].widget.choices = LazyChoices(lambda: _district_choices(self._initiative_rows))
        fields["initiative"].widget.choices = LazyChoices(lambda: _initiative_choices(self._initiative_rows))
        organisations = fields["organisation"].queryset
        fields["organisation"].widget.choices = LazyChoices(lambda: _organisation_choices(organisations))

    @cached_property
    def _initiative_rows(self) -> list[tuple[int, str, int, str]]:
        return _initiative_rows(self.form.fields["initiative"].queryset)

    @property
    def active_count(self) -> int:
        """How many filters narrow the list, for the summary shown when the filters are folded."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filters if self.data.get(name))
