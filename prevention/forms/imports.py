"""The import form: which dataset, and the file (CSV or XLSX with the export's columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from prevention import imports

if TYPE_CHECKING:
    from accounts.models import User


class ImportForm(forms.Form):
    dataset = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or XLSX, up to %(max)d MB, with the columns of an export.")
        % {"max": imports.MAX_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = [
            (dataset.key, dataset.title) for dataset in imports.importable_datasets(user)
        ]
        self.table: imports.Table | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, key = cleaned.get("file"), cleaned.get("dataset")
        if upload is None or key is None:
            return cleaned
        try:
            self.table = imports.read_upload(upload)
            imports.check_headers(self.table, imports.IMPORTERS[key].dataset)
        except imports.ImportFileError as error:
            self.add_error("file", ValidationError(str(error), code="unreadable"))
        return cleaned


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
