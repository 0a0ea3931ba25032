"""Forms for meetings and the decisions taken at them."""

from __future__ import annotations

from django import forms
from django.forms.models import inlineformset_factory

from prevention.editing import VersionedModelForm
from prevention.forms.initiatives import ScopedInlineFormSet
from prevention.forms.plans import date_input, form_layout, text_area
from prevention.models import ActionPlan, Meeting, MeetingDecision
from prevention.widgets import QuickSelect


class MeetingForm(VersionedModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "title", "place", "attendance", "attendees", "minutes"]
        widgets = {"held_on": date_input(), "attendees": text_area(2), "minutes": text_area(6)}

    def __init__(self, *args, plan: ActionPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.plan = plan
        self.helper = form_layout(
            self, ("kind", "held_on"), "title", ("place", "attendance"), "attendees", "minutes"
        )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["text", "initiative", "responsible", "due_on", "is_done"]
        widgets = {
            "text": text_area(2),
            "initiative": QuickSelect,
            "responsible": QuickSelect,
            "due_on": date_input(),
        }


DecisionFormSetFactory = inlineformset_factory(
    Meeting, MeetingDecision, form=DecisionForm, formset=ScopedInlineFormSet, extra=2, can_delete=True
)
