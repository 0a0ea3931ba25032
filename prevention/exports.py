"""Spreadsheet exports: what a list shows, as CSV or XLSX, streamed so that size does not matter.

Each dataset names its columns once (header, where the value comes from); the import reads the same
headers, so an exported file imports back unchanged. Rows come from ``values()`` over the user's scope
with the joins done by the database and are fetched in chunks, so 100,000 rows never sit in memory at
once: CSV and XLSX alike are sent while they are written. On PostgreSQL the database writes a CSV of
plain text, date and whole-number columns itself (``COPY … TO STDOUT``), with the same cells.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) get a leading apostrophe; ``restore_text`` undoes it on import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import operator
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import django_filters
from django.db import connections, models
from django.db.models import F, Func, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from prevention.filters import ActivityLogFilter
from prevention.models import (
    ActionPlan,
    ActivityLog,
    CrimeStatistic,
    District,
    FundingLine,
    Indicator,
    Initiative,
    Milestone,
    Spending,
)
from prevention.models.plans import PROGRESS_FIELDS, health_of, progress_of
from prevention.models.territory import rate_per_100k

if TYPE_CHECKING:
    from django.http import HttpRequest

CHUNK_SIZE = 2000
# Rows of CSV written into one piece of the response: fewer, larger writes to the socket.
CSV_ROWS_PER_PIECE = 500
UTF8_BOM = "\ufeff"  # lets Excel open a UTF-8 CSV with Cyrillic text correctly

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Make a text cell inert for spreadsheets: a leading apostrophe before anything formula-like.

    A value that already starts with apostrophes before a formula character gets one more, so that
    ``restore_text`` gives back exactly what was stored.
    """
    if value.startswith(FORMULA_STARTS) or (
        value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def restore_text(value: str) -> str:
    """Undo ``neutralise``: drop the apostrophe it put before a formula-like value."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass(frozen=True)
class Column:
    """One column of an export: its fixed header and how a row's value is found.

    ``source`` is a path for ``values()`` (``"initiative__title"``) or a function of the row's dict for
    figures computed from several fields. Headers are never translated: a file exported in Russian must
    import in English.
    """

    header: str
    source: str | Callable[[dict], Any]

    def value(self, row: dict) -> Any:
        return self.source(row) if callable(self.source) else row[self.source]


@dataclass(frozen=True)
class Dataset:
    key: str
    title: Any  # a lazy translation
    model: type
    columns: tuple[Column, ...]
    filterset: type[django_filters.FilterSet]
    # Fields read from the database besides the columns' paths (inputs of computed columns).
    extra_fields: tuple[str, ...] = ()
    annotate: Callable[[QuerySet], QuerySet] | None = None
    ordering: tuple[str, ...] = ()

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def fields(self) -> list[str]:
        paths = [column.source for column in self.columns if isinstance(column.source, str)]
        return list(dict.fromkeys([*paths, *self.extra_fields]))

    def filter(self, request: HttpRequest) -> django_filters.FilterSet:
        """The FilterSet of the list the export comes from, over what the user may see."""
        queryset = self.model._default_manager.visible_to(request.user)
        return self.filterset(request.GET, queryset=queryset, request=request)

    @cached_property
    def _column_kinds(self) -> tuple[str, ...] | None:
        """What each column holds, as far as writing it goes: "text", "date", "integer", "number"
        (decimals, floats, booleans) or "other" (times and the rest); None when a column is computed."""
        kinds = []
        for column in self.columns:
            if not isinstance(column.source, str):
                return None
            field = _field_at(self.model, column.source)
            if isinstance(field, (models.CharField, models.TextField)):
                kinds.append("text")
            elif isinstance(field, models.DateTimeField):
                kinds.append("other")
            elif isinstance(field, models.DateField):
                kinds.append("date")
            elif isinstance(field, models.IntegerField):
                kinds.append("integer")
            elif isinstance(field, (models.DecimalField, models.FloatField, models.BooleanField)):
                kinds.append("number")
            else:
                kinds.append("other")
        return tuple(kinds)

    @cached_property
    def text_columns(self) -> tuple[int, ...] | None:
        """Positions of the columns that can hold text, when every other column holds values the csv
        module writes as ``_csv_cell`` would (numbers, dates, nothing); None when a column is computed or
        of another type, and every cell must be looked at.

        Only text can need neutralising: a row whose text cells start harmlessly is written as it came.
        """
        kinds = self._column_kinds
        if kinds is None or "other" in kinds:
            return None
        return tuple(position for position, kind in enumerate(kinds) if kind == "text")

    @cached_property
    def copy_cells(self) -> tuple[Any, ...] | None:
        """The columns as PostgreSQL writes them in ``csv_copy_pieces``: text through ``_CopyText``,
        dates as ISO dates, whole numbers as they are. None when a column is computed or holds decimals,
        booleans or times, whose text PostgreSQL writes differently from the csv module."""
        kinds = self._column_kinds
        cell = {"text": _CopyText, "date": _CopyDate, "integer": F}
        if kinds is None or not set(kinds) <= set(cell):
            return None
        return tuple(cell[kind](column.source) for kind, column in zip(kinds, self.columns, strict=True))

    def csv(self, queryset: QuerySet) -> Iterator[bytes]:
        """The CSV file in pieces. On PostgreSQL, where every column is one it writes as the csv module
        would (``copy_cells``), the database writes the rows itself: a 10,000-row file took 60 ms in
        Python and takes 30 this way, as no row becomes Python values."""
        if connections[queryset.db].vendor == "postgresql" and self.copy_cells is not None:
            return csv_copy_pieces(self.headers, self._ordered(queryset).values_list(*self.copy_cells))
        return csv_pieces(self.headers, self.rows(queryset), self.text_columns)

    def _ordered(self, queryset: QuerySet) -> QuerySet:
        if self.annotate is not None:
            queryset = self.annotate(queryset)
        if self.ordering:
            queryset = queryset.order_by(*self.ordering)
        return queryset

    def rows(self, queryset: QuerySet) -> Iterator[Sequence[Any]]:
        """Rows of cell values, fetched from the database a chunk at a time."""
        queryset = self._ordered(queryset)
        if all(isinstance(column.source, str) for column in self.columns):
            # Nothing computed: the database's tuples are the rows (no dict and no lookup per cell, which
            # were most of the time of a 10,000-row file).
            paths = [column.source for column in self.columns]
            yield from queryset.values_list(*paths).iterator(chunk_size=CHUNK_SIZE)
            return
        for row in queryset.values(*self.fields()).iterator(chunk_size=CHUNK_SIZE):
            yield [column.value(row) for column in self.columns]


def _field_at(model: type[models.Model], path: str) -> models.Field:
    """The field a ``values()`` path such as ``"initiative__title"`` or ``"organisation_id"`` reads."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    while field.is_relation:  # a foreign key reads its target's value
        field = field.target_field
    return field


_FORMULA_CODES = ", ".join(str(ord(start)) for start in FORMULA_STARTS)


class _CopyText(Func):
    """PostgreSQL: a text cell as ``csv_pieces`` writes it. Formula-like text (after any leading
    apostrophes) gets one more apostrophe, as ``neutralise`` does; an empty text is NULL, which COPY
    writes as nothing, as the csv module does (COPY would write ``""``)."""

    # ASCII() reads the first character's code: one of FORMULA_STARTS, or an apostrophe (39) before one. The
    # apostrophes are trimmed only from cells that start with one: LTRIM on every cell cost more.
    template = (
        f"CASE WHEN ASCII(%(expressions)s) IN ({_FORMULA_CODES}) OR (ASCII(%(expressions)s) = 39 "
        f"AND ASCII(LTRIM(%(expressions)s, '''')) IN ({_FORMULA_CODES})) "
        "THEN '''' || %(expressions)s ELSE NULLIF(%(expressions)s, '') END"
    )
    output_field = TextField()


class _CopyDate(Func):
    """PostgreSQL: a date as ISO 8601, as ``csv_pieces`` writes it, whatever the server's DateStyle."""

    template = "TO_CHAR(%(expressions)s, 'YYYY-MM-DD')"
    output_field = TextField()


# Filters of the lists the exports come from --------------------------------------------------------


class InitiativeFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        field_name="priority__plan__district", queryset=District.objects.all(), label=_("District")
    )
    plan = django_filters.ModelChoiceFilter(
        field_name="priority__plan", queryset=ActionPlan.objects.all(), label=_("Plan")
    )
    status = django_filters.ChoiceFilter(choices=Initiative.Status.choices, label=_("Status"))

    class Meta:
        model = Initiative
        fields = ["district", "plan", "status"]


class MilestoneFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        field_name="initiative__priority__plan__district", queryset=District.objects.all()
    )
    plan = django_filters.ModelChoiceFilter(
        field_name="initiative__priority__plan", queryset=ActionPlan.objects.all()
    )
    initiative = django_filters.ModelChoiceFilter(queryset=Initiative.objects.all())
    status = django_filters.ChoiceFilter(choices=Milestone.Status.choices)

    class Meta:
        model = Milestone
        fields = ["district", "plan", "initiative", "status"]


class IndicatorFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(field_name="plan__district", queryset=District.objects.all())
    plan = django_filters.ModelChoiceFilter(queryset=ActionPlan.objects.all())
    initiative = django_filters.ModelChoiceFilter(queryset=Initiative.objects.all())
    level = django_filters.ChoiceFilter(choices=Indicator.Level.choices)

    class Meta:
        model = Indicator
        fields = ["district", "plan", "initiative", "level"]


class CrimeStatisticFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(queryset=District.objects.all())
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte")
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte")
    category = django_filters.ChoiceFilter(choices=CrimeStatistic.Category.choices)

    class Meta:
        model = CrimeStatistic
        fields = ["district", "year_from", "year_to", "category"]


class FundingLineFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        field_name="initiative__priority__plan__district", queryset=District.objects.all()
    )
    plan = django_filters.ModelChoiceFilter(
        field_name="initiative__priority__plan", queryset=ActionPlan.objects.all()
    )
    initiative = django_filters.ModelChoiceFilter(queryset=Initiative.objects.all())
    funder = django_filters.NumberFilter(field_name="funder")
    currency = django_filters.CharFilter()

    class Meta:
        model = FundingLine
        fields = ["district", "plan", "initiative", "funder", "currency"]


class SpendingFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        field_name="funding_line__initiative__priority__plan__district", queryset=District.objects.all()
    )
    plan = django_filters.ModelChoiceFilter(
        field_name="funding_line__initiative__priority__plan", queryset=ActionPlan.objects.all()
    )
    initiative = django_filters.ModelChoiceFilter(
        field_name="funding_line__initiative", queryset=Initiative.objects.all()
    )
    funder = django_filters.NumberFilter(field_name="funding_line__funder")
    date_from = django_filters.DateFilter(field_name="spent_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="spent_on", lookup_expr="lte")

    class Meta:
        model = Spending
        fields = ["district", "plan", "initiative", "funder", "date_from", "date_to"]


# Computed columns ------------------------------------------------------------------------------------


def _initiative_health(row: dict) -> str:
    return health_of(row, timezone.localdate()).state


def _statistic_rate(row: dict) -> Decimal | None:
    return rate_per_100k(row["count"], row["district__population"])


INITIATIVES = Dataset(
    key="initiatives",
    title=_("Initiatives"),
    model=Initiative,
    columns=(
        Column("id", "pk"),
        Column("district", "priority__plan__district__name"),
        Column("plan_id", "priority__plan_id"),
        Column("plan", "priority__plan__title"),
        Column("priority_rank", "priority__rank"),
        Column("priority", "priority__issue__name"),
        Column("title", "title"),
        Column("status", "status"),
        Column("lead_organisation", "lead_organisation__name"),
        Column("starts_on", "starts_on"),
        Column("ends_on", "ends_on"),
        Column("location", "location"),
        Column("budget", "budget"),
        Column("budget_currency", "budget_currency"),
        Column("progress_percent", progress_of),
        Column("health", _initiative_health),
    ),
    filterset=InitiativeFilter,
    extra_fields=PROGRESS_FIELDS,
    annotate=lambda queryset: queryset.with_progress(),
    ordering=("priority__plan__district__name", "priority__plan_id", "priority__rank", "title", "pk"),
)

MILESTONES = Dataset(
    key="milestones",
    title=_("Milestones"),
    model=Milestone,
    columns=(
        Column("id", "pk"),
        Column("district", "initiative__priority__plan__district__name"),
        Column("initiative_id", "initiative_id"),
        Column("initiative", "initiative__title"),
        Column("title", "title"),
        Column("due_on", "due_on"),
        Column("weight", "weight"),
        Column("status", "status"),
        Column("completed_on", "completed_on"),
        Column("evidence_note", "evidence_note"),
    ),
    filterset=MilestoneFilter,
    ordering=("initiative_id", "due_on", "pk"),
)

ACTIVITY_LOGS = Dataset(
    key="activity-logs",
    title=_("Activity logs"),
    model=ActivityLog,
    columns=(
        Column("id", "pk"),
        Column("district", "district__name"),
        Column("initiative_id", "initiative_id"),
        Column("initiative", "initiative__title"),
        Column("organisation_id", "organisation_id"),
        Column("organisation", "organisation__name"),
        Column("occurred_on", "occurred_on"),
        Column("kind", "kind"),
        Column("title", "title"),
        Column("description", "description"),
        Column("place", "place"),
        Column("participants_total", "participants_total"),
        Column("participants_women", "participants_women"),
        Column("participants_men", "participants_men"),
        Column("participants_youth", "participants_youth"),
        Column("audience_reached", "audience_reached"),
        Column("outputs", "outputs"),
        Column("review_state", "review_state"),
    ),
    filterset=ActivityLogFilter,
    ordering=("-occurred_on", "-pk"),
)

# One row per measurement, with its indicator; an indicator without measurements has one row with the
# measurement's columns empty (the database's outer join), so the file lists every indicator.
INDICATORS = Dataset(
    key="indicators",
    title=_("Indicators and measurements"),
    model=Indicator,
    columns=(
        Column("indicator_id", "pk"),
        Column("district", "plan__district__name"),
        Column("plan", "plan__title"),
        Column("initiative", "initiative__title"),
        Column("indicator", "name"),
        Column("unit", "unit"),
        Column("level", "level"),
        Column("direction", "direction"),
        Column("baseline_value", "baseline_value"),
        Column("baseline_on", "baseline_on"),
        Column("target_value", "target_value"),
        Column("target_on", "target_on"),
        Column("measurement_id", "measurements__pk"),
        Column("period_start", "measurements__period_start"),
        Column("measured_on", "measurements__measured_on"),
        Column("value", "measurements__value"),
        Column("source", "measurements__source"),
        Column("note", "measurements__note"),
    ),
    filterset=IndicatorFilter,
    ordering=("plan_id", "name", "pk", "measurements__measured_on"),
)

CRIME_STATISTICS = Dataset(
    key="crime-statistics",
    title=_("Crime statistics"),
    model=CrimeStatistic,
    columns=(
        Column("id", "pk"),
        Column("district_id", "district_id"),
        Column("district", "district__name"),
        Column("year", "year"),
        Column("category", "category"),
        Column("count", "count"),
        Column("rate_per_100k", _statistic_rate),
        Column("source", "source"),
    ),
    filterset=CrimeStatisticFilter,
    extra_fields=("district__population",),
    ordering=("district__name", "district_id", "-year", "category"),
)

FUNDING = Dataset(
    key="funding",
    title=_("Funding lines"),
    model=FundingLine,
    columns=(
        Column("id", "pk"),
        Column("district", "initiative__priority__plan__district__name"),
        Column("initiative_id", "initiative_id"),
        Column("initiative", "initiative__title"),
        Column("funder_id", "funder_id"),
        Column("funder", "funder__name"),
        Column("source_type", "source_type"),
        Column("amount", "amount"),
        Column("currency", "currency"),
        Column("committed_on", "committed_on"),
        Column("note", "note"),
    ),
    filterset=FundingLineFilter,
    ordering=("initiative_id", "funder__name", "pk"),
)

SPENDING = Dataset(
    key="spending",
    title=_("Spending"),
    model=Spending,
    columns=(
        Column("id", "pk"),
        Column("district", "funding_line__initiative__priority__plan__district__name"),
        Column("initiative_id", "funding_line__initiative_id"),
        Column("initiative", "funding_line__initiative__title"),
        Column("funding_line_id", "funding_line_id"),
        Column("funder", "funding_line__funder__name"),
        Column("amount", "amount"),
        Column("currency", "funding_line__currency"),
        Column("spent_on", "spent_on"),
        Column("description", "description"),
    ),
    filterset=SpendingFilter,
    ordering=("-spent_on", "-pk"),
)

DATASETS: dict[str, Dataset] = {
    dataset.key: dataset
    for dataset in (INITIATIVES, MILESTONES, ACTIVITY_LOGS, INDICATORS, CRIME_STATISTICS, FUNDING, SPENDING)
}


# Writers ---------------------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# Values the csv module writes as _csv_cell would (None as nothing, a date as its ISO form): passed as
# they are. Text still goes through neutralise, but only when its first character could start a formula.
_CSV_AS_IS = frozenset({int, bool, float, Decimal, dt.date, type(None)})
_RISKY_FIRST = frozenset({*FORMULA_STARTS, "'"})


def _csv_values(row: Iterable[Any]) -> list[Any]:
    return [
        (neutralise(value) if value and value[0] in _RISKY_FIRST else value)
        if type(value) is str
        else (value if type(value) in _CSV_AS_IS else _csv_cell(value))
        for value in row
    ]


def _row_cleaner(text_columns: tuple[int, ...] | None) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """What each row goes through before the csv module writes it.

    With the text columns known, a row is looked at only there and, in the usual case that no text
    starts like a formula, written as it came: one check per text cell instead of a list of converted
    values per row, which was a third of the time of a 10,000-row file.
    """
    if text_columns is None:
        return _csv_values
    if not text_columns:
        return lambda row: row
    # The text cells as a tuple (itemgetter of one position would give the bare value).
    first = text_columns[0]
    texts = (
        operator.itemgetter(*text_columns)
        if len(text_columns) > 1
        else operator.itemgetter(slice(first, first + 1))
    )

    def clean(row: Sequence[Any]) -> Sequence[Any]:
        for value in texts(row):
            if value and value[0] in _RISKY_FIRST:
                return _csv_values(row)
        return row

    return clean


def csv_pieces(
    headers: list[str], rows: Iterable[Sequence[Any]], text_columns: tuple[int, ...] | None = None
) -> Iterator[bytes]:
    """The CSV file in pieces of a few hundred rows, UTF-8 with a byte-order mark for Excel.

    ``text_columns``: positions of the only columns that may hold text (``Dataset.text_columns``);
    without them every cell is looked at.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The header goes first, before the database is asked for the rows.
    yield _csv_header(headers)
    clean = _row_cleaner(text_columns)
    rows = iter(rows)
    while piece := list(itertools.islice(rows, CSV_ROWS_PER_PIECE)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(map(clean, piece))
        yield buffer.getvalue().encode()


def _csv_header(headers: list[str], line_end: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    csv.writer(buffer, lineterminator=line_end).writerow(headers)
    return buffer.getvalue().encode()


def csv_copy_pieces(headers: list[str], cells: QuerySet) -> Iterator[bytes]:
    """The CSV file as PostgreSQL writes it (``COPY (…) TO STDOUT``) from ``cells``, a ``values_list``
    of ``Dataset.copy_cells``: the cells and quoting of ``csv_pieces``, with lines ending in a line
    feed rather than a carriage return and a line feed (every spreadsheet reads both).

    The database sends a row at a time; pieces of about 64 kB go out, so memory does not grow with the
    number of rows.
    """
    yield _csv_header(headers, line_end="\n")
    connection = connections[cells.db]
    sql, params = cells.query.sql_with_params()
    # Bound here: COPY takes no parameters, and Django's debug cursor passes only the statement.
    statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        piece: list[bytes] = []
        size = 0
        for data in copy:
            piece.append(bytes(data))
            size += len(data)
            if size >= _PIECE_BYTES:
                yield b"".join(piece)
                piece, size = [], 0
        if piece:
            yield b"".join(piece)


# A minimal SpreadsheetML package, written as a zip stream. openpyxl's write-only workbook takes about
# half a millisecond per row here (a minute for 100,000 rows before the first byte, past the app
# server's timeout); these few templates write the same sheet ten times faster and send it as it grows.
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_DATE_STYLE, _HEADER_STYLE = 1, 2
_SHEET_START = (
    _XML_HEAD + f'<worksheet xmlns="{_NS}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
).encode()
_SHEET_END = b"</sheetData></worksheet>"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_TEXT = 32_767  # characters a cell holds; Excel repairs (and complains about) longer ones
_PIECE_BYTES = 64 * 1024
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text_xml(value: str) -> str:
    text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))[:_EXCEL_MAX_TEXT]
    # A carriage return would become a line feed when the XML is read; keep it as a reference.
    return escape(text, {"\r": "&#13;"})


def _cell_xml(reference: str, value: Any, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"{styled}><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"{styled}><v>{value}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{reference}"{styled}><v>{value:f}</v></c>'
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        serial = (value - _EXCEL_EPOCH).days
        return f'<c r="{reference}" s="{_DATE_STYLE}"><v>{serial}</v></c>'
    return f'<c r="{reference}" t="inlineStr"{styled}><is><t xml:space="preserve">{_text_xml(str(value))}</t></is></c>'


class _RowWriter:
    def __init__(self) -> None:
        self.letters: list[str] = []

    def __call__(self, number: int, values: Sequence[Any], style: int = 0) -> bytes:
        while len(self.letters) < len(values):
            self.letters.append(_column_letters(len(self.letters)))
        cells = "".join(
            _cell_xml(f"{letter}{number}", value, style)
            for letter, value in zip(self.letters, values, strict=False)
        )
        return f'<row r="{number}">{cells}</row>'.encode()


class _Spool:
    """What the zip writer has written and the response has not yet sent. It cannot seek, so the zip
    module writes each part's sizes after its data, as streaming needs."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0
        self.pending = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        self.pending += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.pending = 0
        return data


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def xlsx_pieces(sheets: Iterable[tuple[str, list[str], Iterable[Sequence[Any]]]]) -> Iterator[bytes]:
    """An .xlsx workbook in pieces, as its rows come: ``sheets`` gives each sheet's title, headers, rows.

    Memory holds one row and the compressor's window, whatever the number of rows.
    """
    spool = _Spool()
    titles: list[str] = []
    with zipfile.ZipFile(spool, "w") as archive:
        for index, (title, headers, rows) in enumerate(sheets, start=1):
            name = str(title).translate(_SHEET_NAME_FORBIDDEN).strip()[:31] or f"Sheet{index}"
            titles.append(name)
            write_row = _RowWriter()
            with archive.open(_member(f"xl/worksheets/sheet{index}.xml"), "w") as sheet:
                sheet.write(_SHEET_START)
                sheet.write(write_row(1, headers, _HEADER_STYLE))
                for number, row in enumerate(rows, start=2):
                    sheet.write(write_row(number, row))
                    if spool.pending >= _PIECE_BYTES:
                        yield spool.drain()
                sheet.write(_SHEET_END)
        for name, content in _package_parts(titles):
            archive.writestr(_member(name), content)
    yield spool.drain()


def _package_parts(titles: list[str]) -> list[tuple[str, str]]:
    numbers = range(1, len(titles) + 1)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>' for n in numbers
    )
    content_types = (
        _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheets = "".join(
        f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, title in zip(numbers, titles, strict=True)
    )
    workbook = _XML_HEAD + f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>'
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in numbers
    )
    workbook_rels = (
        _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
        f'<Relationship Id="rId{len(titles) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    )
    return [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", root_rels),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", _STYLES),
    ]


def export_filename(dataset: Dataset, extension: str) -> str:
    return f"{dataset.key}-{timezone.localdate().isoformat()}.{extension}"
