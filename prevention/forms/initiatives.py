"""Forms for initiatives (with their partners and funding lines), milestones and progress updates."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from prevention.editing import VersionedModelForm
from prevention.forms.plans import cached_choices, date_input, form_layout, text_area
from prevention.models import (
    ActionPlan,
    FundingLine,
    Initiative,
    InitiativePartner,
    Milestone,
    ProgressUpdate,
)
from prevention.models.plans import MAX_WEIGHT
from prevention.widgets import LazyChoices, QuickSelect


def _clean_currency(value: str) -> str:
    return (value or "").strip().upper()


class InitiativeForm(VersionedModelForm):
    """An initiative of a plan. ``full=False`` leaves out its priority and lead: police change their
    initiatives' work, not who leads them or where they sit in the plan."""

    class Meta:
        model = Initiative
        fields = [
            "priority",
            "title",
            "lead_organisation",
            "status",
            "description",
            "objective",
            "starts_on",
            "ends_on",
            "location",
            "latitude",
            "longitude",
            "planned_outputs",
            "budget",
            "budget_currency",
            "risks",
            "means_of_verification",
        ]
        widgets = {
            "priority": QuickSelect,
            "lead_organisation": QuickSelect,
            "starts_on": date_input(),
            "ends_on": date_input(),
            "description": text_area(4),
            "objective": text_area(2),
            "planned_outputs": text_area(3),
            "risks": text_area(2),
            "means_of_verification": text_area(2),
        }

    def __init__(
        self,
        *args,
        plan: ActionPlan,
        organisations: QuerySet[Organisation],
        full: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if full:
            self.fields["priority"].queryset = plan.priorities.select_related("issue")
            self.fields["lead_organisation"].queryset = organisations
        else:
            del self.fields["priority"]
            del self.fields["lead_organisation"]
        self.fields["budget_currency"].help_text = _("ISO code, e.g. %(currency)s.") % {
            "currency": plan.district.region.country.currency
        }
        self.helper = form_layout(
            self,
            ("priority", "lead_organisation", "status"),
            "title",
            "description",
            "objective",
            ("starts_on", "ends_on"),
            ("location", "latitude", "longitude"),
            "planned_outputs",
            ("budget", "budget_currency"),
            ("risks", "means_of_verification"),
        )

    def clean_budget_currency(self) -> str:
        return _clean_currency(self.cleaned_data["budget_currency"])

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The initiative cannot end before it starts."))
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            if missing not in self.errors:
                self.add_error(missing, _("Give both latitude and longitude, or neither."))
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("latitude", _("A latitude lies between -90 and 90."))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("longitude", _("A longitude lies between -180 and 180."))
        budget = cleaned.get("budget")
        if budget is not None and budget < 0:
            self.add_error("budget", _("A budget cannot be negative."))
        if budget is not None and not cleaned.get("budget_currency") and "budget_currency" not in self.errors:
            self.add_error("budget_currency", _("A budget needs its currency."))
        return cleaned


def table_helper() -> FormHelper:
    """Crispy's Bootstrap 5 table layout for an inline formset inside a page's own <form>."""
    helper = FormHelper()
    helper.template = "bootstrap5/table_inline_formset.html"
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ScopedInlineFormSet(BaseInlineFormSet):
    """An inline formset whose choice fields offer only what is in scope.

    ``choices`` maps a field name to its queryset; the options are read once for all rows, and what is
    posted is still checked against the queryset. Give those fields a ``QuickSelect``: Django's option
    template for each of two hundred organisations on every row took most of the page's time.
    """

    def __init__(self, *args, choices: dict[str, QuerySet] | None = None, **kwargs) -> None:
        # Lazy choices are not normalised again for every row (two hundred organisations a row), and
        # are read only if a row is rendered.
        self.scoped = {
            name: (qs, LazyChoices(lambda qs=qs: cached_choices(qs))) for name, qs in (choices or {}).items()
        }
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        for name, (queryset, choices) in self.scoped.items():
            form.fields[name].queryset = queryset
            form.fields[name].choices = choices


class PartnerForm(forms.ModelForm):
    class Meta:
        model = InitiativePartner
        fields = ["organisation", "role", "responsibility"]
        widgets = {"organisation": QuickSelect, "responsibility": text_area(1)}


class PartnerFormSet(ScopedInlineFormSet):
    def validate_unique(self) -> None:
        """One row per organisation, said next to the repeated organisation rather than above the table."""
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            organisation = form.cleaned_data.get("organisation")
            if organisation is not None and organisation in seen:
                form.add_error("organisation", _("This organisation is already a partner of the initiative."))
            seen.add(organisation)


PartnerFormSetFactory = inlineformset_factory(
    Initiative, InitiativePartner, form=PartnerForm, formset=PartnerFormSet, extra=2, can_delete=True
)


class FundingForm(forms.ModelForm):
    class Meta:
        model = FundingLine
        fields = ["funder", "source_type", "amount", "currency", "committed_on", "note"]
        widgets = {
            "funder": QuickSelect,
            "committed_on": date_input(),
            "currency": forms.TextInput(attrs={"size": 4}),
        }

    def clean_currency(self) -> str:
        return _clean_currency(self.cleaned_data["currency"])

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("An amount cannot be negative."))
        return amount


