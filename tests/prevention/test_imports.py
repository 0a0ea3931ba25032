"""Imports: an export imports back unchanged; a dry run first; all or nothing; scope and roles hold."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prevention import exports, imports
from prevention.models import ActivityLog, CrimeStatistic, Measurement
from tests import factories as f

UPLOAD_URL = "/import/"
CONFIRM_URL = "/import/confirm/"


def export(client, dataset: str, extension: str = "csv", **params) -> bytes:
    url = reverse("prevention:export", kwargs={"dataset": dataset, "extension": extension})
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_file(rows: list[dict], headers: list[str], name: str = "data.csv", **kwargs) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, **kwargs)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def rows_of(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def upload(client, dataset: str, file) -> object:
    return client.post(UPLOAD_URL, {"dataset": dataset, "file": file})


def confirm(client, preview) -> object:
    return client.post(CONFIRM_URL, {"token": preview.context["confirm_form"].initial["token"]})


def verified(**kwargs) -> ActivityLog:
    return f.ActivityLogFactory(review_state="verified", reviewed_at=timezone.now(), **kwargs)


@pytest.fixture
def figures(world) -> list[CrimeStatistic]:
    return [
        f.CrimeStatisticFactory(district=world.a.district, year=2016, category=category, count=count)
        for category, count in [("total", 4023), ("burglary", 312), ("theft", 1200)]
    ]


def statistics_row(district, **values) -> dict:
    row = dict.fromkeys(exports.CRIME_STATISTICS.headers, "")
    row.update(district_id=district.pk, district=district.name, year=2017, category="total", count=100)
    row.update(values)
    return row


# Round trips -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exported_crime_statistics_import_back_with_no_changes(client, world, figures, extension):
    client.force_login(world.a.police)
    data = export(client, "crime-statistics", extension)
    preview = upload(client, "crime-statistics", SimpleUploadedFile(f"figures.{extension}", data))
    result = preview.context["result"]
    assert (len(result.created), len(result.changed), result.unchanged, result.errors) == (0, 0, 3, [])
    assert "nothing to import" in preview.text


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exported_activity_logs_import_back_with_no_changes(client, world, extension):
    f.ActivityLogFactory(
        initiative=world.a.initiative,
        organisation=world.a.ngo,
        title='=HYPERLINK("http://evil.example")',
        description="Line one\r\nline two, with a comma; and a semicolon",
        place="-5 km from the bazaar",
        outputs="@everyone: 2,000 leaflets",
    )
    verified(initiative=world.a.initiative, organisation=world.a.police_unit, title="Верифицировано")
    client.force_login(world.a.partner)
    data = export(client, "activity-logs", extension)
    result = upload(client, "activity-logs", SimpleUploadedFile(f"logs.{extension}", data)).context["result"]
    assert (len(result.created), len(result.changed), result.unchanged, result.errors) == (0, 0, 2, [])


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exported_indicators_import_back_with_no_changes(client, world, extension):
    indicator = f.IndicatorFactory(plan=world.a.plan, name="Burglaries")
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2018, 12, 31), value=Decimal("105.50"))
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 12, 31), value=Decimal("98"))
    f.IndicatorFactory(plan=world.a.plan, name="Not yet measured")
    client.force_login(world.a.official)
    data = export(client, "indicators", extension)
    result = upload(client, "indicators", SimpleUploadedFile(f"ind.{extension}", data)).context["result"]
    assert (len(result.created), len(result.changed), result.unchanged, result.errors) == (0, 0, 2, [])
    assert result.skipped == 1


# Dry run, then the real import -----------------------------------------------------------------------


def test_dry_run_shows_changes_and_writes_nothing_until_confirmed(client, world, figures):
    client.force_login(world.a.official)
    rows = rows_of(export(client, "crime-statistics"))
    total = next(row for row in rows if row["category"] == "total")
    total["count"] = "4100"
    rows.append(statistics_row(world.a.district, year=2017, category="burglary", count=280))
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    assert preview.status_code == 200
    assert "4023" in preview.text and "4100" in preview.text
    result = preview.context["result"]
    assert (len(result.created), len(result.changed), result.unchanged) == (1, 1, 2)
    assert CrimeStatistic.objects.get(pk=figures[0].pk).count == 4023
    assert not CrimeStatistic.objects.filter(year=2017).exists()

    response = confirm(client, preview)
    assert response.status_code == 302
    changed = CrimeStatistic.objects.get(pk=figures[0].pk)
    assert (changed.count, changed.version) == (4100, 2)
    added = CrimeStatistic.objects.get(district=world.a.district, year=2017, category="burglary")
    assert (added.count, added.entered_by) == (280, world.a.official)
    assert "1 added, 1 changed, 2 unchanged" in client.get(UPLOAD_URL).text


def test_a_confirmation_cannot_be_replayed(client, world, figures):
    client.force_login(world.a.official)
    rows = [statistics_row(world.a.district, year=2018)]
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    confirm(client, preview)
    again = confirm(client, preview)
    assert again.status_code == 302
    assert CrimeStatistic.objects.filter(year=2018).count() == 1


def test_a_figure_changed_after_the_dry_run_is_not_overwritten_by_the_confirmation(client, world, figures):
    client.force_login(world.a.police)
    rows = rows_of(export(client, "crime-statistics"))
    burglary = next(row for row in rows if row["category"] == "burglary")
    burglary["count"] = "360"
    rows.append(statistics_row(world.a.district, year=2017, category="theft", count=900))
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    assert len(preview.context["result"].changed) == 1
    # Meanwhile someone corrects the same figure on its form, which moves its version on.
    CrimeStatistic.objects.filter(pk=figures[1].pk).update(count=340, version=F("version") + 1)
    response = confirm(client, preview)
    assert response.status_code == 409
    assert "changed or added by someone after you checked the file" in response.text
    assert CrimeStatistic.objects.get(pk=figures[1].pk).count == 340
    assert not CrimeStatistic.objects.filter(year=2017).exists()


def test_a_record_added_after_the_dry_run_is_not_overwritten_by_the_confirmation(client, world, figures):
    client.force_login(world.a.police)
    rows = [statistics_row(world.a.district, year=2018, category="total", count=3900)]
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    assert len(preview.context["result"].created) == 1
    f.CrimeStatisticFactory(district=world.a.district, year=2018, category="total", count=3950)
    response = confirm(client, preview)
    assert response.status_code == 409
    assert CrimeStatistic.objects.get(year=2018).count == 3950


def test_the_confirmation_token_stays_small_however_many_rows_the_file_has(client, world):
    client.force_login(world.a.police)
    rows = [
        statistics_row(
            world.a.district, year=year, category=category, count=100 if category == "total" else 1
        )
        for year in range(2000, 2020)
        for category in CrimeStatistic.Category.values
    ]
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    assert preview.context["result"].errors == []
    assert len(preview.context["result"].created) == len(rows) > 250
    assert len(preview.context["confirm_form"].initial["token"]) < 400
    assert confirm(client, preview).status_code == 302
    assert CrimeStatistic.objects.count() == len(rows)


def test_another_users_confirmation_token_is_refused(client, world, figures):
    client.force_login(world.a.official)
    rows = [statistics_row(world.a.district, year=2018)]
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    client.force_login(world.a.police)
    confirm(client, preview)
    assert not CrimeStatistic.objects.filter(year=2018).exists()


def test_one_bad_row_among_99_good_ones_writes_nothing_and_names_row_and_column(client, world):
    rows = [statistics_row(world.a.district, year=1900 + n) for n in range(100)]
    rows[41]["count"] = "many"  # the 42nd data row: row 43 of the sheet, under the header
    client.force_login(world.a.police)
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    result = preview.context["result"]
    assert [(problem.row, problem.column) for problem in result.errors] == [(43, "count")]
    assert "“many” is not a whole number" in preview.text
    assert preview.context["confirm_form"] is None
    assert not CrimeStatistic.objects.exists()


def test_the_real_import_is_all_or_nothing(world):
    rows = [statistics_row(world.a.district, year=1900 + n) for n in range(100)]
    rows[98]["category"] = "nonsense"
    table = imports.read_upload(csv_file(rows, exports.CRIME_STATISTICS.headers))
    result = imports.run_import(user=world.a.police, dataset_key="crime-statistics", table=table, commit=True)
    assert not result.committed
    assert [(problem.row, problem.column) for problem in result.errors] == [(100, "category")]
    assert not CrimeStatistic.objects.exists()


def test_a_failure_while_saving_undoes_everything_saved_before_it(world, monkeypatch):
    figures = [f.CrimeStatisticFactory(district=world.a.district, year=2000 + n, count=10) for n in range(3)]
    rows = [statistics_row(world.a.district, id=s.pk, year=s.year, count=99) for s in figures]
    rows += [statistics_row(world.a.district, year=1900 + n) for n in range(5)]
    table = imports.read_upload(csv_file(rows, exports.CRIME_STATISTICS.headers))
    original_save = imports.CrimeStatisticImporter.save
    calls = []

    def failing_save(self, planned):
        calls.append(planned.row)
        if len(calls) == 3:
            raise imports.DatabaseError("disk full")
        original_save(self, planned)

    monkeypatch.setattr(imports.CrimeStatisticImporter, "save", failing_save)
    result = imports.run_import(user=world.a.police, dataset_key="crime-statistics", table=table, commit=True)
    assert not result.committed
    assert result.errors[0].row == 4
    assert sorted(CrimeStatistic.objects.values_list("count", flat=True)) == [10, 10, 10]


# Scope and roles -------------------------------------------------------------------------------------


def test_a_row_of_another_district_is_refused_with_its_row_number(client, world):
    rows = [statistics_row(world.a.district, year=2001), statistics_row(world.b.district, year=2001)]
    client.force_login(world.a.police)
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    result = preview.context["result"]
    assert [(problem.row, problem.column) for problem in result.errors] == [(3, "district_id")]
    assert "row refused" in preview.text
    assert not CrimeStatistic.objects.exists()


def test_an_existing_figure_of_another_district_cannot_be_changed_by_id(client, world):
    other = f.CrimeStatisticFactory(district=world.b.district, count=50)
    row = statistics_row(world.a.district, id=other.pk, year=other.year, category=other.category, count=1)
    client.force_login(world.a.police)
    preview = upload(client, "crime-statistics", csv_file([row], exports.CRIME_STATISTICS.headers))
    assert [problem.column for problem in preview.context["result"].errors] == ["id"]
    assert CrimeStatistic.objects.get(pk=other.pk).count == 50


def test_partner_may_not_import_crime_statistics(client, world):
    client.force_login(world.a.partner)
    rows = [statistics_row(world.a.district)]
    response = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not CrimeStatistic.objects.exists()


def test_donor_may_not_import_anything(client, world):
    client.force_login(world.donor)
    assert client.get(UPLOAD_URL).status_code == 403


def test_police_may_not_import_measurements(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    table = imports.read_upload(
        csv_file(
            [{"indicator_id": indicator.pk, "measured_on": "2019-12-31", "value": "100"}],
            exports.INDICATORS.headers,
        )
    )
    assert not imports.MeasurementImporter.allowed(imports.access.scope_for(world.a.police))
    result = imports.run_import(user=world.a.police, dataset_key="indicators", table=table, commit=True)
    assert [problem.column for problem in result.errors] == ["indicator_id"]
    assert not Measurement.objects.exists()


def test_official_adds_and_corrects_measurements(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan, name="Burglaries")
    old = f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2018, 12, 31), value=Decimal("110"))
    other_district = f.IndicatorFactory(plan=world.b.plan)
    client.force_login(world.a.official)
    rows = rows_of(export(client, "indicators"))
    rows[0]["value"] = "108.5"
    rows.append({**rows[0], "measurement_id": "", "measured_on": "2019-12-31", "value": "101"})
    rows.append(
        {**rows[0], "indicator_id": other_district.pk, "measurement_id": "", "measured_on": "2019-12-31"}
    )
    preview = upload(client, "indicators", csv_file(rows, exports.INDICATORS.headers))
    assert [(p.row, p.column) for p in preview.context["result"].errors] == [(4, "indicator_id")]
    del rows[-1]
    preview = upload(client, "indicators", csv_file(rows, exports.INDICATORS.headers))
    confirm(client, preview)
    assert Measurement.objects.get(pk=old.pk).value == Decimal("108.5")
    added = Measurement.objects.get(indicator=indicator, measured_on=dt.date(2019, 12, 31))
    assert (added.value, added.entered_by) == (Decimal("101"), world.a.official)


def log_row(world_district, **values) -> dict:
    row = dict.fromkeys(exports.ACTIVITY_LOGS.headers, "")
    row.update(
        initiative_id=world_district.initiative.pk,
        organisation_id=world_district.ngo.pk,
        occurred_on="2019-04-02",
        kind="training",
        title="Training of youth inspectors",
        participants_total=30,
        participants_women=14,
        participants_men=16,
        participants_youth=20,
    )
    row.update(values)
    return row


def test_partner_logs_new_activities_by_import_for_review(client, world):
    client.force_login(world.a.partner)
    preview = upload(client, "activity-logs", csv_file([log_row(world.a)], exports.ACTIVITY_LOGS.headers))
    assert preview.context["result"].errors == []
    confirm(client, preview)
    log = ActivityLog.objects.get()
    assert (log.author, log.organisation, log.review_state) == (world.a.partner, world.a.ngo, "submitted")
    assert log.district == world.a.district
    # The batch insert keeps the activity totals the partner's dashboard reads.
    client.force_login(world.a.partner)
    assert client.get("/dashboard/").context["reach"].submitted == 1


def test_partner_cannot_log_for_another_organisation_or_district(client, world):
    rows = [
        log_row(world.a, organisation_id=world.a.police_unit.pk),
        log_row(world.b),
        log_row(world.a, participants_women=20, participants_men=20),
        log_row(world.a, occurred_on=(timezone.localdate() + dt.timedelta(days=3)).isoformat()),
    ]
    client.force_login(world.a.partner)
    preview = upload(client, "activity-logs", csv_file(rows, exports.ACTIVITY_LOGS.headers))
    assert [(p.row, p.column) for p in preview.context["result"].errors] == [
        (2, "organisation_id"),
        (3, "initiative_id"),
        (4, "participants_men"),
        (5, "occurred_on"),
    ]
    assert not ActivityLog.objects.exists()


def test_verified_log_is_not_changed_by_import_but_a_returned_one_goes_back_to_review(client, world):
    done = verified(initiative=world.a.initiative, organisation=world.a.ngo, title="Verified")
    returned = f.ActivityLogFactory(
        initiative=world.a.initiative,
        organisation=world.a.ngo,
        title="Returned",
        review_state="returned",
        review_note="Add the number of youth.",
        reviewed_at=timezone.now(),
    )
    client.force_login(world.a.partner)
    rows = rows_of(export(client, "activity-logs"))
    for row in rows:
        row["participants_youth"] = "7"
    preview = upload(client, "activity-logs", csv_file(rows, exports.ACTIVITY_LOGS.headers))
    errors = preview.context["result"].errors
    assert [(problem.row, problem.column) for problem in errors] == [
        (next(i for i, row in enumerate(rows, start=2) if row["id"] == str(done.pk)), None)
    ]
    assert "verified" in errors[0].message
    rows = [row for row in rows if row["id"] == str(returned.pk)]
    confirm(client, upload(client, "activity-logs", csv_file(rows, exports.ACTIVITY_LOGS.headers)))
    returned.refresh_from_db()
    assert (returned.participants_youth, returned.review_state) == (7, "submitted")
    assert ActivityLog.objects.get(pk=done.pk).participants_youth == 20


@pytest.mark.parametrize("importer", list(imports.IMPORTERS.values()), ids=lambda i: i.__name__)
def test_importers_account_for_every_constraint_of_their_model(importer):
    assert set(importer.constraints) == {constraint.name for constraint in importer.model._meta.constraints}


def test_rules_of_the_model_are_said_next_to_the_column(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2019, 12, 31))
    moved = f.MeasurementFactory(indicator=indicator, measured_on=dt.date(2018, 12, 31))
    rows = [
        {
            "indicator_id": indicator.pk,
            "period_start": "2020-02-01",
            "measured_on": "2020-01-01",
            "value": "1",
        },
        {"indicator_id": indicator.pk, "measurement_id": moved.pk, "measured_on": "2019-12-31", "value": "1"},
    ]
    client.force_login(world.a.official)
    preview = upload(client, "indicators", csv_file(rows, exports.INDICATORS.headers))
    assert [(p.row, p.column) for p in preview.context["result"].errors] == [
        (2, "period_start"),
        (3, "measured_on"),
    ]
    assert "already has a measurement for this date" in preview.text
    client.force_login(world.a.police)
    preview = upload(
        client,
        "crime-statistics",
        csv_file([statistics_row(world.a.district, year=1850)], exports.CRIME_STATISTICS.headers),
    )
    assert [(p.row, p.column) for p in preview.context["result"].errors] == [(2, "year")]
    assert "between 1900 and 2100" in preview.text


def test_imported_figures_meet_the_forms_rules_for_year_and_count(client, world):
    """A year not begun yet would take over the police dashboard's table; a count of a hundred billion
    is a typo (and more than PostgreSQL's column holds). The form refuses both; so does the import."""
    next_year = timezone.localdate().year + 1
    client.force_login(world.a.police)
    rows = [
        statistics_row(world.a.district, year=next_year),
        statistics_row(world.a.district, year=2019, count=99_999_999_999),
    ]
    preview = upload(client, "crime-statistics", csv_file(rows, exports.CRIME_STATISTICS.headers))
    errors = preview.context["result"].errors
    assert [(problem.row, problem.column) for problem in errors] == [(2, "year"), (3, "count")]
    assert f"Figures can be entered up to {next_year - 1}, the current year." in preview.text
    assert "A count above 2,147,483,647 cannot be right" in preview.text
    assert not CrimeStatistic.objects.exists()


def test_an_imported_measurement_dated_in_the_future_is_refused(client, world):
    indicator = f.IndicatorFactory(plan=world.a.plan)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(world.a.official)
    row = {"indicator_id": indicator.pk, "measured_on": tomorrow.isoformat(), "value": "300"}
    preview = upload(client, "indicators", csv_file([row], exports.INDICATORS.headers))
    assert [(p.row, p.column) for p in preview.context["result"].errors] == [(2, "measured_on")]
    assert "A measurement cannot be dated in the future." in preview.text


def test_an_imported_category_above_the_recorded_total_is_refused(client, world):
    f.CrimeStatisticFactory(district=world.a.district, year=2019, category="total", count=10)
    client.force_login(world.a.police)
    row = statistics_row(world.a.district, year=2019, category="burglary", count=500)
    preview = upload(client, "crime-statistics", csv_file([row], exports.CRIME_STATISTICS.headers))
    assert [(p.row, p.column) for p in preview.context["result"].errors] == [(2, "count")]
    assert "cannot be more than the year" in preview.text


def test_imported_logs_meet_the_forms_bounds(client, world):
    client.force_login(world.a.partner)
    rows = [
        log_row(world.a, occurred_on="1900-01-01"),
        log_row(world.a, participants_total=99_999_999_999, audience_reached=10**12),
    ]
    preview = upload(client, "activity-logs", csv_file(rows, exports.ACTIVITY_LOGS.headers))
    problems = [(p.row, p.column) for p in preview.context["result"].errors]
    assert problems == [(2, "occurred_on"), (3, "participants_total"), (3, "audience_reached")]
    assert "Check the year: activities are logged from 2000 on." in preview.text
    assert "More than 100,000 people in one activity? Check the figure." in preview.text
    assert not ActivityLog.objects.exists()


def test_checking_figures_against_the_total_costs_no_query_a_row(world):
    """The dry run reads the recorded figures once: 3 rows or 30 rows, the same queries."""
    for year in range(1990, 2020):
        f.CrimeStatisticFactory(district=world.a.district, year=year, category="total", count=1000)

    def queries_for(years) -> int:
        rows = [statistics_row(world.a.district, year=year, category="burglary", count=10) for year in years]
        table = imports.read_upload(csv_file(rows, exports.CRIME_STATISTICS.headers))
        with CaptureQueriesContext(connection) as queries:
            result = imports.run_import(
                user=world.a.police, dataset_key="crime-statistics", table=table, commit=False
            )
        assert result.errors == []
        return len(queries)

    queries_for(range(1990, 1991))  # warms what is read once a process (the user's scope, ...)
    assert queries_for(range(1990, 1993)) == queries_for(range(1990, 2020))


# Files -----------------------------------------------------------------------------------------------


def test_csv_with_byte_order_mark_and_semicolons_is_read(client, world):
    text = "\ufeff" + ";".join(exports.CRIME_STATISTICS.headers) + "\r\n"
    text += f";{world.a.district.pk};;2019;theft;77;;Police of A\r\n"
    client.force_login(world.a.police)
    file = SimpleUploadedFile("excel.csv", text.encode("utf-8"))
    result = upload(client, "crime-statistics", file).context["result"]
    assert (len(result.created), result.errors) == (1, [])


def test_a_file_that_is_not_utf8_is_refused_with_advice(client, world):
    text = (
        ",".join(exports.CRIME_STATISTICS.headers)
        + "\n"
        + f",{world.a.district.pk},Свердловский,2019,theft,7,,\n"
    )
    client.force_login(world.a.police)
    response = upload(client, "crime-statistics", SimpleUploadedFile("cp1251.csv", text.encode("cp1251")))
    assert "CSV UTF-8" in response.text
    assert not CrimeStatistic.objects.exists()


def test_wrong_columns_are_named(client, world):
    client.force_login(world.a.police)
    file = SimpleUploadedFile("x.csv", b"id,district_id,year,category,number\n")
    response = upload(client, "crime-statistics", file)
    assert "Missing columns: district, count, rate_per_100k, source." in response.text
    assert "Unknown columns: number." in response.text


def test_a_file_over_the_size_cap_is_refused(client, world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    client.force_login(world.a.police)
    response = upload(client, "crime-statistics", SimpleUploadedFile("big.csv", b"x" * 200))
    assert "larger than" in response.text


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0 old excel"])
def test_a_broken_or_old_workbook_is_refused_not_a_server_error(client, world, content):
    client.force_login(world.a.police)
    response = upload(client, "crime-statistics", SimpleUploadedFile("book.xlsx", content))
    assert response.status_code == 200
    assert "could not be read" in response.text or "old Excel file" in response.text


def test_xlsx_typed_cells_are_read(client, world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(exports.CRIME_STATISTICS.headers)
    sheet.append([None, world.a.district.pk, "A", 2019.0, "Theft", 12, None, None])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(world.a.police)
    preview = upload(client, "crime-statistics", SimpleUploadedFile("typed.xlsx", out.getvalue()))
    assert preview.context["result"].errors == []
    confirm(client, preview)
    assert CrimeStatistic.objects.get().category == "theft"
