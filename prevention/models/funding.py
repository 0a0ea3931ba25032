from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention.models.base import ScopedQuerySet, Tracked, currency_check, currency_field


class FundingLine(Tracked):
    class Source(models.TextChoices):
        LOCAL_BUDGET = "local_budget", _("Local budget")
        NATIONAL_BUDGET = "national_budget", _("National budget")
        DONOR = "donor", _("Donor")
        IN_KIND = "in_kind", _("In kind")

    district_path = "initiative__priority__plan__district"

    initiative = models.ForeignKey(
        "prevention.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="funding_lines",
    )
    funder = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    source_type = models.CharField(_("source"), max_length=16, choices=Source.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = currency_field()
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["initiative", "-amount"]
        indexes = [models.Index(fields=["funder", "initiative"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            currency_check("currency", "funding_currency_format"),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.amount:,.2f} {self.currency}"


class Spending(Tracked):
    """Money spent from a funding line, in that line's currency."""

    district_path = "funding_line__initiative__priority__plan__district"

    funding_line = models.ForeignKey(
        FundingLine, verbose_name=_("funding line"), on_delete=models.CASCADE, related_name="spendings"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("spent on"))
    description = models.CharField(_("what for"), max_length=300)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="spending_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.funding_line.currency} · {self.spent_on}"

    @property
    def currency(self) -> str:
        return self.funding_line.currency
