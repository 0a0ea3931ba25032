from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention import progress as rules
from prevention.models.base import ScopedQuerySet, Tracked, date_order_check


class IndicatorQuerySet(ScopedQuerySet):
    def with_latest(self, until: dt.date | None = None) -> IndicatorQuerySet:
        """Annotate the latest measurement's value and date, of those measured by ``until`` if given (a
        report of a past period): one query for a list of indicators."""
        latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
        if until is not None:
            latest = latest.filter(measured_on__lte=until)
        return self.annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_measured_on=Subquery(latest.values("measured_on")[:1]),
        )


class Indicator(Tracked):
    class Level(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Impact")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        ONCE = "once", _("Once")

    district_path = "plan__district"

    plan = models.ForeignKey(
        "prevention.ActionPlan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    priority = models.ForeignKey(
        "prevention.PlanPriority",
        verbose_name=_("priority"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    initiative = models.ForeignKey(
        "prevention.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("E.g. crimes, %, people."))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.YEARLY
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["plan", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="increase", target_value__gte=models.F("baseline_value"))
                | Q(direction="decrease", target_value__lte=models.F("baseline_value")),
                name="indicator_target_in_direction",
                violation_error_message=_(
                    "The target must lie in the indicator's direction from the baseline."
                ),
            ),
            date_order_check("baseline_on", "target_on", "indicator_dates_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.priority_id and self.plan_id and self.priority.plan_id != self.plan_id:
            errors["priority"] = _("Choose a priority of the same plan.")
        if self.initiative_id and self.plan_id and self.initiative.priority.plan_id != self.plan_id:
            errors["initiative"] = _("Choose an initiative of the same plan.")
        elif self.initiative_id and self.priority_id and self.initiative.priority_id != self.priority_id:
            errors["initiative"] = _(
                "This initiative is under another priority: choose one of the indicator's priority, or "
                "leave the priority empty."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_decreasing(self) -> bool:
        return self.direction == self.Direction.DECREASE

    def _latest(self) -> tuple[Decimal | None, object]:
        if not hasattr(self, "latest_value"):
            latest = self.measurements.order_by("-measured_on", "-pk").first()
            self.latest_value = latest.value if latest else None
            self.latest_measured_on = latest.measured_on if latest else None
        return self.latest_value, self.latest_measured_on

    @property
    def current_value(self) -> Decimal | None:
        return self._latest()[0]

    @property
    def progress(self) -> Decimal | None:
        return rules.indicator_progress(
            baseline=self.baseline_value,
            target=self.target_value,
            current=self.current_value,
            decreasing=self.is_decreasing,
        )

    @property
    def target_exceeded(self) -> bool:
        return rules.indicator_overshoot(
            target=self.target_value, current=self.current_value, decreasing=self.is_decreasing
        )


class Measurement(Tracked):
    district_path = "indicator__plan__district"

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="measurements"
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    measured_on = models.DateField(_("date (or period end)"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "-measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="measurement_unique_date",
                violation_error_message=_("This indicator already has a measurement for this date."),
            ),
            date_order_check("period_start", "measured_on", "measurement_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"
