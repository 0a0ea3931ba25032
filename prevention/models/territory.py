from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention.models.base import ScopedQuerySet, currency_check, currency_field

PER_INHABITANTS = 100_000


def rate_per_100k(count: int | None, population: int | None) -> Decimal | None:
    """Events per 100,000 inhabitants, one decimal; None where the population is unknown."""
    if count is None or not population:
        return None
    return (Decimal(count) * PER_INHABITANTS / Decimal(population)).quantize(Decimal("0.1"))


class Country(models.Model):
    iso_code = models.CharField(
        _("ISO code"), max_length=2, unique=True, help_text=_("ISO 3166-1 alpha-2, e.g. KG.")
    )
    name = models.CharField(_("name"), max_length=100)
    currency = currency_field(_("currency"), help_text=_("ISO 4217, e.g. KGS."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso_code__regex=r"^[A-Z]{2}$"),
                name="country_iso_code_format",
                violation_error_message=_("Use the two capital letters of ISO 3166-1, such as KG."),
            ),
            currency_check("currency", "country_currency_format"),
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    class Kind(models.TextChoices):
        OBLAST = "oblast", _("Region (oblast)")
        CITY = "city", _("City of republican significance")
        DEPARTMENT = "department", _("Department")
        PROVINCE = "province", _("Province")
        OTHER = "other", _("Other")

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="regions"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OBLAST)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["country__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"],
                name="region_unique_name",
                violation_error_message=_("This country already has a region of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    class Kind(models.TextChoices):
        RAYON = "rayon", _("District (rayon)")
        CITY_DISTRICT = "city_district", _("City district")
        MUNICIPALITY = "municipality", _("Municipality")
        PROVINCE = "province", _("Province")

    # For the access rules: a district is in scope when it is one of the membership's districts.
    district_path = "pk"

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="districts"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.RAYON)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("year of the population figure"), null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="district_unique_name",
                violation_error_message=_("This region already has a district of this name."),
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True) | Q(population__gt=0),
                name="district_population_positive",
                violation_error_message=_("A population must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True, population_year__isnull=True)
                | Q(
                    population__isnull=False,
                    population_year__isnull=False,
                    population_year__gte=1900,
                    population_year__lte=2100,
                ),
                name="district_population_has_year",
                violation_error_message=_("A population figure needs the year it was counted."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def rate_per_100k(self, count: int | None) -> Decimal | None:
        return rate_per_100k(count, self.population)
