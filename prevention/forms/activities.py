"""Forms for activity logs: the short "log an activity" form (a phone is the usual device) and review."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import access
from accounts.models import Organisation
from prevention.editing import VersionedModelForm
from prevention.models import ActivityLog, Initiative
from prevention.uploads import ACCEPT_ATTRIBUTE, MAX_FILES_PER_SUBMISSION, CleanUpload, clean_upload
from prevention.widgets import LazyChoices, QuickSelect

if TYPE_CHECKING:
    from accounts.models import User


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one ``<input type=file multiple>``; each is checked by ``clean_upload``.

    Cleans to a list of ``CleanUpload``; every refused file gets its own message on the field.
    """

    widget = MultipleFileInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT_ATTRIBUTE

    def clean(self, data, initial=None) -> list[CleanUpload]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES_PER_SUBMISSION:
            raise ValidationError(
                ngettext(
                    "Send at most %(max)d file at a time.",
                    "Send at most %(max)d files at a time.",
                    MAX_FILES_PER_SUBMISSION,
                )
                % {"max": MAX_FILES_PER_SUBMISSION},
                code="too_many",
            )
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(clean_upload(super().clean(upload)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            errors.append(
                ValidationError(_("Nothing was saved yet: choose the files again after fixing this."))
            )
            raise ValidationError(errors)
        return cleaned


PARTICIPANT_FIELDS = ("participants_total", "participants_women", "participants_men", "participants_youth")
# People in one activity, and an audience (a national broadcast reaches millions); more is a typo.
MAX_PARTICIPANTS = 100_000
MAX_AUDIENCE = 100_000_000
EARLIEST_ACTIVITY = dt.date(2000, 1, 1)


def too_early() -> str:
    return str(_("Check the year: activities are logged from 2000 on."))


def _too_many_people() -> str:
    return str(_("More than %(limit)s people in one activity? Check the figure.")) % {
        "limit": f"{MAX_PARTICIPANTS:,}"
    }


def _too_large_audience() -> str:
    return str(_("An audience above %(limit)s? Check the figure.")) % {"limit": f"{MAX_AUDIENCE:,}"}


# Each count's bound and what is said past it (the form and the import say the same).
COUNT_BOUNDS = {
    **dict.fromkeys(PARTICIPANT_FIELDS, (MAX_PARTICIPANTS, _too_many_people)),
    "audience_reached": (MAX_AUDIENCE, _too_large_audience),
}


def occurred_on_error(occurred_on: dt.date | None) -> str | None:
    """What is wrong with an activity's date: in the future, or before 2000."""
    if occurred_on and occurred_on > timezone.localdate():
        return str(_("Log an activity once it has taken place: the date is in the future."))
    if occurred_on and occurred_on < EARLIEST_ACTIVITY:
        return too_early()
    return None


def bound_problems(log) -> list[tuple[str, str]]:
    """What the form's bounds refuse in a log, for the import and the admin to say the same: counts
    past their bound, a date in the future or before 2000."""
    problems = [
        (name, message())
        for name, (limit, message) in COUNT_BOUNDS.items()
        if (getattr(log, name) or 0) > limit
    ]
    error = occurred_on_error(log.occurred_on)
    if error:
        problems.append(("occurred_on", error))
    return problems


class ActivityLogForm(VersionedModelForm):
    """Log an activity, or change one until it is verified (a stale edit is refused)."""

    attachments = EvidenceField(
        label=_("Photos and documents"),
        help_text=_("Several at once: photos (JPEG, PNG, WebP, GIF), PDF, Word, Excel, OpenDocument, CSV."),
    )

    class Meta:
        model = ActivityLog
        fields = [
            "initiative",
            "organisation",
            "occurred_on",
            "kind",
            "title",
            "description",
            "place",
            "participants_total",
            "participants_women",
            "participants_men",
            "participants_youth",
            "audience_reached",
            "outputs",
        ]
        widgets = {
            "initiative": QuickSelect,
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outputs": forms.Textarea(attrs={"rows": 2}),
            "participants_total": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "participants_women": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "participants_men": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "participants_youth": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "audience_reached": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        initiatives = access.loggable_initiatives(user)
        if self.instance.pk:
            # An official correcting a partner's log keeps it on its initiative and organisation.
            initiatives = Initiative.objects.filter(
                Q(pk__in=initiatives.values("pk")) | Q(pk=self.instance.initiative_id)
            )
            self.fields["organisation"].disabled = True
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk=self.instance.organisation_id
            )
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                label=_("Remove evidence"),
                queryset=self.instance.attachments.all(),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields["remove_attachments"].label_from_instance = lambda attachment: (
                attachment.original_name
            )
        else:
            organisations = list(access.logging_organisations(user).order_by("name"))
            field = self.fields["organisation"]
            field.queryset = access.logging_organisations(user)
            field.label_from_instance = lambda organisation: organisation.name
            if len(organisations) == 1:
                # Nothing to choose: the form stays short on a phone and says whose log it is.
                field.initial = organisations[0].pk
                field.widget = forms.HiddenInput()
                self.only_organisation = organisations[0]
            self.fields["occurred_on"].initial = timezone.localdate
        field = self.fields["initiative"]
        field.queryset = initiatives  # what a submitted choice is checked against
        field.empty_label = _("Choose the initiative")
        # The options are plain rows written by QuickSelect: a partner of a large district may log for a
        # thousand initiatives, and model instances rendered through Django's option template took
        # half a second.
        field.widget.choices = LazyChoices(lambda: self._initiative_choices(initiatives, field.empty_label))
        self.fields["kind"].choices = [("", _("Choose")), *ActivityLog.Kind.choices]
        # Bounds a person can check, instead of the column's (9,223,372,036,854,775,807 on SQLite).
        for name, (limit, message) in COUNT_BOUNDS.items():
            count = self.fields[name]
            count.max_value = limit
            count.widget.attrs["max"] = limit
            # In place of the column's bound, not beside it: one message a field.
            count.validators = [v for v in count.validators if not isinstance(v, MaxValueValidator)]
            count.validators.append(MaxValueValidator(limit, message=message()))

    only_organisation = None

    @staticmethod
    def _initiative_choices(initiatives: QuerySet[Initiative], empty_label: str) -> list[tuple]:
        rows = initiatives.order_by(
            "priority__plan__district__name", "-priority__plan__period_start", "priority__rank", "title"
        ).values_list("pk", "title", "priority__plan__district__name")
        return [("", empty_label), *((pk, f"{title} · {district}") for pk, title, district in rows)]

    def clean_occurred_on(self) -> dt.date | None:
        occurred_on = self.cleaned_data["occurred_on"]
        error = occurred_on_error(occurred_on)
        if error:
            raise ValidationError(error)
        return occurred_on

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_participants(cleaned)
        initiative, organisation = cleaned.get("initiative"), cleaned.get("organisation")
        changed_place = not self.instance.pk or "initiative" in self.changed_data
        refused = (
            initiative
            and organisation
            and changed_place
            and not access.may_log_for(self.user, initiative, organisation)
        )
        if refused:
            self.add_error(
                "initiative",
                _("%(organisation)s does not take part in this initiative, so it cannot log on it.")
                % {"organisation": organisation},
            )
        return cleaned

    def _check_participants(self, cleaned: dict) -> None:
        """The database's rules on participant numbers, said next to the field that breaks them."""
        total = cleaned.get("participants_total")
        if total is None:
            return
        for name in ("participants_women", "participants_men", "participants_youth"):
            part = cleaned.get(name)
            if part is not None and part > total:
                self.add_error(
                    name,
                    _("Cannot be more than the %(total)d participants.") % {"total": total},
                )
        women, men = cleaned.get("participants_women"), cleaned.get("participants_men")
        if women is not None and men is not None and women <= total and men <= total and women + men > total:
            self.add_error(
                "participants_men",
                _("Women (%(women)d) and men (%(men)d) together are more than the %(total)d participants.")
                % {"women": women, "men": men, "total": total},
            )


class ReviewNoteForm(forms.Form):
    """The note of a review: required to return a log, optional to verify it."""

    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, require_note: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if require_note:
            self.fields["note"].required = True
            self.fields["note"].error_messages["required"] = _(
                "Say what needs fixing: the note goes to whoever logged it."
            )
