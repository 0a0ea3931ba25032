"""Spreadsheet imports: crime statistics, indicator measurements and activity logs.

A file has exactly the columns the export writes (``prevention.exports``), so an exported file imports
back unchanged. Columns that identify a row (``id``, ``district_id``, ``indicator_id``...) say which
record a row is; the ones listed in ``Importer.fields`` are read; the others (names, computed figures)
are there for people and are ignored.

An import runs twice: a dry run that writes nothing and lists what would be created and changed and
every error by row and column; then, confirmed, the same planning again inside one transaction that
writes everything or, at the first error, nothing. Rows outside what the user may change (another
district, another organisation's log) are refused with their row number.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import openpyxl
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts import access
from accounts.models import Membership, Organisation
from prevention import exports, services
from prevention.forms.activities import bound_problems
from prevention.forms.indicators import measured_on_error
from prevention.forms.statistics import figure_error, over_the_total
from prevention.models import ActivityLog, ActivityTotal, CrimeStatistic, District, Indicator, Measurement

if TYPE_CHECKING:
    from accounts.models import User

Role = Membership.Role

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
# How many errors the dry-run page lists; the count says how many there are in all.
ERRORS_SHOWN = 1000
# Uploaded files wait this long for the user to confirm the import after the dry run.
STASH_MAX_AGE = 3600
STASH_DIR = "imports"
_SIGNING_SALT = "prevention.imports"
_CHUNK = 900  # ids per IN (...) list; below SQLite's old limit of 999 parameters
SAVE_BATCH = 500


class ImportFileError(Exception):
    """The file as a whole cannot be read: format, encoding, size, or columns."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number as the spreadsheet shows it, cells by header)


# Reading files ---------------------------------------------------------------------------------------


def read_upload(upload: File) -> Table:
    """The table in an uploaded CSV (UTF-8 with or without byte-order mark, or UTF-16) or XLSX file."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(max)d MB. Split it into smaller files.")
            % {"max": MAX_BYTES // 2**20}
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(max)d MB. Split it into smaller files.")
            % {"max": MAX_BYTES // 2**20}
        )
    name = (upload.name or "").lower()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("This is an old Excel file (.xls). Save it as .xlsx or as CSV UTF-8."))
    if name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("This file is not a valid .xlsx workbook."))
    return _read_csv(data)


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text. In Excel, choose Save As and the type “CSV UTF-8”, or "
                "upload the .xlsx file itself."
            )
        ) from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # Excel writes semicolons where the decimal mark is a comma (Russian, Spanish locales).
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from None
    return _table(records)


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # an uploaded file may break the parser in any way: say so, never answer 500
        raise ImportFileError(_("This file could not be read as an .xlsx workbook.")) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheet."))
        records = []
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            records.append(list(values))
            if len(records) > MAX_ROWS + 1:
                break
    except ImportFileError:
        raise
    except Exception:  # as above
        raise ImportFileError(_("This file could not be read as an .xlsx workbook.")) from None
    finally:
        workbook.close()
    return _table(records)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(records: list[list[Any]]) -> Table:
    if not records or all(_blank(value) for value in records[0]):
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    headers = [str(value).strip() if value is not None else "" for value in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    rows = []
    for index, values in enumerate(records[1:], start=2):
        if all(_blank(value) for value in values):
            continue
        cells = dict(zip(headers, values, strict=False))
        extra = values[len(headers) :]
        if any(not _blank(value) for value in extra):
            cells["__extra__"] = True
        rows.append((index, cells))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"}
        )
    return Table(headers, rows)


def check_headers(table: Table, dataset: exports.Dataset) -> None:
    """Exactly the export's columns, in any order."""
    expected = dataset.headers
    duplicates = sorted({header for header in table.headers if table.headers.count(header) > 1})
    missing = [header for header in expected if header not in table.headers]
    unknown = [header or _("(empty)") for header in table.headers if header not in expected]
    problems = []
    if duplicates:
        problems.append(_("Columns named twice: %(names)s.") % {"names": ", ".join(duplicates)})
    if missing:
        problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
    if problems:
        problems.append(
            _("The first row must name the columns exactly as an export of %(dataset)s does.")
            % {"dataset": str(dataset.title).lower()}
        )
        raise ImportFileError(" ".join(problems))


