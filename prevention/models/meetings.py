from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention.models.base import ScopedQuerySet, Tracked


class Meeting(Tracked):
    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", _("Working-group meeting")
        PUBLIC_PRESENTATION = "public_presentation", _("Public presentation")
        POLICE_REPORTING = "police_reporting", _("Police reporting meeting")
        OTHER = "other", _("Other")

    district_path = "plan__district"

    plan = models.ForeignKey(
        "prevention.ActionPlan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    attendees = models.TextField(_("who attended"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["plan", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class MeetingDecision(Tracked):
    """A decision taken at a meeting, and the follow-up it asks of an initiative."""

    district_path = "meeting__plan__district"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    initiative = models.ForeignKey(
        "prevention.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_decisions",
    )
    responsible = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("follow up by"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        super().clean()
        if (
            self.initiative_id
            and self.meeting_id
            and self.initiative.priority.plan_id != self.meeting.plan_id
        ):
            raise ValidationError({"initiative": _("Choose an initiative of the meeting's plan.")})
