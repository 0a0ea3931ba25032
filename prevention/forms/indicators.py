"""Forms for a plan's indicators and their measurements."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prevention.editing import VersionedModelForm
from prevention.forms.plans import date_input, form_layout
from prevention.models import ActionPlan, Indicator, Initiative, Measurement


class IndicatorForm(VersionedModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "level",
            "direction",
            "baseline_value",
            "baseline_on",
            "target_value",
            "target_on",
            "priority",
            "initiative",
            "source",
            "frequency",
        ]
        widgets = {"baseline_on": date_input(), "target_on": date_input()}
        help_texts = {
            "direction": _("Decrease for things the plan wants fewer of, such as burglaries."),
            "priority": _("Optional: the priority this indicator measures."),
            "initiative": _("Optional: the initiative this indicator measures."),
        }

    def __init__(self, *args, plan: ActionPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.plan = plan
        self.fields["priority"].queryset = plan.priorities.select_related("issue")
        self.fields["initiative"].queryset = Initiative.objects.filter(priority__plan=plan).order_by(
            "priority__rank", "title"
        )
        self.helper = form_layout(
            self,
            "name",
            ("unit", "level", "direction", "frequency"),
            ("baseline_value", "baseline_on"),
            ("target_value", "target_on"),
            ("priority", "initiative"),
            "source",
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        direction = cleaned.get("direction")
        baseline, target = cleaned.get("baseline_value"), cleaned.get("target_value")
        if direction and baseline is not None and target is not None:
            if direction == Indicator.Direction.INCREASE and target < baseline:
                self.add_error(
                    "target_value", _("For an increasing indicator the target cannot be below the baseline.")
                )
            if direction == Indicator.Direction.DECREASE and target > baseline:
                self.add_error(
                    "target_value", _("For a decreasing indicator the target cannot be above the baseline.")
                )
        baseline_on, target_on = cleaned.get("baseline_on"), cleaned.get("target_on")
        if baseline_on and target_on and target_on < baseline_on:
            self.add_error("target_on", _("The target date cannot be before the baseline date."))
        return cleaned


def measured_on_error(measured_on: dt.date | None) -> str | None:
    """A measurement describes what was counted; a date not yet reached is a typo (and would show as the
    indicator's latest value on every page). The form and the import ask."""
    if measured_on is not None and measured_on > timezone.localdate():
        return str(_("A measurement cannot be dated in the future."))
    return None


class MeasurementForm(VersionedModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "period_start", "value", "source", "note"]
        widgets = {"measured_on": date_input(), "period_start": date_input()}
        help_texts = {"period_start": _("Only for a figure that covers a period, such as a year.")}

    def __init__(self, *args, indicator: Indicator, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        self.indicator = indicator
        self.fields["value"].help_text = _("In %(unit)s.") % {"unit": indicator.unit}
        if indicator.source:
            self.fields["source"].initial = indicator.source
        self.helper = form_layout(self, ("measured_on", "period_start"), "value", ("source", "note"))

    def clean_measured_on(self):
        measured_on = self.cleaned_data["measured_on"]
        error = measured_on_error(measured_on)
        if error:
            raise forms.ValidationError(error)
        taken = Measurement.objects.filter(indicator=self.indicator, measured_on=measured_on)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if measured_on and taken.exists():
            raise forms.ValidationError(_("This indicator already has a measurement for this date."))
        return measured_on

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("measured_on")
        if start and end and end < start:
            self.add_error("period_start", _("The period cannot start after its end date."))
        return cleaned
