"""Exports: every dataset a user may read, as CSV or XLSX, with the filters of the list it comes from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from prevention import exports
from prevention.imports import importable_datasets

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def export_index(request: HttpRequest) -> HttpResponse:
    """The datasets the user can download, and a way to the import for those they may upload."""
    return render(
        request,
        "prevention/import_export.html",
        {"datasets": exports.DATASETS.values(), "importable": importable_datasets(request.user)},
    )


@login_required
@require_GET
def export(request: HttpRequest, dataset: str, extension: str) -> HttpResponse:
    """One dataset, filtered as its list was (the list's query string), within the user's scope.

    A filter value that does not make sense is refused rather than ignored: ignoring it would export
    more than the user asked for.
    """
    spec = exports.DATASETS.get(dataset)
    if spec is None or extension not in ("csv", "xlsx"):
        raise Http404
    filterset = spec.filter(request)
    if not filterset.is_valid():
        return render(
            request,
            "prevention/import_export.html",
            {
                "datasets": exports.DATASETS.values(),
                "importable": importable_datasets(request.user),
                "filter_errors": filterset.errors,
                "refused": spec,
            },
            status=400,
        )
    filename = exports.export_filename(spec, extension)
    if extension == "csv":
        response = StreamingHttpResponse(spec.csv(filterset.qs), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    pieces = exports.xlsx_pieces([(str(spec.title), spec.headers, spec.rows(filterset.qs))])
    response = StreamingHttpResponse(pieces, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
