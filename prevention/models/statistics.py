from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention.models.base import ScopedQuerySet, Tracked
from prevention.models.territory import rate_per_100k

# Public pages never show a count below this for a small area; they say "fewer than 5".
SMALL_COUNT_THRESHOLD = 5


class CrimeStatistic(Tracked):
    class Category(models.TextChoices):
        TOTAL = "total", _("Total registered crimes")
        PUBLIC_ORDER = "public_order", _("Public order offences")
        BURGLARY = "burglary", _("Burglary")
        THEFT = "theft", _("Theft")
        ROBBERY = "robbery", _("Robbery")
        ASSAULT = "assault", _("Assault")
        FRAUD = "fraud", _("Fraud")
        DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
        DRUGS = "drugs", _("Drug offences")
        LIVESTOCK_THEFT = "livestock_theft", _("Livestock theft")
        VEHICLE_THEFT = "vehicle_theft", _("Vehicle theft")
        ROAD_ACCIDENTS = "road_accidents", _("Road traffic accidents")
        ROAD_DEATHS = "road_deaths", _("Road traffic deaths")
        JUVENILE = "juvenile", _("Juvenile offences")

    district_path = "district"

    district = models.ForeignKey(
        "prevention.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="crime_statistics",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    count = models.PositiveIntegerField(_("count"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("crime statistic")
        verbose_name_plural = _("crime statistics")
        ordering = ["district", "-year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "category"],
                name="statistic_unique_per_year",
                violation_error_message=_("This district already has a figure for this year and category."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2100),
                name="statistic_year_range",
                violation_error_message=_("Give a year between 1900 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year} · {self.get_category_display()}: {self.count}"

    @property
    def rate_per_100k(self) -> Decimal | None:
        return rate_per_100k(self.count, self.district.population)

    @property
    def public_count(self) -> str:
        """The count as the public pages may show it."""
        if self.count < SMALL_COUNT_THRESHOLD:
            return str(_("fewer than %(n)d") % {"n": SMALL_COUNT_THRESHOLD})
        return f"{self.count:,}"
