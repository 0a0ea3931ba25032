"""Forms for a plan and its priorities. Edits refuse a stale save (``VersionedModelForm``)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from prevention.editing import VersionedModelForm
from prevention.models import ActionPlan, District, PlanPriority
from prevention.models.plans import MAX_RANK


def date_input() -> forms.DateInput:
    """The browser's date picker; ISO format so that it shows the current value."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def organisations_for(district: District) -> QuerySet[Organisation]:
    """Organisations that can take part in a district's plan: those of its country and international ones."""
    return Organisation.objects.filter(
        Q(country_id=district.region.country_id) | Q(country__isnull=True)
    ).order_by("name")


def cached_choices(queryset: QuerySet, empty_label: str | None = "---------") -> list[tuple]:
    """Choices read once, so that many rows of a formset render one select without a query each."""
    choices = [("", empty_label)] if empty_label is not None else []
    return choices + [(obj.pk, str(obj)) for obj in queryset]


def form_layout(form: forms.BaseForm, *rows: str | tuple[str, ...]) -> FormHelper:
    """A crispy helper for a form inside the page's own <form>: a tuple of names is one row of columns.

    Names the form does not have (fields left out for some users) are skipped; fields not named and
    hidden fields (the edit version) are still rendered, so nothing is ever dropped.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.render_hidden_fields = True
    helper.render_unmentioned_fields = True
    items = []
    for row in rows:
        names = [name for name in (row if isinstance(row, tuple) else (row,)) if name in form.fields]
        if len(names) == 1:
            items.append(Field(names[0]))
        elif names:
            items.append(Row(*(Column(name, css_class="col-md") for name in names)))
    helper.layout = Layout(*items)
    return helper


class PlanForm(VersionedModelForm):
    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "status",
            "period_start",
            "period_end",
            "approved_on",
            "approval_body",
            "decision_number",
            "signatories",
            "presented_on",
            "summary",
            "is_published",
            "replaces",
        ]
        widgets = {
            "period_start": date_input(),
            "period_end": date_input(),
            "approved_on": date_input(),
            "presented_on": date_input(),
            "signatories": text_area(3),
            "summary": text_area(5),
        }

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.district = district
        others = ActionPlan.objects.filter(district=district)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaces"].queryset = others
        self.helper = form_layout(
            self,
            "title",
            ("status", "period_start", "period_end"),
            ("approved_on", "approval_body", "decision_number"),
            ("signatories", "presented_on"),
            "summary",
            ("replaces", "is_published"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The plan cannot end before it starts."))
        status = cleaned.get("status")
        unapproved = status and status != ActionPlan.Status.DRAFT and not cleaned.get("approved_on")
        if unapproved and "approved_on" not in self.errors:
            self.add_error("approved_on", _("A plan past the draft stage needs the date it was approved."))
        return cleaned


class PriorityForm(VersionedModelForm):
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        max_value=MAX_RANK,
        error_messages={"min_value": _("Ranks start at 1."), "max_value": _("Ranks go up to 99.")},
    )

    class Meta:
        model = PlanPriority
        fields = ["issue", "rank", "problem_statement", "evidence_source", "evidence", "objective"]
        widgets = {
            "problem_statement": text_area(3),
            "evidence": text_area(3),
            "objective": text_area(3),
        }

    def __init__(self, *args, plan: ActionPlan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.plan = plan
        self.plan = plan
        self.helper = form_layout(
            self, ("issue", "rank", "evidence_source"), "problem_statement", "evidence", "objective"
        )

    def _others(self) -> QuerySet[PlanPriority]:
        others = PlanPriority.objects.filter(plan=self.plan).select_related("issue")
        return others.exclude(pk=self.instance.pk) if self.instance.pk else others

    def clean_rank(self) -> int:
        rank = self.cleaned_data["rank"]
        taken = self._others().filter(rank=rank).first()
        if taken is not None:
            raise forms.ValidationError(
                _(
                    "Rank %(rank)s is already taken by “%(issue)s”. Choose another rank, or change that priority's rank first."
                )
                % {"rank": rank, "issue": taken.issue}
            )
        return rank

    def clean_issue(self):
        issue = self.cleaned_data["issue"]
        if issue is not None and self._others().filter(issue=issue).exists():
            raise forms.ValidationError(_("This issue is already a priority of the plan."))
        return issue
