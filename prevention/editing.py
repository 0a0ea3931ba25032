"""Refusing stale edits: two people change the same plan object, the second save is refused.

A form built on ``VersionedModelForm`` carries the version the user started from. Saving checks it
against the database inside the transaction and bumps it; if someone saved in the meantime the form
gets an error naming who and when, and nothing of either edit is lost (the user's input stays in the
form, the other person's save stays in the database).
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """Someone saved the object after this form was loaded."""


def last_change_by(obj) -> str:
    """Who saved the object last and when, from its history, for the refusal message."""
    record = obj.history.select_related("history_user").first() if hasattr(obj, "history") else None
    if record is None:
        return _(
            "Someone else changed this record after you opened it. Your changes are still in the form: "
            "compare them with the current version (open it in a new tab) and save again."
        )
    who = str(record.history_user) if record.history_user else _("Someone")
    # In the site's time zone, as the history shows it: stored in UTC, it gave the wrong day at night.
    when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    return _(
        "%(who)s changed this record at %(when)s, after you opened it. Your changes are still in the "
        "form: compare them with the current version (open it in a new tab) and save again."
    ) % {"who": who, "when": when}


class VersionedModelForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version

    def _expected_version(self) -> int | None:
        return self.cleaned_data.get("edit_version")

    def _current_version(self) -> int | None:
        return (
            type(self.instance)
            ._default_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )

    def _refuse_stale(self, current: int | None) -> str:
        """The refusal, said once: the form shown again carries the version saved now, so that saving it
        again, after comparing, replaces the other change knowingly instead of being refused forever."""
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = current
        self.data = data
        return last_change_by(self.instance)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk:
            current = self._current_version()
            if cleaned.get("edit_version") != current:
                raise forms.ValidationError(self._refuse_stale(current), code="stale")
        return cleaned

    def save(self, commit: bool = True):
        obj = super().save(commit=False)
        if not commit:
            return obj
        with transaction.atomic():
            if obj.pk:
                expected = self._expected_version()
                bumped = (
                    type(obj)
                    ._default_manager.filter(pk=obj.pk, version=expected)
                    .update(version=F("version") + 1)
                )
                if not bumped:
                    self.add_error(None, self._refuse_stale(self._current_version()))
                    raise StaleEdit
                obj.version = expected + 1
            obj.save()
            self._save_m2m()
        return obj