FundingFormSetFactory = inlineformset_factory(
    Initiative, FundingLine, form=FundingForm, formset=ScopedInlineFormSet, extra=2, can_delete=True
)


class MilestoneForm(VersionedModelForm):
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=0,
        max_value=MAX_WEIGHT,
        initial=1,
        help_text=_("Its share of the initiative's progress, relative to the others (0 to 100)."),
        error_messages={"max_value": _("Weights go up to 100: they are shares relative to each other.")},
    )

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "weight", "status", "completed_on", "evidence_note"]
        widgets = {"due_on": date_input(), "completed_on": date_input(), "evidence_note": text_area(2)}
        help_texts = {"completed_on": _("Filled in with today's date when you mark it done.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            self, "title", ("due_on", "weight"), ("status", "completed_on"), "evidence_note"
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Milestone.Status.DONE:
            completed_on = cleaned.get("completed_on")
            if completed_on is None and "completed_on" not in self.errors:
                cleaned["completed_on"] = timezone.localdate()
            elif completed_on is not None and completed_on > timezone.localdate():
                self.add_error("completed_on", _("A milestone cannot be done on a future date."))
        elif status:
            # Only a done milestone carries a completion date.
            cleaned["completed_on"] = None
        return cleaned


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["reported_on", "status", "percent_complete", "narrative", "spent_to_date", "spent_currency"]
        widgets = {"reported_on": date_input(), "narrative": text_area(5)}
        help_texts = {
            "status": _("The initiative takes this status when this is its latest update."),
            "percent_complete": _("Counts as the initiative's progress only while it has no milestones."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["percent_complete"].widget.attrs.update({"min": 0, "max": 100})
        self.helper = form_layout(
            self,
            ("reported_on", "status", "percent_complete"),
            "narrative",
            ("spent_to_date", "spent_currency"),
        )

    def clean_spent_currency(self) -> str:
        return _clean_currency(self.cleaned_data["spent_currency"])

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        if reported_on and reported_on > timezone.localdate():
            raise forms.ValidationError(_("A report cannot be dated in the future."))
        return reported_on

    def clean_percent_complete(self) -> int:
        percent = self.cleaned_data["percent_complete"]
        if percent is not None and not 0 <= percent <= 100:
            raise forms.ValidationError(_("A percentage lies between 0 and 100."))
        return percent

    def clean(self) -> dict:
        cleaned = super().clean()
        spent = cleaned.get("spent_to_date")
        if spent is not None and spent < 0:
            self.add_error("spent_to_date", _("Spending cannot be negative."))
        if spent is not None and not cleaned.get("spent_currency") and "spent_currency" not in self.errors:
            self.add_error("spent_currency", _("Spending needs its currency."))
        return cleaned
