"""Exports: scoped to the user, filtered like their list, streamed, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention import exports
from prevention.models import ActivityLog
from tests import factories as f


def export_url(dataset: str, extension: str = "csv") -> str:
    return reverse("prevention:export", kwargs={"dataset": dataset, "extension": extension})


def read_csv(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content, newline="")))


def read_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def log_in(world_district, **kwargs) -> ActivityLog:
    """A log of the district's NGO; reviewed ones carry their review time, as the database requires."""
    if kwargs.get("review_state", "submitted") != "submitted":
        kwargs.setdefault("reviewed_at", timezone.now())
    return f.ActivityLogFactory(
        initiative=world_district.initiative, organisation=world_district.ngo, **kwargs
    )


def test_it_requires_sign_in(client, world):
    response = client.get(export_url("activity-logs"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("dataset", list(exports.DATASETS))
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_every_dataset_exports_in_both_formats(client, world, dataset, extension):
    f.MilestoneFactory(initiative=world.a.initiative)
    log_in(world.a, review_state="submitted")
    f.MeasurementFactory(indicator=f.IndicatorFactory(plan=world.a.plan, initiative=world.a.initiative))
    f.CrimeStatisticFactory(district=world.a.district)
    f.SpendingFactory(funding_line=world.funding)
    client.force_login(world.a.official)
    response = client.get(export_url(dataset, extension))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    header = read_csv(response)[0].keys() if extension == "csv" else read_xlsx(response)[0]
    assert list(header) == exports.DATASETS[dataset].headers


def test_unknown_dataset_or_format_is_not_found(client, world):
    client.force_login(world.a.official)
    assert client.get(export_url("users")).status_code == 404
    assert client.get(export_url("activity-logs", "pdf")).status_code == 404


def test_csv_export_is_streamed_and_scoped_to_the_users_districts(client, world):
    log_in(world.a, title="Patrol in A", review_state="verified")
    log_in(world.b, title="Patrol in B", review_state="verified")
    client.force_login(world.a.official)
    response = client.get(export_url("activity-logs"))
    assert isinstance(response, StreamingHttpResponse)
    titles = [row["title"] for row in read_csv(response)]
    assert titles == ["Patrol in A"]


def test_partner_export_leaves_out_other_organisations_unverified_logs(client, world):
    police_log = f.ActivityLogFactory(
        initiative=world.a.initiative, organisation=world.a.police_unit, title="Police draft"
    )
    own = log_in(world.a, title="Our draft")
    client.force_login(world.a.partner)
    titles = {row["title"] for row in read_csv(client.get(export_url("activity-logs")))}
    assert own.title in titles
    assert police_log.title not in titles


def test_donor_exports_only_what_their_organisation_funds(client, world):
    client.force_login(world.donor)
    initiatives = [row["title"] for row in read_csv(client.get(export_url("initiatives")))]
    funding = read_csv(client.get(export_url("funding")))
    assert initiatives == ["Initiative A"]
    assert [row["funder"] for row in funding] == ["INL"]
    assert read_csv(client.get(export_url("crime-statistics"))) == []


def test_export_applies_the_filters_of_the_activity_log_list(client, world):
    log_in(world.a, title="A patrol", kind="patrol", review_state="verified")
    log_in(world.a, title="A training", kind="training", review_state="verified")
    client.force_login(world.a.official)
    response = client.get(export_url("activity-logs"), {"kind": "patrol", "state": "verified"})
    assert [row["title"] for row in read_csv(response)] == ["A patrol"]


def test_a_filter_outside_the_users_scope_is_refused_not_ignored(client, world):
    log_in(world.a, title="A patrol")
    client.force_login(world.a.official)
    response = client.get(export_url("activity-logs"), {"district": world.b.district.pk})
    assert response.status_code == 400
    assert "filter does not make sense" in response.text
    assert "A patrol" not in response.text


def test_initiative_export_carries_progress_and_health(client, world):
    f.MilestoneFactory(initiative=world.a.initiative, status="done", completed_on="2019-01-01", weight=1)
    f.MilestoneFactory(initiative=world.a.initiative, weight=3)
    client.force_login(world.a.official)
    (row,) = read_csv(client.get(export_url("initiatives")))
    assert row["progress_percent"] == "25.0"
    assert row["health"] in {"on_track", "at_risk", "off_track"}


FORMULAS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def test_csv_export_neutralises_formulas(client, world):
    for formula in FORMULAS:
        log_in(world.a, title=formula, place=formula)
    client.force_login(world.a.official)
    rows = read_csv(client.get(export_url("activity-logs")))
    assert sorted(row["title"] for row in rows) == sorted("'" + formula for formula in FORMULAS)
    assert all(row["place"].startswith("'") for row in rows)


def test_csv_export_neutralises_formulas_in_every_text_column_including_joined_names(client, world):
    world.a.ngo.name = "=NGO"
    world.a.ngo.save()
    world.a.initiative.title = "+Initiative"
    world.a.initiative.save()
    log_in(world.a, title="Plain", description="@SUM(A1)", place="-1", outputs="'=already")
    log_in(world.a, title="Also plain", description="Nothing to see", place="Hall", outputs="Leaflets")
    client.force_login(world.a.official)
    rows = {row["title"]: row for row in read_csv(client.get(export_url("activity-logs")))}
    risky, plain = rows["Plain"], rows["Also plain"]
    assert (risky["organisation"], risky["initiative"]) == ("'=NGO", "'+Initiative")
    assert (risky["description"], risky["place"], risky["outputs"]) == ("'@SUM(A1)", "'-1", "''=already")
    assert (plain["organisation"], plain["description"], plain["place"]) == (
        "'=NGO",
        "Nothing to see",
        "Hall",
    )
    assert plain["participants_total"].isdigit() and plain["occurred_on"][4] == "-"


def test_csv_written_with_its_text_columns_known_reads_as_when_every_cell_is_looked_at():
    rows = [
        (7, None, dt.date(2020, 1, 2), Decimal("1.50"), True, "plain", None),
        (8, -3, dt.date(2020, 1, 3), None, False, "=1+1", "'=quoted"),
        (9, 4, None, Decimal("-2"), None, "", "\tcmd"),
    ]
    every_cell = b"".join(exports.csv_pieces(["h"] * 7, rows))
    assert b"".join(exports.csv_pieces(["h"] * 7, rows, text_columns=(5, 6))) == every_cell
    assert b"".join(exports.csv_pieces(["h"] * 7, rows, text_columns=(5,))).count(b"'=1+1") == 1
    assert (
        b"".join(exports.csv_pieces(["h"] * 7, [], text_columns=(5, 6)))
        == exports.UTF8_BOM.encode() + b"h,h,h,h,h,h,h\r\n"
    )


def test_xlsx_export_neutralises_formulas(client, world):
    for formula in FORMULAS:
        log_in(world.a, title=formula)
    client.force_login(world.a.official)
    response = client.get(export_url("activity-logs", "xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    title_column = exports.ACTIVITY_LOGS.headers.index("title") + 1
    cells = [sheet.cell(row=row, column=title_column) for row in range(2, len(FORMULAS) + 2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert sorted(cell.value for cell in cells) == sorted("'" + formula for formula in FORMULAS)


def test_neutralise_and_restore_give_back_any_text():
    for text in ["=1", "'=1", "''=1", "'hello", "plain", "", "-", "'", "a=b"]:
        assert exports.restore_text(exports.neutralise(text)) == text
    assert exports.neutralise("'=1") == "''=1"
    assert exports.neutralise("plain") == "plain"


def _queries_for_export(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("dataset", list(exports.DATASETS))
def test_export_costs_the_same_queries_for_5_and_60_rows(client, world, dataset):
    client.force_login(world.a.official)

    def grow(count: int, first_year: int) -> None:
        for _ in range(count):
            initiative = f.InitiativeFactory(priority=world.a.priority, lead_organisation=world.a.police_unit)
            f.MilestoneFactory(initiative=initiative)
            log_in(world.a)
            f.MeasurementFactory(indicator=f.IndicatorFactory(plan=world.a.plan, initiative=initiative))
            f.SpendingFactory(funding_line=f.FundingLineFactory(initiative=initiative))
        for year in range(first_year, first_year + count):
            f.CrimeStatisticFactory(district=world.a.district, year=year)

    grow(5, first_year=1900)
    small = _queries_for_export(client, export_url(dataset))
    grow(55, first_year=1950)
    assert _queries_for_export(client, export_url(dataset)) == small


def _bulk_logs(world, count: int) -> None:
    ActivityLog.objects.bulk_create(
        [
            ActivityLog(
                initiative=world.a.initiative,
                district=world.a.district,
                organisation=world.a.ngo,
                occurred_on="2019-05-01",
                kind="patrol",
                title=f"Evening patrol number {number} around the market and the bus terminal",
                description="Two officers and three volunteers walked the route and talked to traders.",
                participants_total=5,
            )
            for number in range(count)
        ],
        batch_size=2000,
    )


def _peak_memory_of_export(client, url: str) -> tuple[int, int]:
    """Peak traced memory while the whole export is produced and consumed, and its size in bytes."""
    tracemalloc.start()
    try:
        response = client.get(url)
        size = 0
        for piece in response.streaming_content:
            size += len(piece)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


@pytest.mark.slow
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_activity_log_export_memory_does_not_grow_with_rows(client, world, extension):
    """Five times the rows, about the same peak memory: rows are streamed, never all held at once.

    Both exports span several of the database's fetches (2,000 rows each), so both peaks hold the
    same one or two fetches; with fewer rows than a fetch the smaller peak would be flattered.
    bench/export_memory.py measures the same at 10,000 and 100,000 rows.
    """
    client.force_login(world.a.official)
    url = export_url("activity-logs", extension)
    _bulk_logs(world, 6_000)
    small_peak, small_size = _peak_memory_of_export(client, url)
    _bulk_logs(world, 24_000)
    large_peak, large_size = _peak_memory_of_export(client, url)
    assert large_size > 4 * small_size
    # Allow for the allocator's noise, but not for growth with the rows (that would be ~5x).
    assert large_peak < small_peak * 1.5 + 512 * 1024, (small_peak, large_peak)


def test_csv_writes_every_kind_of_value_as_text_a_spreadsheet_reads_back():
    row = (
        7,
        None,
        dt.date(2020, 1, 2),
        dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC),
        Decimal("1.50"),
        True,
        "plain",
        "",
        "'=already quoted",
        "-5 below",
        "it's fine",
    )
    text = b"".join(exports.csv_pieces(["h"] * len(row), [row])).decode("utf-8-sig")
    assert text.splitlines()[1] == (
        "7,,2020-01-02,2020-01-02T03:04:00+00:00,1.50,True,plain,,''=already quoted,'-5 below,it's fine"
    )


# Text a spreadsheet or a CSV reader could take for something else: formulas (with and without the
# apostrophes a user typed), separators, quotes, line breaks, tabs, a lone CR, Cyrillic, nothing at all.
AWKWARD_TEXTS = [
    "=1+1",
    "'=already quoted",
    "''+twice",
    "'just an apostrophe",
    "-5 below",
    "@SUM(A1)",
    "\tstarts with a tab",
    "\rstarts with a CR",
    "a, b; c",
    'she said "no"',
    "line one\r\nline two",
    "a lone\rCR",
    "tab\tinside",
    "Свердловский район",
    "",
    "\\.",
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes the CSV itself")
@pytest.mark.parametrize("dataset", ["activity-logs", "milestones"])
def test_postgresql_writes_the_csv_the_python_writer_would(client, world, dataset):
    """The file PostgreSQL writes (COPY) reads back cell for cell as the one the csv module writes, and
    differs only in its line ends, and in quoting the one value COPY always quotes (a backslash-dot)."""
    spec = exports.DATASETS[dataset]
    assert spec.copy_cells is not None
    for n, text in enumerate(AWKWARD_TEXTS):
        log_in(world.a, title=text or "untitled", description=text, place=text, outputs=text)
        f.MilestoneFactory(initiative=world.a.initiative, title=text or "untitled", evidence_note=text)
        f.MilestoneFactory(
            initiative=world.a.initiative, title=f"done {n}", status="done", completed_on=dt.date(2020, 3, 4)
        )
    client.force_login(world.a.official)
    response = client.get(export_url(dataset))
    by_postgresql = b"".join(response.streaming_content)
    queryset = spec.filter(response.wsgi_request).qs
    by_python = b"".join(exports.csv_pieces(spec.headers, spec.rows(queryset), spec.text_columns))

    def cells(content: bytes) -> list[list[str]]:
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))

    assert len(cells(by_postgresql)) > len(AWKWARD_TEXTS)
    assert cells(by_postgresql) == cells(by_python)
    assert by_postgresql.replace(b'"\\."', b"\\.") == by_python.replace(b"\r\n", b"\n").replace(
        b"line one\n", b"line one\r\n"
    )
