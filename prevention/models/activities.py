from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from prevention.models.base import RemembersLoaded, ScopedQuerySet, Tracked


class ActivityLogQuerySet(ScopedQuerySet):
    def verified(self) -> ActivityLogQuerySet:
        return self.filter(review_state=ActivityLog.ReviewState.VERIFIED)

    def awaiting_review(self) -> ActivityLogQuerySet:
        return self.filter(review_state=ActivityLog.ReviewState.SUBMITTED)

    def for_lists(self) -> ActivityLogQuerySet:
        # The log keeps its district: no need to join the initiative's priority, plan and district.
        return self.select_related("initiative", "district", "organisation", "author")


class ActivityLog(RemembersLoaded, Tracked):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        MEETING = "meeting", _("Meeting")
        PATROL = "patrol", _("Patrol")
        AWARENESS = "awareness", _("Awareness campaign")
        MEDIA = "media", _("Media broadcast")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        COMMUNITY_EVENT = "community_event", _("Community event")
        OTHER = "other", _("Other")

    class ReviewState(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")

    # The district is the initiative's (its plan's), kept on the log itself: every read of a district's
    # logs (the access rules, dashboards, lists, totals) filters a million-row table by it, and a join
    # through initiative, priority and plan made PostgreSQL guess a few hundred rows where there were a
    # hundred thousand. save() sets it; moving an initiative, priority or plan moves its logs along.
    district_path = "district"

    initiative = models.ForeignKey(
        "prevention.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="activity_logs",
    )
    district = models.ForeignKey(
        "prevention.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="activity_logs",
        editable=False,
        db_index=False,  # log_district_date below starts with it
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activity_logs",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_logs",
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants_total = models.PositiveIntegerField(_("participants"), default=0)
    participants_women = models.PositiveIntegerField(_("of whom women"), default=0)
    participants_men = models.PositiveIntegerField(_("of whom men"), default=0)
    participants_youth = models.PositiveIntegerField(_("of whom youth"), default=0)
    audience_reached = models.PositiveIntegerField(
        _("audience reached"), default=0, help_text=_("Listeners, readers or recipients beyond participants.")
    )
    outputs = models.TextField(_("outputs"), blank=True, help_text=_("E.g. 2,000 leaflets handed out."))
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The one-time key of the form that created the log: a double submit, or a retry after a lost
    # connection, finds the log already made instead of making a second one, on any app server.
    submission_key = models.UUIDField(_("submission key"), null=True, blank=True, unique=True, editable=False)

    objects = ActivityLogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity log")
        verbose_name_plural = _("activity logs")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["initiative", "-occurred_on", "-id"], name="log_initiative_date"),
            models.Index(fields=["organisation", "-occurred_on", "-id"], name="log_organisation_date"),
            models.Index(fields=["review_state", "-occurred_on", "-id"], name="log_state_date"),
            models.Index(fields=["-occurred_on", "-id"], name="log_date"),
            # The list filtered by kind, newest first, without walking every initiative's logs.
            models.Index(fields=["kind", "-occurred_on", "-id"], name="log_kind_date"),
            # A district's logs newest first: its lists, its dashboards, its exports by period.
            models.Index(fields=["district", "-occurred_on", "-id"], name="log_district_date"),
            # A district's logs in one review state: the review queue and its count, the list by state.
            # Without it the count of the queue was a sequential scan stopped at the thousandth match,
            # fast or slow depending on where in the table the scan happened to start.
            models.Index(
                fields=["district", "review_state", "-occurred_on", "-id"], name="log_district_state_date"
            ),
            # A dashboard's list of an organisation's logs, one review state after the other.
            models.Index(
                fields=["organisation", "review_state", "-occurred_on", "-id"], name="log_org_state_date"
            ),
            # People reached by an initiative's verified logs in a period, read from the index alone.
            models.Index(
                fields=[
                    "initiative",
                    "review_state",
                    "occurred_on",
                    "participants_total",
                    "audience_reached",
                ],
                name="log_initiative_reach",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants_women__lte=F("participants_total"))
                & Q(participants_men__lte=F("participants_total"))
                & Q(participants_youth__lte=F("participants_total")),
                name="log_participant_parts_within_total",
                violation_error_message=_("Women, men and youth are each part of the participants."),
            ),
            models.CheckConstraint(
                condition=Q(participants_women__lte=F("participants_total") - F("participants_men")),
                name="log_women_and_men_within_total",
                violation_error_message=_("Women and men together cannot exceed the participants."),
            ),
            models.CheckConstraint(
                condition=~Q(review_state="returned") | ~Q(review_note=""),
                name="log_returned_has_note",
                violation_error_message=_("A returned log needs a note saying what to fix."),
            ),
            models.CheckConstraint(
                condition=Q(review_state="submitted") | Q(reviewed_at__isnull=False),
                name="log_review_dated",
                violation_error_message=_("A reviewed log records when it was reviewed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def remembered_fields(cls) -> tuple[str, ...]:
        return ("initiative_id", "organisation_id")

    def save(self, *args, **kwargs) -> None:
        if self.initiative_id is not None and (
            self.district_id is None or self.initiative_id != self.loaded("initiative_id")
        ):
            self.district_id = district_of_initiative(self.initiative_id)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "district"}
        # The totals change with the log, in the same transaction: both are saved or neither.
        pairs = {
            (self.initiative_id, self.organisation_id),
            (self.loaded("initiative_id"), self.loaded("organisation_id")),
        }
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            ActivityTotal.refresh(pairs)
        self.remember_loaded()

    @property
    def is_editable_by_author(self) -> bool:
        return self.review_state != self.ReviewState.VERIFIED


@receiver(post_delete, sender=ActivityLog, dispatch_uid="activity_total_on_delete")
def _count_again_after_delete(sender, instance: ActivityLog, **kwargs) -> None:
    """A deleted log (one by one or a whole selection in the admin) leaves its pair's total."""
    ActivityTotal.refresh({(instance.initiative_id, instance.organisation_id)})


class ActivityTotal(models.Model):
    """One organisation's activity logs on one initiative: how many in each review state, and the people
    the verified ones reached.

    Kept up to date with the logs, in the same transaction (``refresh``: from ``ActivityLog.save``, the
    deletion of a log, and an import's batch insert), so that a partner's dashboard or a donor's home adds
    up a few thousand of these rather than a hundred thousand logs. Each refresh counts the pair's logs
    again rather than adding one to a figure, so a total cannot drift from its logs.
    """

    district_path = "initiative__priority__plan__district"

    initiative = models.ForeignKey(
        "prevention.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="activity_totals",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    verified = models.PositiveIntegerField(_("verified logs"), default=0)
    submitted = models.PositiveIntegerField(_("logs waiting for review"), default=0)
    returned = models.PositiveIntegerField(_("returned logs"), default=0)
    participants = models.PositiveBigIntegerField(_("participants of verified logs"), default=0)
    audience = models.PositiveBigIntegerField(_("audience of verified logs"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity total")
        verbose_name_plural = _("activity totals")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "organisation"], name="activity_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} on {self.initiative_id}"

    @staticmethod
    def of_logs() -> dict:
        """The aggregates of a set of logs that make a total."""
        verified = Q(review_state=ActivityLog.ReviewState.VERIFIED)
        return {
            "verified": Count("pk", filter=verified),
            "submitted": Count("pk", filter=Q(review_state=ActivityLog.ReviewState.SUBMITTED)),
            "returned": Count("pk", filter=Q(review_state=ActivityLog.ReviewState.RETURNED)),
            "participants": Coalesce(Sum("participants_total", filter=verified), 0),
            "audience": Coalesce(Sum("audience_reached", filter=verified), 0),
        }

    @classmethod
    def rebuild(cls) -> int:
        """Count every log again: after logs were written without ``save()`` (COPY, raw SQL)."""
        rows = (
            ActivityLog.objects.values("initiative_id", "organisation_id")
            .annotate(**cls.of_logs())
            .order_by()
        )
        with transaction.atomic():
            cls.objects.all().delete()
            return len(cls.objects.bulk_create((cls(**row) for row in rows.iterator()), batch_size=2000))

    @classmethod
    def refresh(cls, pairs: set[tuple[int | None, int | None]]) -> None:
        """Count the logs of each (initiative, organisation) pair again.

        The total's row is locked first: a second refresh of the same pair waits, then counts after the
        first has committed, so the last one to write has seen every log.
        """
        for initiative_id, organisation_id in sorted(p for p in pairs if None not in p):
            with transaction.atomic():
                total, _created = cls.objects.select_for_update().get_or_create(
                    initiative_id=initiative_id, organisation_id=organisation_id
                )
                counts = ActivityLog.objects.filter(
                    initiative_id=initiative_id, organisation_id=organisation_id
                ).aggregate(**cls.of_logs())
                for name, value in counts.items():
                    setattr(total, name, value)
                total.save()


def district_of_initiative(initiative_id: int) -> int | None:
    from prevention.models.plans import Initiative

    return (
        Initiative.objects.filter(pk=initiative_id)
        .values_list("priority__plan__district_id", flat=True)
        .first()
    )


def attachment_path(instance: Attachment, filename: str) -> str:
    """A generated name: the uploader's file name never reaches the file system."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    district_path = "activity_log__district"

    activity_log = models.ForeignKey(
        ActivityLog, verbose_name=_("activity log"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@receiver(post_delete, sender=Attachment, dispatch_uid="attachment_file_on_delete")
def _delete_the_file_with_its_row(sender, instance: Attachment, **kwargs) -> None:
    """Evidence (photos of people, lists of names) leaves storage with its row, however the row goes: a
    partner removing it, a log or an initiative deleted in the admin. Once the transaction commits: a
    deletion rolled back keeps its file."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), using=kwargs.get("using"))
