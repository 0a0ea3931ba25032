"""Change lists that stay fast over a million rows, for the admin and the donor site alike.

Django's change list counts every matching row for its paginator, and its date hierarchy and
``RelatedOnlyFieldListFilter`` read every row for their choices (DISTINCT years, DISTINCT
organisations): seconds on a national dataset. Here the paginator counts no further than it can page,
the years come from the first and last date (two index reads), and the choices of the filters come from
the small tables (districts, initiatives, organisations through their partnerships and memberships).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from prevention.admin.base import district_choices
from prevention.filters import log_districts, log_organisations
from prevention.models import Initiative
from prevention.widgets import labelled_rows


class QuickActionCheckbox:
    """A change list's row checkbox written by Python, in the markup of Django's own.

    Django renders a ``CheckboxInput`` through the form templates for each row: on a list of fifty
    logs, a seventh of the page's work.
    """

    def action_checkbox(self, obj: models.Model) -> SafeString:
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class PageFirstChangeList(ChangeList):
    """Finds the page's rows by their ids first, then loads those rows with what their columns show.

    Ordering every matching row with its joined columns before keeping fifty (a large donor's two
    thousand funding lines, each with its initiative's descriptions) took most of the page's query;
    the ids and the ordering columns are enough to find the page. ``page_rows`` loads the rows.
    """

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        pks = list(self.result_list.values_list("pk", flat=True))
        rows = self.page_rows(pks)
        self.result_list = [rows[pk] for pk in pks]

    def page_rows(self, pks: list[int]) -> dict[int, models.Model]:
        # By the ids the user's scoped and filtered list has just found. Asking the access rules again
        # only misled the database: it went through every initiative a large donor funds to find fifty
        # funding lines.
        rows = self.apply_select_related(self.model._default_manager.order_by())
        return rows.in_bulk(pks)


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: beyond them, the list says so and the filters narrow it down.

    ``capped`` tells the templates that more rows match than the pages reach.
    """

    cap = 1000

    @cached_property
    def _counted(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


class YearListFilter(admin.SimpleListFilter):
    """The years between the first and the last row, newest first, instead of a DISTINCT over all rows."""

    title = _("year")
    parameter_name = "year"
    date_field = "occurred_on"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        # Two ordered reads of one row each walk the date index from either end; MIN and MAX in one
        # query would read every row.
        dates = model_admin.get_queryset(request).values_list(self.date_field, flat=True)
        first = dates.order_by(self.date_field).first()
        last = dates.order_by(f"-{self.date_field}").first()
        if first is None or last is None:
            return []
        years = range(last.year, first.year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.date_field}__year": int(value)})
        return queryset


class _ChoicesFromQueryset(admin.RelatedFieldListFilter):
    """A relation's filter whose choices are ``choices_queryset(request)``, not the rows' own values.

    A large donor's or an administrator's side bar lists a couple of hundred organisations and
    districts: they are read as plain rows labelled from ``label_fields``, and their links written by
    Python (``list_filter.html``) rather than model instances and a template loop.
    """

    template = "admin/prevention/list_filter.html"
    label_fields: tuple[str, ...] = ("name",)
    capped = False

    def choices_queryset(self, request: HttpRequest) -> models.QuerySet:
        raise NotImplementedError

    def field_choices(self, field, request: HttpRequest, model_admin) -> list[tuple[int, str]]:
        return labelled_rows(self.choices_queryset(request), self.label_fields)


class DistrictListFilter(_ChoicesFromQueryset):
    """The districts the user may see (an administrator: all of them)."""

    def choices_queryset(self, request: HttpRequest) -> models.QuerySet:
        return district_choices(request.user).order_by("name")


class LogOrganisationListFilter(_ChoicesFromQueryset):
    """Organisations that can have logs the user sees, found from partnerships and memberships."""

    label_fields = ("short_name", "name")

    def choices_queryset(self, request: HttpRequest) -> models.QuerySet:
        return log_organisations(request)


class VisibleInitiativeListFilter(_ChoicesFromQueryset):
    """The initiatives the user sees, by title; when there are more than ``limit``, only the chosen one.

    A large donor funds thousands of initiatives: a side bar of thousands of links takes longer to render
    than the page may, and nobody scrolls it. Then the filter says to open the initiative (its page links
    to its records) or to search, and still shows which initiative the list is narrowed to.
    """

    label_fields = ("title",)
    limit = 100

    def choices_queryset(self, request: HttpRequest) -> models.QuerySet:
        return Initiative.objects.visible_to(request.user).order_by("title")

    def field_choices(self, field, request: HttpRequest, model_admin) -> list[tuple[int, str]]:
        initiatives = self.choices_queryset(request)
        listed = labelled_rows(initiatives[: self.limit + 1], self.label_fields)
        # The chosen ones are read whatever the number: the page's queries do not depend on the data.
        chosen_pks = [value for value in self.lookup_val or [] if value.isdigit()]
        chosen = labelled_rows(initiatives.filter(pk__in=chosen_pks), self.label_fields) if chosen_pks else []
        self.capped = len(listed) > self.limit
        return chosen if self.capped else listed

    def has_output(self) -> bool:
        return self.capped or super().has_output()


class VisibleDistrictListFilter(_ChoicesFromQueryset):
    """The districts of the initiatives the user sees."""

    def choices_queryset(self, request: HttpRequest) -> models.QuerySet:
        return log_districts(request)


class LeadOrganisationListFilter(_ChoicesFromQueryset):
    """The organisations leading an initiative the user sees."""

    label_fields = ("short_name", "name")

    def choices_queryset(self, request: HttpRequest) -> models.QuerySet:
        leads = Initiative.objects.visible_to(request.user).values("lead_organisation")
        return Organisation.objects.filter(pk__in=leads).order_by("name")
