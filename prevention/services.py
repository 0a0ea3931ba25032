"""Writes that touch several models, or that must hold together: one function per action.

Each is named ``<entity>_<action>``, takes keyword arguments only, runs in one transaction and calls
``full_clean()`` so the model's rules hold whoever calls it (a view, an import, a management command).
Permission checks stay with the caller, through ``accounts.access``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from prevention.editing import VersionedModelForm
from prevention.models import ActivityLog, Attachment, Initiative, Meeting, Milestone, ProgressUpdate

if TYPE_CHECKING:
    from accounts.models import User
    from prevention.uploads import CleanUpload


# Activity logs ------------------------------------------------------------------------------------


def _store_attachments(
    *, log: ActivityLog, uploads: Sequence[CleanUpload], user: User | None, stored: list[str]
) -> None:
    for upload in uploads:
        attachment = Attachment(
            activity_log=log,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=user,
        )
        attachment.file.save(upload.original_name, upload.content, save=False)
        stored.append(attachment.file.name)
        attachment.full_clean()
        attachment.save()


def _forget_files_on_failure(stored: list[str]) -> None:
    """Files written before the transaction failed would be orphans in storage: remove them."""
    storage = Attachment._meta.get_field("file").storage
    for name in stored:
        storage.delete(name)


class DuplicateSubmission(Exception):
    """The form that would create this log already created one (a double submit or a retry)."""

    def __init__(self, log: ActivityLog) -> None:
        super().__init__(log.pk)
        self.log = log


def activity_log_create(
    *,
    log: ActivityLog,
    author: User,
    uploads: Sequence[CleanUpload] = (),
    submission_key: uuid.UUID | None = None,
) -> ActivityLog:
    """Save a new log with its evidence, all or nothing. The caller checked ``access.may_log_for``.

    ``submission_key`` is the one-time key of the form; the database holds it unique, so a second
    save of the same form, even racing the first on another app server, raises ``DuplicateSubmission``
    with the log the first one made instead of making another.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            log.author = author
            log.review_state = ActivityLog.ReviewState.SUBMITTED
            log.submission_key = submission_key
            # The key's uniqueness is left to the database, which decides a race; the rest is checked.
            log.full_clean(validate_unique=False)
            log.save()
            _store_attachments(log=log, uploads=uploads, user=author, stored=stored)
    except IntegrityError:
        _forget_files_on_failure(stored)
        earlier = (
            ActivityLog.objects.filter(submission_key=submission_key).first() if submission_key else None
        )
        if earlier is None:
            raise
        raise DuplicateSubmission(earlier) from None
    except BaseException:
        _forget_files_on_failure(stored)
        raise
    return log


def activity_log_update(
    *,
    form: VersionedModelForm,
    editor: User,
    uploads: Sequence[CleanUpload] = (),
    remove: Iterable[Attachment] = (),
) -> ActivityLog:
    """Save an edit of a log (refused as ``StaleEdit`` if someone saved it meanwhile), add and remove
    evidence, and resubmit the log if it had been returned: the edit is the fix the note asked for."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            log = form.save()
            for attachment in remove:
                if attachment.activity_log_id == log.pk:
                    attachment.delete()  # its file goes once the transaction commits (Attachment)
            _store_attachments(log=log, uploads=uploads, user=editor, stored=stored)
            if log.review_state == ActivityLog.ReviewState.RETURNED:
                log = activity_log_resubmit(log=log, user=editor)
    except BaseException:
        _forget_files_on_failure(stored)
        raise
    return log


def _locked_log(log: ActivityLog) -> ActivityLog:
    return ActivityLog.objects.select_for_update().get(pk=log.pk)


def _review(log: ActivityLog, *, state: str, reviewer: User | None, note: str | None) -> ActivityLog:
    ActivityLog.objects.filter(pk=log.pk).update(version=F("version") + 1)
    log.refresh_from_db(fields=["version"])
    log.review_state = state
    if note is not None:
        log.review_note = note
    if reviewer is not None:
        log.reviewed_by = reviewer
        log.reviewed_at = timezone.now()
    log.full_clean()
    log.save()
    return log


class ReviewRefused(ValidationError):
    """The log is not in a state this review step applies to (e.g. already verified by someone)."""


def activity_log_verify(*, log: ActivityLog, reviewer: User, note: str = "") -> ActivityLog:
    """Verify a submitted log: from now on donors and the public count it.

    The caller checked ``access.can_review_log``. The version moves on, so an edit opened before the
    review is refused as stale instead of changing a verified log.
    """
    with transaction.atomic():
        current = _locked_log(log)
        if current.review_state != ActivityLog.ReviewState.SUBMITTED:
            raise ReviewRefused(
                _("This log is no longer waiting for review: it is %(state)s.")
                % {"state": current.get_review_state_display().lower()}
            )
        return _review(current, state=ActivityLog.ReviewState.VERIFIED, reviewer=reviewer, note=note.strip())


def activity_log_return(*, log: ActivityLog, reviewer: User, note: str) -> ActivityLog:
    """Send a submitted log back to its organisation with a note saying what to fix."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what needs fixing: the note goes to whoever logged it.")})
    with transaction.atomic():
        current = _locked_log(log)
        if current.review_state != ActivityLog.ReviewState.SUBMITTED:
            raise ReviewRefused(
                _("This log is no longer waiting for review: it is %(state)s.")
                % {"state": current.get_review_state_display().lower()}
            )
        return _review(current, state=ActivityLog.ReviewState.RETURNED, reviewer=reviewer, note=note)


