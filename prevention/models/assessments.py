from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention.models.base import ScopedQuerySet, Tracked, date_order_check, percent_check


class Assessment(Tracked):
    """The crime-prevention assessment a plan was built on."""

    district_path = "district"

    district = models.ForeignKey(
        "prevention.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    plan = models.ForeignKey(
        "prevention.ActionPlan",
        verbose_name=_("plan it informed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    title = models.CharField(_("title"), max_length=200)
    conducted_from = models.DateField(_("from"), null=True, blank=True)
    conducted_to = models.DateField(_("to"), null=True, blank=True)
    facilitated_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("facilitated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    methods = models.TextField(_("methods"), blank=True)
    findings = models.TextField(_("findings"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-conducted_from"]
        constraints = [date_order_check("conducted_from", "conducted_to", "assessment_period_order")]

    def __str__(self) -> str:
        return self.title


class RiskFactor(models.Model):
    district_path = "assessment__district"

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="risk_factors"
    )
    issue = models.ForeignKey(
        "prevention.PriorityIssue", verbose_name=_("issue"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("risk factor"))

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["assessment", "issue__name"]

    def __str__(self) -> str:
        return f"{self.issue}: {self.description[:60]}"


class PerceptionSurvey(Tracked):
    district_path = "district"

    district = models.ForeignKey(
        "prevention.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="surveys"
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    fieldwork_start = models.DateField(_("fieldwork start"))
    fieldwork_end = models.DateField(_("fieldwork end"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    margin_of_error = models.DecimalField(
        _("margin of error (± points)"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perception survey")
        verbose_name_plural = _("perception surveys")
        ordering = ["-fieldwork_start"]
        constraints = [
            date_order_check("fieldwork_start", "fieldwork_end", "survey_fieldwork_order"),
            models.CheckConstraint(
                condition=Q(sample_size__gt=0),
                name="survey_sample_positive",
                violation_error_message=_("A survey has at least one respondent."),
            ),
            models.CheckConstraint(
                condition=Q(margin_of_error__isnull=True)
                | Q(margin_of_error__gte=0, margin_of_error__lte=100),
                name="survey_margin_range",
                violation_error_message=_("A margin of error lies between 0 and 100 points."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyResult(models.Model):
    class Group(models.TextChoices):
        ALL = "all", _("All respondents")
        WOMEN = "women", _("Women")
        MEN = "men", _("Men")
        YOUTH = "youth", _("Youth")

    district_path = "survey__district"

    survey = models.ForeignKey(
        PerceptionSurvey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="results"
    )
    question = models.CharField(_("question"), max_length=300)
    group = models.CharField(_("group"), max_length=8, choices=Group.choices, default=Group.ALL)
    percent = models.DecimalField(_("percent"), max_digits=4, decimal_places=1)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        ordering = ["survey", "question", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question", "group"],
                name="survey_result_unique",
                violation_error_message=_("This question already has a result for this group."),
            ),
            percent_check("percent", "survey_result_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.get_group_display()}): {self.percent}%"
