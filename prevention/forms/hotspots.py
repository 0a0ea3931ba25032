"""Hotspots: a place of risk, what to watch for there, and the initiatives that address it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prevention.editing import VersionedModelForm
from prevention.models import Hotspot, Initiative
from prevention.widgets import LazyChoices, QuickCheckboxSelectMultiple

if TYPE_CHECKING:
    from accounts.models import User


class HotspotForm(VersionedModelForm):
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        max_digits=9,
        decimal_places=6,
        help_text=gettext_lazy("Decimal degrees, e.g. 42.877 (north is positive)."),
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        max_digits=9,
        decimal_places=6,
        help_text=gettext_lazy("Decimal degrees, e.g. 74.585 (east is positive)."),
    )

    class Meta:
        model = Hotspot
        fields = [
            "name",
            "kind",
            "risks",
            "description",
            "latitude",
            "longitude",
            "advice",
            "initiatives",
            "is_published",
        ]
        widgets = {
            "risks": forms.CheckboxSelectMultiple,
            "initiatives": QuickCheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        hotspot = self.instance
        # Only initiatives of the hotspot's own district (or, for a region-wide one, of its region).
        initiatives = Initiative.objects.visible_to(user).exclude(status=Initiative.Status.CANCELLED)
        if hotspot.district_id:
            initiatives = initiatives.filter(priority__plan__district=hotspot.district_id)
        else:
            initiatives = initiatives.filter(priority__plan__district__region=hotspot.region_id)
        field = self.fields["initiatives"]
        field.queryset = initiatives  # what a submitted choice is checked against
        # The checkboxes are plain rows written by QuickCheckboxSelectMultiple: the largest district has a
        # thousand initiatives, and model instances rendered through a template each took 300 ms.
        field.widget.choices = LazyChoices(lambda: self._initiative_choices(initiatives))
        self.fields["risks"].help_text = _("Tick every risk people should know about here.")

    @staticmethod
    def _initiative_choices(initiatives: QuerySet[Initiative]) -> list[tuple]:
        rows = initiatives.order_by("priority__plan__title", "priority__rank", "title").values_list(
            "pk", "title", "priority__plan__period_start", "priority__plan__period_end"
        )
        # The plan's period tells apart an initiative carried over from an earlier plan.
        return [(pk, f"{title} ({start.year}–{end.year})") for pk, title, start, end in rows]

    def clean(self) -> dict:
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        # A field that failed its own check is absent here; say nothing more about the pair then.
        if "latitude" in self.errors or "longitude" in self.errors:
            return cleaned
        if latitude is None and longitude is not None:
            self.add_error("latitude", _("Give the latitude too, or leave both coordinates empty."))
        elif longitude is None and latitude is not None:
            self.add_error("longitude", _("Give the longitude too, or leave both coordinates empty."))
        return cleaned