def activity_log_resubmit(*, log: ActivityLog, user: User) -> ActivityLog:
    """Put a returned log back in the review queue. The last note stays for the reviewer to compare."""
    with transaction.atomic():
        current = _locked_log(log)
        if current.review_state != ActivityLog.ReviewState.RETURNED:
            raise ReviewRefused(_("Only a returned log can be resubmitted."))
        return _review(current, state=ActivityLog.ReviewState.SUBMITTED, reviewer=None, note=None)


# Plans, initiatives, milestones, progress updates, meetings -------------------------------------------


def _save_with_formsets(*, form: VersionedModelForm, formsets: Sequence[BaseInlineFormSet]):
    """Save a validated form and its inline formsets in one transaction.

    A stale edit (``StaleEdit`` from the form) or any failure of a formset undoes everything: the form
    and the rows of every formset are saved together or not at all.
    """
    with transaction.atomic():
        obj = form.save()
        for formset in formsets:
            formset.instance = obj
            formset.save()
    return obj


def initiative_save(
    *, form: VersionedModelForm, partners: BaseInlineFormSet | None, funding: BaseInlineFormSet | None
) -> Initiative:
    """Create or change an initiative with its partners and funding lines, all or nothing.

    The forms are validated by the caller; ``partners`` and ``funding`` are None where the user may
    change the initiative but not its partners or money (police on their own initiatives).
    """
    formsets = [formset for formset in (partners, funding) if formset is not None]
    return _save_with_formsets(form=form, formsets=formsets)


def meeting_save(*, form: VersionedModelForm, decisions: BaseInlineFormSet) -> Meeting:
    """Create or change a meeting with its decisions, all or nothing."""
    return _save_with_formsets(form=form, formsets=[decisions])


class MilestoneRefused(ValidationError):
    """The milestone cannot be marked done (it was cancelled)."""


def milestone_complete(*, milestone: Milestone, user: User, evidence_note: str = "") -> Milestone:
    """Mark a milestone done today, by ``user``. Marking a done milestone again changes nothing.

    The version moves on, so an edit form opened before is refused as stale rather than undoing it.
    """
    with transaction.atomic():
        current = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if current.status == Milestone.Status.DONE:
            return current
        if current.status == Milestone.Status.CANCELLED:
            raise MilestoneRefused(_("A cancelled milestone cannot be marked done; edit it first."))
        current.status = Milestone.Status.DONE
        current.completed_on = timezone.localdate()
        current.completed_by = user
        if evidence_note.strip():
            current.evidence_note = evidence_note.strip()
        current.version += 1
        current.full_clean()
        current.save()
        return current


def progress_update_create(*, update: ProgressUpdate, author: User) -> ProgressUpdate:
    """Record a progress update and set the initiative's status from the latest update.

    The latest update (by report date) is the initiative's current state; an update back-dated behind a
    later one is kept but does not change the status. The initiative's version moves on when its status
    changes, so an edit form opened before does not silently put the old status back.
    """
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update().get(pk=update.initiative_id)
        update.initiative = initiative
        update.author = author
        update.full_clean()
        update.save()
        latest = initiative.updates.order_by("-reported_on", "-pk").first()
        if latest.status != initiative.status:
            initiative.status = latest.status
            initiative.version += 1
            initiative.full_clean()
            initiative.save()
        return update
