"""The donor report's choices: which funder and which period."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from prevention import reports
from prevention.widgets import ChecksPeriod

if TYPE_CHECKING:
    from accounts.models import User


class DateInput(forms.DateInput):
    input_type = "date"


class DonorReportForm(ChecksPeriod, forms.Form):
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=None, empty_label=_("Choose the funder"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = reports.funders_for(user)