# Cells -----------------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return exports.restore_text(str(value))


def parse_int(value: Any, *, blank_as: int | None = None) -> int | None:
    if _blank(value):
        if blank_as is not None:
            return blank_as
        raise CellError(_("This cell is empty; write a whole number."))
    if isinstance(value, bool):
        raise CellError(_("Write a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    raise CellError(_("“%(value)s” is not a whole number.") % {"value": text[:40]})


def parse_optional_int(value: Any) -> int | None:
    return None if _blank(value) else parse_int(value)


def parse_decimal(value: Any) -> Decimal:
    if _blank(value):
        raise CellError(_("This cell is empty; write a number."))
    if isinstance(value, bool):
        raise CellError(_("Write a number."))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip()
    if "," in text:
        raise CellError(
            _("“%(value)s”: write numbers without thousands separators and with a dot for decimals (105.5).")
            % {"value": text[:40]}
        )
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text[:40]}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text[:40]})
    return number


def parse_date(value: Any) -> dt.date:
    if _blank(value):
        raise CellError(_("This cell is empty; write a date (2019-03-31)."))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date; write it as 2019-03-31.") % {"value": text[:40]})


def parse_optional_date(value: Any) -> dt.date | None:
    return None if _blank(value) else parse_date(value)


def choice_parser(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    """Accept the code the export writes (``burglary``) or the label (``Burglary``)."""

    def parse(value: Any) -> str:
        text = parse_text(value).strip()
        if text in choices.values:
            return text
        for code, label in choices.choices:
            if text.casefold() == str(label).casefold():
                return code
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text[:40], "choices": ", ".join(choices.values)}
        )

    return parse


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else str(value)
    return str(value)


def _same(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return Decimal(old) == Decimal(new)
    return old == new


# Results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str


@dataclass
class Change:
    row: int
    label: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)


@dataclass
class ImportResult:
    dataset: exports.Dataset
    created: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    errors: list[Problem] = field(default_factory=list)
    committed: bool = False
    # Each planned row's record as the plan found it: (pk, version), (None, None) for a new one. The
    # confirmation compares it with what it finds then (``run_import(seen=...)``).
    seen: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors_shown(self) -> list[Problem]:
        return self.errors[:ERRORS_SHOWN]


