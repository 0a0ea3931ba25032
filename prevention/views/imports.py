"""Imports: upload a file, see the dry run (what would change, every error), then confirm it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prevention import imports
from prevention.forms.imports import ConfirmImportForm, ImportForm
from prevention.views.navigation import acts_on_post


def _require_importer(request: HttpRequest) -> None:
    """Only police, officials and partners import (each dataset then checks its own rule)."""
    if not imports.importable_datasets(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a valid upload is stored and its dry run shown, nothing written yet."""
    _require_importer(request)
    initial = {"dataset": request.GET.get("dataset")}
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["dataset"]
        result = imports.run_import(user=request.user, dataset_key=key, table=form.table, commit=False)
        token = ""
        if result.ok and (result.created or result.changed):
            token = imports.stash_upload(
                form.cleaned_data["file"], user=request.user, dataset_key=key, seen=result.seen
            )
        return render(
            request,
            "prevention/import_preview.html",
            {
                "result": result,
                "file_name": form.cleaned_data["file"].name,
                "confirm_form": ConfirmImportForm(initial={"token": token}) if token else None,
            },
        )
    return render(
        request,
        "prevention/import_upload.html",
        {"form": form, "help": imports.IMPORT_HELP, "datasets": imports.importable_datasets(request.user)},
    )


@login_required
@acts_on_post(back=lambda: reverse("prevention:import-upload"))
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Write the dry run's file for real: everything, or nothing if any row fails now."""
    _require_importer(request)
    form = ConfirmImportForm(request.POST)
    stash = imports.open_stash(form.cleaned_data["token"], user=request.user) if form.is_valid() else None
    if stash is None:
        messages.error(request, _("That import has expired or was already done. Upload the file again."))
        return redirect("prevention:import-upload")
    try:
        table = imports.read_stash(stash)
        result = imports.run_import(
            user=request.user, dataset_key=stash.dataset_key, table=table, commit=True, seen=stash.seen
        )
    except imports.ImportFileError as error:
        imports.drop_stash(stash)
        messages.error(request, str(error))
        return redirect("prevention:import-upload")
    imports.drop_stash(stash)
    if not result.committed:
        # The data changed since the dry run (a row no longer passes, or a record it would change was
        # changed by someone): nothing was written.
        return render(
            request,
            "prevention/import_preview.html",
            {"result": result, "file_name": stash.original_name, "confirm_form": None, "failed": True},
            status=409,
        )
    messages.success(
        request,
        _(
            "%(dataset)s imported from %(file)s: %(created)d added, %(changed)d changed, %(unchanged)d unchanged."
        )
        % {
            "dataset": result.dataset.title,
            "file": stash.original_name,
            "created": len(result.created),
            "changed": len(result.changed),
            "unchanged": result.unchanged,
        },
    )
    return redirect("prevention:import-upload")
