from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention.models.base import ScopedQuerySet, Tracked, coordinates_check


class Risk(models.Model):
    """The catalogue of risks a hotspot can carry (pickpocketing, express kidnapping, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HotspotQuerySet(ScopedQuerySet):
    def published(self) -> HotspotQuerySet:
        return self.filter(is_published=True)


class Hotspot(Tracked):
    class Kind(models.TextChoices):
        MARKET = "market", _("Market")
        HILL = "hill", _("Hill or park")
        TRANSPORT = "transport", _("Transport hub")
        BORDER = "border", _("Border area")
        STREET = "street", _("Street or square")
        RESIDENTIAL = "residential", _("Residential area")
        NIGHTLIFE = "nightlife", _("Nightlife area")
        REGION = "region", _("Wider area")
        OTHER = "other", _("Other")

    # A hotspot may cover a whole region (the Batken border areas); its district is then empty and only
    # users of the region's districts see it.
    district_path = "district"

    region = models.ForeignKey(
        "prevention.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="hotspots"
    )
    district = models.ForeignKey(
        "prevention.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotspots",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    risks = models.ManyToManyField(Risk, verbose_name=_("risks"), related_name="hotspots", blank=True)
    description = models.TextField(_("description"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    advice = models.TextField(_("advice for the public"), blank=True)
    initiatives = models.ManyToManyField(
        "prevention.Initiative",
        verbose_name=_("initiatives addressing it"),
        related_name="hotspots",
        blank=True,
    )
    is_published = models.BooleanField(_("published"), default=True)

    objects = HotspotQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[risks, initiatives])

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        ordering = ["region", "name"]
        indexes = [models.Index(fields=["district", "is_published"])]
        constraints = [*coordinates_check("hotspot")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def district_scope(cls, district_ids: set[int]) -> Q:
        """A district's hotspots and the region-wide ones of its region."""
        from prevention.models.territory import Region

        return Q(district__in=district_ids) | Q(
            district__isnull=True, region__in=Region.objects.filter(districts__in=district_ids)
        )

    def clean(self) -> None:
        super().clean()
        if self.district_id and self.region_id and self.district.region_id != self.region_id:
            raise ValidationError({"district": _("Choose a district of the hotspot's region.")})


class SafetyContact(models.Model):
    class Kind(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency")
        POLICE = "police", _("Police")
        TOURIST_POLICE = "tourist_police", _("Tourist police")
        VICTIM_SUPPORT = "victim_support", _("Victim support")
        HOTLINE = "hotline", _("Hotline")
        EMBASSY = "embassy", _("Embassy")

    country = models.ForeignKey(
        "prevention.Country",
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        related_name="safety_contacts",
    )
    district = models.ForeignKey(
        "prevention.District",
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="safety_contacts",
        help_text=_("Empty for numbers that work across the country."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    city = models.CharField(_("city"), max_length=100, blank=True)
    services = models.TextField(_("what they can do"), blank=True)
    hours = models.CharField(_("hours"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("safety contact")
        verbose_name_plural = _("safety contacts")
        ordering = ["country", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone=""),
                name="contact_has_phone",
                violation_error_message=_("A safety contact needs a phone number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.phone}"