class RowRefused(Exception):
    def __init__(self, *problems: tuple[str | None, str]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class Planned:
    row: int
    obj: models.Model
    is_new: bool
    change: Change


# Importers -------------------------------------------------------------------------------------------


class Importer:
    """Plans each row of a file against the database, through the user's scope.

    ``fields`` maps a column to the model field it sets and the parser of its cells; ``identity`` does
    the same for the columns that say which record a row is. Subclasses find the record
    (``locate``), check what the user may do, and save (``save``).
    """

    dataset: exports.Dataset
    model: type[models.Model]
    fields: dict[str, tuple[str, Callable[[Any], Any]]]
    identity: dict[str, Callable[[Any], Any]]
    # Foreign keys the importer checks itself (through the scope), so validation need not query them.
    checked_relations: tuple[str, ...] = ()
    # The model's constraints, by name, and how the importer keeps them without asking the database
    # row by row (Django's validate_constraints costs a query per constraint and row: minutes for a
    # large file). "checked": said per column by ``extra_checks``; "natural key": the importer matches
    # rows to records by it and refuses duplicates; "untouched": on fields an import never sets. The
    # database still enforces them all at the save. tests/prevention/test_imports.py checks that every
    # constraint of the model is listed here.
    constraints: dict[str, str] = {}

    def __init__(self, user: User) -> None:
        self.user = user
        self.scope = access.scope_for(user)
        self.claimed: dict[int, int] = {}  # existing record's pk -> the row that changes it
        self.saving_row: int | None = None

    @classmethod
    def allowed(cls, scope: access.Scope) -> bool:
        raise NotImplementedError

    def prepare(self, rows: list[dict[str, Any]]) -> None:
        """Load in a few queries what the rows refer to (existing records, parents, permissions)."""

    def locate(self, row: int, key: dict[str, Any], values: dict[str, Any]) -> tuple[models.Model, bool]:
        """The record a row is about (new or existing) and whether it is new; RowRefused if not allowed."""
        raise NotImplementedError

    def may_change(self, obj: models.Model) -> str | None:
        """None if the user may change this existing record, else why not."""
        raise NotImplementedError

    def label(self, obj: models.Model) -> str:
        return str(obj)

    def extra_checks(self, obj: models.Model) -> list[tuple[str | None, str]]:
        return []

    def is_empty(self, key: dict[str, Any], values: dict[str, Any]) -> bool:
        return False

    def save(self, planned: Planned) -> None:
        obj = planned.obj
        if not planned.is_new:
            obj.version += 1
        obj.save()

    def after_batch_insert(self, new: list) -> None:
        """What ``save()`` of the model would have done besides inserting (nothing, for most)."""

    def save_all(self, planned: list[Planned]) -> None:
        """New records in batches with their history (one by one takes minutes for a large file),
        changed ones one by one. ``saving_row`` says which row a failure belongs to, where one does."""
        new = [item.obj for item in planned if item.is_new]
        self.saving_row = None
        if new:
            bulk_create_with_history(new, self.model, batch_size=SAVE_BATCH, default_user=self.user)
            self.after_batch_insert(new)
        for item in planned:
            if not item.is_new:
                self.saving_row = item.row
                self.save(item)

    # The common walk ---------------------------------------------------------------------------------

    def plan(self, table: Table) -> tuple[ImportResult, list[Planned]]:
        result = ImportResult(self.dataset)
        parsed = []
        for number, cells in table.rows:
            problems: list[Problem] = []
            if cells.get("__extra__"):
                problems.append(Problem(number, None, _("This row has more cells than there are columns.")))
            key = self._parse(number, cells, self.identity, problems)
            values = self._parse(number, cells, {h: p for h, (_f, p) in self.fields.items()}, problems)
            if problems:
                result.errors.extend(problems)
                continue
            parsed.append((number, key, values))
        self.prepare([{**key, **values} for _number, key, values in parsed])
        planned = []
        for number, key, values in parsed:
            if self.is_empty(key, values):
                result.skipped += 1
                continue
            try:
                outcome = self._plan_row(number, key, values)
            except RowRefused as refused:
                result.errors.extend(Problem(number, column, message) for column, message in refused.problems)
                continue
            if outcome is None:
                result.unchanged += 1
                continue
            planned.append(outcome)
            (result.created if outcome.is_new else result.changed).append(outcome.change)
            obj = outcome.obj
            result.seen[number] = (None, None) if outcome.is_new else (obj.pk, getattr(obj, "version", None))
        return result, planned

    @staticmethod
    def _parse(number: int, cells: dict, parsers: dict, problems: list[Problem]) -> dict[str, Any]:
        values = {}
        for header, parse in parsers.items():
            try:
                values[header] = parse(cells.get(header))
            except CellError as error:
                problems.append(Problem(number, header, str(error)))
        return values

    def _plan_row(self, number: int, key: dict, values: dict) -> Planned | None:
        obj, is_new = self.locate(number, key, values)
        if not is_new:
            if obj.pk in self.claimed:
                raise RowRefused((None, _("Same record as row %(row)d.") % {"row": self.claimed[obj.pk]}))
            self.claimed[obj.pk] = number
        change = Change(number, "")
        for header, (name, _parse) in self.fields.items():
            old, new = getattr(obj, name), values[header]
            if is_new or not _same(old, new):
                if not is_new:
                    change.fields.append((header, _display(old), _display(new)))
                setattr(obj, name, new)
        if not is_new and not change.fields:
            return None
        if not is_new:
            refusal = self.may_change(obj)
            if refusal:
                raise RowRefused((None, refusal))
        problems = self.extra_checks(obj)
        # One message a cell: the importer's own check says it better than the field's bound would.
        named = {column for column, _message in problems if column}
        problems += [problem for problem in self._validate(obj) if problem[0] not in named]
        if problems:
            raise RowRefused(*problems)
        change.label = self.label(obj)
        return Planned(number, obj, is_new, change)

    def _validate(self, obj: models.Model) -> list[tuple[str | None, str]]:
        errors: dict[str, list] = {}
        steps = (
            lambda: obj.clean_fields(exclude=set(self.checked_relations)),
            obj.clean,
            obj.validate_unique,
        )
        for step in steps:
            try:
                step()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        columns = {name: header for header, (name, _parse) in self.fields.items()}
        columns.update(getattr(self, "identity_fields", {}))
        problems = []
        for name, messages in errors.items():
            column = columns.get(name) if name != NON_FIELD_ERRORS else None
            for message in ValidationError(messages).messages:
                problems.append((column, message))
        return problems


def _constraint_message(model: type[models.Model], name: str) -> str:
    """The model's own wording for a constraint, so the import says what the form would."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return str(constraint.get_violation_error_message())


def _in_chunks(ids: list[int]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _load(queryset: models.QuerySet, ids: set[int]) -> dict[int, models.Model]:
    found: dict[int, models.Model] = {}
    for chunk in _in_chunks(sorted(ids)):
        found.update(queryset.in_bulk(chunk))
    return found


def _pks(queryset: models.QuerySet, ids: set[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _in_chunks(sorted(ids)):
        found.update(queryset.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


class CrimeStatisticImporter(Importer):
    """Police and officials enter their districts' figures; matched by id, else district, year, category."""

    dataset = exports.CRIME_STATISTICS
    model = CrimeStatistic
    identity = {"id": parse_optional_int, "district_id": parse_int}
    identity_fields = {"district": "district_id"}
    fields = {
        "year": ("year", parse_int),
        "category": ("category", choice_parser(CrimeStatistic.Category)),
        "count": ("count", parse_int),
        "source": ("source", parse_text),
    }
    checked_relations = ("district", "entered_by")
    constraints = {"statistic_unique_per_year": "natural key", "statistic_year_range": "checked"}
    YEARS = (1900, 2100)  # statistic_year_range

    @classmethod
    def allowed(cls, scope: access.Scope) -> bool:
        return scope.is_admin or bool(scope.district_ids(Role.OFFICIAL, Role.POLICE))

    def prepare(self, rows: list[dict]) -> None:
        visible = CrimeStatistic.objects.visible_to(self.user)
        self.by_id = _load(visible, {row["id"] for row in rows if row["id"]})
        district_ids = {row["district_id"] for row in rows}
        years = {row["year"] for row in rows}
        self.by_key = {
            (s.district_id, s.year, s.category): s
            for chunk in _in_chunks(sorted(district_ids))
            for s in visible.filter(district__in=chunk, year__in=years)
        }
        # The year's figures of each district, for the check against its total without a query a row.
        self.by_year: dict[tuple[int, int], list[CrimeStatistic]] = defaultdict(list)
        for statistic in self.by_key.values():
            self.by_year[(statistic.district_id, statistic.year)].append(statistic)
        self.districts = _load(District.objects.all(), district_ids)
        if self.scope.is_admin:
            self.recordable = set(self.districts)
        else:
            self.recordable = self.scope.district_ids(Role.OFFICIAL, Role.POLICE)
        existing = {s.pk for s in [*self.by_id.values(), *self.by_key.values()]}
        self.editable = _pks(CrimeStatistic.objects.editable_by(self.user), existing)
        self.seen: dict[tuple, int] = {}

    def locate(self, row: int, key: dict, values: dict) -> tuple[CrimeStatistic, bool]:
        district_id = key["district_id"]
        if district_id not in self.recordable:
            raise RowRefused(
                (
                    "district_id",
                    _("District %(id)s is not one of the districts you enter figures for; row refused.")
                    % {"id": district_id},
                )
            )
        natural = (district_id, values["year"], values["category"])
        if natural in self.seen:
            raise RowRefused(
                (None, _("Same district, year and category as row %(row)d.") % {"row": self.seen[natural]})
            )
        self.seen[natural] = row
        if key["id"]:
            statistic = self.by_id.get(key["id"])
            if statistic is None:
                raise RowRefused(("id", _("No figure with id %(id)s in your districts.") % {"id": key["id"]}))
            if statistic.district_id != district_id:
                raise RowRefused(
                    (
                        "district_id",
                        _("A figure cannot move to another district; leave the id empty to add a new one."),
                    )
                )
            return statistic, False
        statistic = self.by_key.get(natural)
        if statistic is not None:
            return statistic, False
        district = self.districts[district_id]
        return CrimeStatistic(district=district, entered_by=self.user), True

    def may_change(self, obj: CrimeStatistic) -> str | None:
        return None if obj.pk in self.editable else _("You may not change this figure.")

    def extra_checks(self, obj: CrimeStatistic) -> list[tuple[str | None, str]]:
        if not self.YEARS[0] <= obj.year <= self.YEARS[1]:
            return [("year", _constraint_message(CrimeStatistic, "statistic_year_range"))]
        # What the form refuses: a year not begun yet (it would take over the dashboard's table) or a
        # count no district can have (and PostgreSQL's column cannot hold).
        error = figure_error(year=obj.year, count=obj.count)
        if error is not None:
            return [error]
        # Against the figures already recorded (as rows above may have changed them; figures new in the
        # file are not compared with each other).
        recorded = {
            other.category: other.count
            for other in self.by_year[(obj.district_id, obj.year)]
            if other.pk != obj.pk
        }
        over = over_the_total(recorded, {obj.category: obj.count})
        if over:
            return [("count", " ".join(message for _category, message in over))]
        other = self.by_key.get((obj.district_id, obj.year, obj.category))
        if other is not None and other.pk != obj.pk:
            return [(None, _constraint_message(CrimeStatistic, "statistic_unique_per_year"))]
        return []

    def label(self, obj: CrimeStatistic) -> str:
        return f"{obj.district.name} {obj.year} · {obj.get_category_display()}"


class MeasurementImporter(Importer):
    """Officials enter their indicators' measurements; matched by id, else indicator and date.

    The file is the indicators export: an indicator without measurements is a row whose measurement
    columns are empty, and is skipped.
    """

    dataset = exports.INDICATORS
    model = Measurement
    identity = {"indicator_id": parse_int, "measurement_id": parse_optional_int}
    identity_fields = {"indicator": "indicator_id"}
    fields = {
        "period_start": ("period_start", parse_optional_date),
        "measured_on": ("measured_on", parse_optional_date),
        "value": ("value", lambda value: None if _blank(value) else parse_decimal(value)),
        "source": ("source", parse_text),
        "note": ("note", parse_text),
    }
    checked_relations = ("indicator", "entered_by")
    constraints = {"measurement_unique_date": "natural key", "measurement_period_order": "checked"}

    @classmethod
    def allowed(cls, scope: access.Scope) -> bool:
        return scope.is_admin or bool(scope.district_ids(Role.OFFICIAL))

    def is_empty(self, key: dict, values: dict) -> bool:
        return key["measurement_id"] is None and all(value in (None, "") for value in values.values())

    def prepare(self, rows: list[dict]) -> None:
        indicator_ids = {row["indicator_id"] for row in rows}
        self.indicators = _load(
            Indicator.objects.visible_to(self.user).select_related("plan__district"), indicator_ids
        )
        self.enterable = _pks(Indicator.objects.editable_by(self.user), set(self.indicators))
        visible = Measurement.objects.visible_to(self.user)
        self.by_id = _load(visible, {row["measurement_id"] for row in rows if row["measurement_id"]})
        self.by_key = {
            (m.indicator_id, m.measured_on): m
            for chunk in _in_chunks(sorted(indicator_ids))
            for m in visible.filter(indicator__in=chunk)
        }
        existing = {m.pk for m in [*self.by_id.values(), *self.by_key.values()]}
        self.editable = _pks(Measurement.objects.editable_by(self.user), existing)
        self.seen: dict[tuple, int] = {}

    def locate(self, row: int, key: dict, values: dict) -> tuple[Measurement, bool]:
        indicator = self.indicators.get(key["indicator_id"])
        if indicator is None:
            raise RowRefused(
                (
                    "indicator_id",
                    _("No indicator with id %(id)s in your districts; row refused.")
                    % {"id": key["indicator_id"]},
                )
            )
        if indicator.pk not in self.enterable:
            raise RowRefused(
                (
                    "indicator_id",
                    _("Only the officials of %(district)s enter this indicator's measurements; row refused.")
                    % {"district": indicator.plan.district.name},
                )
            )
        missing = [(h, _("This cell is empty.")) for h in ("measured_on", "value") if values[h] in (None, "")]
        if missing:
            raise RowRefused(*missing)
        natural = (indicator.pk, values["measured_on"])
        if natural in self.seen:
            raise RowRefused(
                ("measured_on", _("Same indicator and date as row %(row)d.") % {"row": self.seen[natural]})
            )
        self.seen[natural] = row
        if key["measurement_id"]:
            measurement = self.by_id.get(key["measurement_id"])
            if measurement is None or measurement.indicator_id != indicator.pk:
                raise RowRefused(
                    (
                        "measurement_id",
                        _("Indicator %(indicator)s has no measurement with id %(id)s.")
                        % {"indicator": indicator.pk, "id": key["measurement_id"]},
                    )
                )
            measurement.indicator = indicator
            return measurement, False
        measurement = self.by_key.get(natural)
        if measurement is not None:
            measurement.indicator = indicator
            return measurement, False
        return Measurement(indicator=indicator, entered_by=self.user), True

    def may_change(self, obj: Measurement) -> str | None:
        return None if obj.pk in self.editable else _("You may not change this measurement.")

    def extra_checks(self, obj: Measurement) -> list[tuple[str | None, str]]:
        error = measured_on_error(obj.measured_on)
        if error:
            return [("measured_on", error)]
        if obj.period_start and obj.measured_on and obj.period_start > obj.measured_on:
            return [("period_start", _constraint_message(Measurement, "measurement_period_order"))]
        other = self.by_key.get((obj.indicator_id, obj.measured_on))
        if other is not None and other.pk != obj.pk:
            return [("measured_on", _constraint_message(Measurement, "measurement_unique_date"))]
        return []

    def label(self, obj: Measurement) -> str:
        return f"{obj.indicator.name} · {_display(obj.measured_on)}"


class ActivityLogImporter(Importer):
    """Partners and police log for their organisations, officials for their districts; matched by id.

    A row without an id is a new log, submitted for review. A verified log is never changed by an
    import; a returned log that is changed goes back to review, as an edit in the form does.
    """

    dataset = exports.ACTIVITY_LOGS
    model = ActivityLog
    identity = {"id": parse_optional_int, "initiative_id": parse_int, "organisation_id": parse_int}
    identity_fields = {"initiative": "initiative_id", "organisation": "organisation_id"}
    fields = {
        "occurred_on": ("occurred_on", parse_date),
        "kind": ("kind", choice_parser(ActivityLog.Kind)),
        "title": ("title", parse_text),
        "description": ("description", parse_text),
        "place": ("place", parse_text),
        "participants_total": ("participants_total", lambda value: parse_int(value, blank_as=0)),
        "participants_women": ("participants_women", lambda value: parse_int(value, blank_as=0)),
        "participants_men": ("participants_men", lambda value: parse_int(value, blank_as=0)),
        "participants_youth": ("participants_youth", lambda value: parse_int(value, blank_as=0)),
        "audience_reached": ("audience_reached", lambda value: parse_int(value, blank_as=0)),
        "outputs": ("outputs", parse_text),
    }
    checked_relations = ("initiative", "organisation", "author", "reviewed_by")
    constraints = {
        "log_participant_parts_within_total": "checked",
        "log_women_and_men_within_total": "checked",
        "log_returned_has_note": "untouched",
        "log_review_dated": "untouched",
    }

    @classmethod
    def allowed(cls, scope: access.Scope) -> bool:
        return scope.is_admin or bool(scope.district_ids(Role.OFFICIAL, Role.POLICE, Role.PARTNER))

    def prepare(self, rows: list[dict]) -> None:
        visible = ActivityLog.objects.visible_to(self.user)
        self.by_id = _load(visible, {row["id"] for row in rows if row["id"]})
        self.editable = _pks(ActivityLog.objects.editable_by(self.user), set(self.by_id))
        new_rows = [row for row in rows if not row["id"]]
        self.loggable = _load(
            access.loggable_initiatives(self.user).select_related("priority__plan"),
            {row["initiative_id"] for row in new_rows},
        )
        self.organisations = _load(Organisation.objects.all(), {row["organisation_id"] for row in new_rows})
        self._may_log: dict[tuple[int, int], bool] = {}

    def _may_log_for(self, initiative, organisation) -> bool:
        # One question per distinct initiative and organisation, however many rows share them.
        pair = (initiative.pk, organisation.pk)
        if pair not in self._may_log:
            self._may_log[pair] = access.may_log_for(self.user, initiative, organisation)
        return self._may_log[pair]

    def locate(self, row: int, key: dict, values: dict) -> tuple[ActivityLog, bool]:
        if key["id"]:
            log = self.by_id.get(key["id"])
            if log is None:
                raise RowRefused(
                    ("id", _("No activity log with id %(id)s that you can see.") % {"id": key["id"]})
                )
            moved = [
                (header, _("An existing log cannot move to another initiative or organisation."))
                for header, name in (
                    ("initiative_id", "initiative_id"),
                    ("organisation_id", "organisation_id"),
                )
                if getattr(log, name) != key[header]
            ]
            if moved:
                raise RowRefused(*moved)
            return log, False
        initiative = self.loggable.get(key["initiative_id"])
        if initiative is None:
            raise RowRefused(
                (
                    "initiative_id",
                    _(
                        "You cannot log on initiative %(id)s (not in your districts or not your organisation's); row refused."
                    )
                    % {"id": key["initiative_id"]},
                )
            )
        organisation = self.organisations.get(key["organisation_id"])
        if organisation is None or not self._may_log_for(initiative, organisation):
            raise RowRefused(
                (
                    "organisation_id",
                    _("You cannot log for organisation %(id)s on this initiative; row refused.")
                    % {"id": key["organisation_id"]},
                )
            )
        # New logs are saved in batches, without save(): they get their district here.
        log = ActivityLog(
            initiative=initiative,
            district_id=initiative.priority.plan.district_id,
            organisation=organisation,
            author=self.user,
        )
        return log, True

    def after_batch_insert(self, new: list[ActivityLog]) -> None:
        # The batch insert skips ActivityLog.save(), which keeps the totals.
        ActivityTotal.refresh({(log.initiative_id, log.organisation_id) for log in new})

    def may_change(self, obj: ActivityLog) -> str | None:
        if obj.review_state == ActivityLog.ReviewState.VERIFIED:
            return _("This log is verified; a verified log is not changed by an import.")
        return None if obj.pk in self.editable else _("You may not change this log.")

    def extra_checks(self, obj: ActivityLog) -> list[tuple[str | None, str]]:
        """The rules the log form says next to its fields, said next to the column here."""
        problems: list[tuple[str | None, str]] = list(bound_problems(obj))
        if problems:
            return problems
        total = obj.participants_total
        for name in ("participants_women", "participants_men", "participants_youth"):
            if getattr(obj, name) > total:
                problems.append(
                    (name, _("Cannot be more than the %(total)d participants.") % {"total": total})
                )
        women, men = obj.participants_women, obj.participants_men
        if women <= total and men <= total and women + men > total:
            problems.append(
                (
                    "participants_men",
                    _(
                        "Women (%(women)d) and men (%(men)d) together are more than the %(total)d participants."
                    )
                    % {"women": women, "men": men, "total": total},
                )
            )
        return problems

    def label(self, obj: ActivityLog) -> str:
        return f"{obj.title} · {_display(obj.occurred_on)}"

    def save(self, planned: Planned) -> None:
        # A new log was built with its author and is submitted for review (the model's default), as
        # ``services.activity_log_create`` would do; it was validated while planning, in this transaction.
        log = planned.obj
        was_returned = log.review_state == ActivityLog.ReviewState.RETURNED
        super().save(planned)
        if was_returned:
            services.activity_log_resubmit(log=log, user=self.user)


IMPORTERS: dict[str, type[Importer]] = {
    importer.dataset.key: importer
    for importer in (CrimeStatisticImporter, MeasurementImporter, ActivityLogImporter)
}

IMPORT_HELP = {
    "crime-statistics": gettext_lazy("Police and officials, for their districts."),
    "indicators": gettext_lazy("Officials: measurements of their districts' indicators."),
    "activity-logs": gettext_lazy(
        "Partners and police for their organisations; officials for their districts."
    ),
}


def importable_datasets(user: User) -> list[exports.Dataset]:
    scope = access.scope_for(user)
    return [importer.dataset for importer in IMPORTERS.values() if importer.allowed(scope)]


class _Rollback(Exception):
    pass


def run_import(
    *,
    user: User,
    dataset_key: str,
    table: Table,
    commit: bool,
    seen: dict[int, tuple[int | None, int | None]] | None = None,
) -> ImportResult:
    """Plan every row; with ``commit``, write them all in one transaction, or nothing at the first error.

    The dry run (``commit=False``) never writes. The confirmation plans again, and with ``seen`` (the dry
    run's ``result.seen``) refuses the whole file if a record it would change or add was changed or added
    by someone since the dry run: what the person confirmed is what gets written, or nothing, as with
    a stale edit on a form.
    """
    importer = IMPORTERS[dataset_key](user)
    check_headers(table, importer.dataset)
    if not commit:
        result, _planned = importer.plan(table)
        return result
    try:
        with transaction.atomic():
            result, planned = importer.plan(table)
            if seen is not None:
                result.errors.extend(
                    _changed_since(seen, result.seen, failing={e.row for e in result.errors})
                )
            if result.errors:
                raise _Rollback
            try:
                importer.save_all(planned)
            except (ValidationError, DatabaseError) as error:
                # A rule only the database knew (or a record changed meanwhile): nothing is kept.
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                result.errors.append(
                    Problem(
                        importer.saving_row, None, _("Could not be saved: %(error)s") % {"error": message}
                    )
                )
                raise _Rollback from error
    except _Rollback:
        result.created, result.changed, result.unchanged = [], [], 0
        return result
    result.committed = True
    return result


def _changed_since(
    seen: dict[int, tuple[int | None, int | None]],
    now: dict[int, tuple[int | None, int | None]],
    failing: set[int | None],
) -> list[Problem]:
    """A problem for each row whose record is not as the dry run found it, but rows failing already."""
    message = _(
        "This record was changed or added by someone after you checked the file. Nothing was imported: "
        "upload the file again to check it against the record as it is now."
    )
    return [
        Problem(row, None, message)
        for row in sorted(seen.keys() | now.keys())
        if seen.get(row) != now.get(row) and row not in failing
    ]


# Keeping the file between the dry run and the confirmation ----------------------------------------


def stash_upload(
    upload: File, *, user: User, dataset_key: str, seen: dict[int, tuple[int | None, int | None]]
) -> str:
    """Store the uploaded file and what the dry run found of its records (``ImportResult.seen``) where
    any app server may read them for the confirmation, and return a signed token naming them."""
    _forget_old_stashes()
    suffix = ".xlsx" if (upload.name or "").lower().endswith((".xlsx", ".xlsm")) else ".csv"
    upload.seek(0)
    stem = f"{STASH_DIR}/{uuid.uuid4().hex}"
    name = default_storage.save(f"{stem}{suffix}", upload)
    # Beside the file, not in the token: a large file's rows would make the page carry a megabyte.
    rows = [[row, pk, version] for row, (pk, version) in seen.items()]
    seen_name = default_storage.save(f"{stem}.seen.json", ContentFile(json.dumps(rows).encode()))
    return signing.dumps(
        {"file": name, "seen": seen_name, "dataset": dataset_key, "name": upload.name or "", "user": user.pk},
        salt=_SIGNING_SALT,
    )


@dataclass(frozen=True)
class Stash:
    file_name: str
    seen_name: str
    dataset_key: str
    original_name: str
    seen: dict[int, tuple[int | None, int | None]]


def open_stash(token: str, *, user: User) -> Stash | None:
    """The stashed file behind a token, if the token is this user's, recent, and the file still there."""
    try:
        data = signing.loads(token, salt=_SIGNING_SALT, max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk or data.get("dataset") not in IMPORTERS:
        return None
    if not default_storage.exists(data["file"]) or not default_storage.exists(data["seen"]):
        return None
    with default_storage.open(data["seen"], "rb") as stored:
        seen = {row: (pk, version) for row, pk, version in json.load(stored)}
    return Stash(data["file"], data["seen"], data["dataset"], data["name"], seen)


def read_stash(stash: Stash) -> Table:
    with default_storage.open(stash.file_name, "rb") as stored:
        stored.name = stash.original_name or stash.file_name
        return read_upload(stored)


def drop_stash(stash: Stash) -> None:
    default_storage.delete(stash.file_name)
    default_storage.delete(stash.seen_name)


def _forget_old_stashes() -> None:
    """Remove files whose dry run was never confirmed, once they are older than a confirmation may be."""
    try:
        _dirs, files = default_storage.listdir(STASH_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    limit = timezone.now() - dt.timedelta(seconds=2 * STASH_MAX_AGE)
    for name in files:
        path = f"{STASH_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
