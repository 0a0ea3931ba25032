"""Crime statistics: a year's figures for every category at once, and the edit of one figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prevention.editing import VersionedModelForm
from prevention.models import CrimeStatistic, District
from prevention.widgets import MarksInvalidFields

if TYPE_CHECKING:
    from accounts.models import User

EARLIEST_YEAR = 1900
# The largest count the database column holds; no district comes near it, but a typo might.
MAX_COUNT = 2_147_483_647
COUNT_PREFIX = "count_"


def _latest_allowed_year() -> int:
    """Figures describe a year that has begun; a later year is a typo."""
    return timezone.localdate().year


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=EARLIEST_YEAR,
        help_text=gettext_lazy("The calendar year the figures cover."),
    )


def figure_error(*, year: int | None, count: int | None = None) -> tuple[str, str] | None:
    """What is wrong with a figure's year or count, as (field, message); the forms and the import ask."""
    if year is not None and year > _latest_allowed_year():
        return "year", _("Figures can be entered up to %(year)d, the current year.") % {
            "year": _latest_allowed_year()
        }
    if count is not None and count > MAX_COUNT:
        return "count", _("A count above %(limit)s cannot be right; check the figure.") % {
            "limit": f"{MAX_COUNT:,}"
        }
    return None


def _check_year(year: int | None) -> int | None:
    error = figure_error(year=year)
    if error is not None:
        raise forms.ValidationError(error[1])
    return year


def _duplicate_message(district: District, year: int, label: str) -> str:
    return _(
        "%(district)s already has a figure for %(category)s in %(year)d. Change that figure from the "
        "statistics table instead of adding it again."
    ) % {"district": district, "category": label, "year": year}


def recorded_figures(district_id: int, year: int, *, leaving_out: int | None = None) -> dict[str, int]:
    """The district's recorded counts of the year by category, but ``leaving_out`` (a figure being edited)."""
    stored = CrimeStatistic.objects.filter(district=district_id, year=year)
    if leaving_out is not None:
        stored = stored.exclude(pk=leaving_out)
    return dict(stored.values_list("category", "count"))


def over_the_total(recorded: dict[str, int], counts: dict[str, int]) -> list[tuple[str, str]]:
    """The figures being entered that do not fit the year's total registered crimes, as (category,
    message): ``counts`` are the figures being entered, ``recorded`` the year's others. Every category is
    part of the total, so a larger one is a typo. A total entered below figures already recorded gets
    one message, on the total, naming them."""
    figures = {**recorded, **counts}
    total = figures.pop(CrimeStatistic.Category.TOTAL, None)
    if total is None:
        return []
    labels = dict(CrimeStatistic.Category.choices)
    problems = [
        (
            category,
            _("%(category)s (%(count)s) cannot be more than the year's total registered crimes (%(total)s).")
            % {"category": labels[category], "count": f"{count:,}", "total": f"{total:,}"},
        )
        for category, count in counts.items()
        if category != CrimeStatistic.Category.TOTAL and count > total
    ]
    if CrimeStatistic.Category.TOTAL in counts:
        above = [
            f"{labels[category]} ({count:,})"
            for category, count in recorded.items()
            if category not in counts and category != CrimeStatistic.Category.TOTAL and count > total
        ]
        if above:
            problems.append(
                (
                    CrimeStatistic.Category.TOTAL,
                    _(
                        "The total registered crimes (%(total)s) cannot be less than a category's figure "
                        "already recorded for the year: %(figures)s."
                    )
                    % {"total": f"{total:,}", "figures": ", ".join(above)},
                )
            )
    return problems


class CrimeStatisticYearForm(MarksInvalidFields, forms.Form):
    """One year of a district's figures: a count per category, any left empty are not recorded.

    The form carries Bootstrap's classes itself and marks the fields in error, for the template to write its
    sixteen fields plainly: crispy-forms took longer on the police dashboard than the statistics table.
    """

    year = _year_field()
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("E.g. District police department, annual report."),
    )

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        for value, label in CrimeStatistic.Category.choices:
            self.fields[COUNT_PREFIX + value] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MAX_COUNT,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
        for name in ("year", "source"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def count_fields(self) -> list[forms.BoundField]:
        return [self[COUNT_PREFIX + value] for value in CrimeStatistic.Category.values]

    def clean_year(self) -> int | None:
        return _check_year(self.cleaned_data.get("year"))

    def counts(self) -> dict[str, int]:
        """The categories given a figure, in catalogue order."""
        return {
            value: self.cleaned_data[COUNT_PREFIX + value]
            for value in CrimeStatistic.Category.values
            if self.cleaned_data.get(COUNT_PREFIX + value) is not None
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        year = cleaned.get("year")
        counts = self.counts()
        if not counts and not any(self.errors.get(COUNT_PREFIX + v) for v in CrimeStatistic.Category.values):
            raise forms.ValidationError(_("Give the count of at least one category."), code="empty")
        if year is None or not counts:
            return cleaned
        # One read of the year's figures answers both checks: which are recorded already, and the total.
        recorded = recorded_figures(self.district.pk, year)
        labels = dict(CrimeStatistic.Category.choices)
        for category in [category for category in counts if category in recorded]:
            self.add_error(
                COUNT_PREFIX + category, _duplicate_message(self.district, year, str(labels[category]))
            )
        # A figure refused as already recorded is not checked against the others: one message a field.
        fresh = {category: count for category, count in counts.items() if category not in recorded}
        for category, message in over_the_total(recorded, fresh):
            self.add_error(COUNT_PREFIX + category, message)
        return cleaned

    def save(self, *, entered_by: User) -> list[CrimeStatistic]:
        """Record the year's figures, a row per category given, all or none.

        ``full_clean`` checks the unique (district, year, category) again inside the transaction, so a
        figure someone else added since the form was checked refuses the whole year.
        """
        recorded = []
        with transaction.atomic():
            for category, count in self.counts().items():
                statistic = CrimeStatistic(
                    district=self.district,
                    year=self.cleaned_data["year"],
                    category=category,
                    count=count,
                    source=self.cleaned_data["source"],
                    entered_by=entered_by,
                )
                statistic.full_clean()
                statistic.save()
                recorded.append(statistic)
        return recorded


class CrimeStatisticForm(VersionedModelForm):
    """The edit of one figure, refused if someone saved it in the meantime."""

    year = _year_field()
    count = forms.IntegerField(label=gettext_lazy("Count"), min_value=0, max_value=MAX_COUNT)

    class Meta:
        model = CrimeStatistic
        fields = ["year", "category", "count", "source"]

    def clean_year(self) -> int | None:
        return _check_year(self.cleaned_data.get("year"))

    def clean(self) -> dict:
        cleaned = super().clean()
        year, category = cleaned.get("year"), cleaned.get("category")
        if year is None or not category:
            return cleaned
        # The year's other figures answer both checks. The district is not a field of the form, so the
        # model's unique constraint is not checked for us.
        recorded = recorded_figures(self.instance.district_id, year, leaving_out=self.instance.pk)
        if category in recorded:
            label = dict(CrimeStatistic.Category.choices)[category]
            self.add_error("category", _duplicate_message(self.instance.district, year, str(label)))
        count = cleaned.get("count")
        if count is not None:
            problems = over_the_total(recorded, {category: count})
            if problems:
                self.add_error("count", " ".join(message for _category, message in problems))
        return cleaned
