"""Activity logs: the list, one log with its evidence, logging and editing, review, and evidence files."""

from __future__ import annotations

import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe
from PIL import Image, UnidentifiedImageError

from accounts import access
from prevention import services
from prevention.editing import StaleEdit
from prevention.filters import ActivityLogFilter
from prevention.forms.activities import ActivityLogForm, ReviewNoteForm
from prevention.models import ActivityLog, Attachment
from prevention.pagination import KeysetPage, keyset_page
from prevention.uploads import INLINE_TYPES, MAX_FILES_PER_SUBMISSION
from prevention.views.navigation import acts_on_post, safe_next

LOGS_PER_PAGE = 25
HISTORY_SHOWN = 30
THUMBNAIL_SIZE = (480, 480)


# What a row of the list shows and checks (prevention/includes/_review_row.html, access.can_review_log):
# the rows of five tables without their long texts (descriptions, plan summaries) and the author.
_ROW_FIELDS = (
    "title",
    "occurred_on",
    "kind",
    "participants_total",
    "review_state",
    "review_note",
    "author",
    "organisation__name",
    "organisation__short_name",
    "initiative__title",
    "district__name",
)


def _list_rows(logs: QuerySet[ActivityLog], ids: list[int]) -> QuerySet[ActivityLog]:
    rows = logs.filter(pk__in=ids).select_related("initiative", "district", "organisation")
    return _with_attachment_counts(rows.only(*_ROW_FIELDS))


def _with_attachment_counts(queryset: QuerySet[ActivityLog]) -> QuerySet[ActivityLog]:
    counts = (
        Attachment.objects.filter(activity_log=OuterRef("pk"))
        .order_by()
        .values("activity_log")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(attachment_count=Coalesce(Subquery(counts), 0))


@login_required
@require_safe
def activity_log_list(request: HttpRequest) -> HttpResponse:
    logs = ActivityLog.objects.visible_to(request.user)
    filters = ActivityLogFilter(request.GET or None, queryset=logs, request=request)
    # Keyset pages ("newer / older"), not numbered ones: a page costs the same on a million logs as on
    # fifty, without a COUNT of every visible log or an OFFSET (reasons in prevention.pagination).
    # A filter that makes no sense (a period ending before it starts, a district not one's own) is
    # pointed out next to its field, and nothing is listed: ignoring it would list more than was asked.
    page = keyset_page(
        filters.qs if not filters.is_bound or filters.is_valid() else logs.none(),
        date_field="occurred_on",
        older=request.GET.get("older"),
        newer=request.GET.get("newer"),
        per_page=LOGS_PER_PAGE,
        load=lambda ids: _list_rows(logs, ids),
    )
    return render(
        request,
        "prevention/activity_log_list.html",
        {
            "filter": filters,
            "page": page,
            **_page_links(request, page),
            "may_log": access.loggable_initiatives(request.user).exists(),
        },
    )


def _page_links(request: HttpRequest, page: KeysetPage) -> dict[str, str | None]:
    """Links to the newer and older pages, keeping the filters and replacing the cursor."""
    query = request.GET.copy()
    for name in ("older", "newer"):
        query.pop(name, None)

    def link(**cursor: str) -> str:
        linked = query.copy()
        linked.update(cursor)
        return f"?{linked.urlencode()}"

    newer_url = None
    if page.newer:
        newer_url = link(newer=page.newer)
    elif not page.is_newest:
        newer_url = link()
    return {
        "filter_query": query.urlencode(),
        "newer_url": newer_url,
        "older_url": link(older=page.older) if page.older else None,
    }


# What a change of review state was, in the words of the history list.
_REVIEW_STEPS = {
    ("submitted", "verified"): _lazy("verified it"),
    ("submitted", "returned"): _lazy("returned it"),
    ("returned", "submitted"): _lazy("resubmitted it"),
}
_REVIEW_FIELDS = {"review_state", "review_note", "reviewed_by", "reviewed_at"}


def _history(log: ActivityLog) -> list[dict]:
    """The latest changes of a log, newest first: the review step taken and the fields changed."""
    records = list(
        log.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_SHOWN + 1
        ]
    )
    entries = []
    for index, record in enumerate(records[:HISTORY_SHOWN]):
        previous = records[index + 1] if index + 1 < len(records) else None
        step, changed = None, []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=["version", "updated_at", "created_at"])
            step = _REVIEW_STEPS.get((previous.review_state, record.review_state))
            changed = [
                ActivityLog._meta.get_field(change.field).verbose_name
                for change in delta.changes
                if change.field not in _REVIEW_FIELDS
            ]
        entries.append(
            {
                "record": record,
                "created": record.history_type == "+",
                "step": step,
                "changed": changed,
                "state": record.get_review_state_display(),
            }
        )
    return entries


@login_required
@require_safe
def activity_log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    log = access.get_for_user(
        request.user, ActivityLog.objects.for_lists().select_related("reviewed_by"), pk=pk
    )
    return render(
        request,
        "prevention/activity_log_detail.html",
        {
            "log": log,
            "attachments": list(log.attachments.all()),
            "history": _history(log),
            "can_edit": access.can_change(request.user, log),
            "can_resubmit": log.review_state == ActivityLog.ReviewState.RETURNED
            and access.can_resubmit_log(request.user, log),
        },
    )


def _submission_key(request: HttpRequest) -> uuid.UUID:
    """The form's one-time key (a hidden field); a missing or unreadable one gets a fresh key."""
    try:
        return uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return uuid.uuid4()


@login_required
def activity_log_create(request: HttpRequest) -> HttpResponse:
    if not access.loggable_initiatives(request.user).exists():
        raise PermissionDenied
    if request.method != "POST":
        initiative = request.GET.get("initiative", "")
        form = ActivityLogForm(
            user=request.user, initial={"initiative": initiative} if initiative.isdigit() else {}
        )
        return _render_form(request, form, submission_key=uuid.uuid4())

    key = _submission_key(request)
    earlier = ActivityLog.objects.filter(submission_key=key).first()
    if earlier is not None:
        if earlier.author_id == request.user.pk:
            return _already_saved(request, earlier)
        key = uuid.uuid4()  # someone else's key: this form is new
    form = ActivityLogForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            log = services.activity_log_create(
                log=form.save(commit=False),
                author=request.user,
                uploads=form.cleaned_data["attachments"],
                submission_key=key,
            )
        except services.DuplicateSubmission as duplicate:
            return _already_saved(request, duplicate.log)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity logged. An official of the district will review it."))
            return redirect("prevention:activity-log-detail", pk=log.pk)
    return _render_form(request, form, submission_key=key)


def _already_saved(request: HttpRequest, log: ActivityLog) -> HttpResponse:
    """A double submit or a retry of a form that already made its log: show that log."""
    messages.info(request, _("This activity was already saved; here it is."))
    return redirect("prevention:activity-log-detail", pk=log.pk)


def _render_form(request: HttpRequest, form: ActivityLogForm, **context) -> HttpResponse:
    return render(
        request,
        "prevention/activity_log_form.html",
        {"form": form, "max_files": MAX_FILES_PER_SUBMISSION, **context},
    )


@login_required
def activity_log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        log = access.get_for_user(request.user, ActivityLog.objects.for_lists(), pk=pk, write=True)
    except PermissionDenied:
        # Their own organisation's log: the reason is the review, not their role.
        verified = ActivityLog.objects.visible_to(request.user).filter(
            pk=pk,
            review_state=ActivityLog.ReviewState.VERIFIED,
            organisation__in=access.scope_for(request.user).organisation_ids(),
        )
        if not verified.exists():
            raise
        messages.error(
            request,
            _(
                "This log was verified, so it can no longer be changed. If something in it is wrong, "
                "ask your district's official."
            ),
        )
        return redirect("prevention:activity-log-detail", pk=pk)
    form = ActivityLogForm(request.POST or None, request.FILES or None, instance=log, user=request.user)
    if request.method == "POST" and form.is_valid():
        was_returned = log.review_state == ActivityLog.ReviewState.RETURNED
        try:
            log = services.activity_log_update(
                form=form,
                editor=request.user,
                uploads=form.cleaned_data["attachments"],
                remove=form.cleaned_data.get("remove_attachments") or (),
            )
        except StaleEdit:
            pass  # the form now carries the message saying who saved first
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if was_returned:
                messages.success(request, _("Changes saved and the log is submitted for review again."))
            else:
                messages.success(request, _("Changes saved."))
            return redirect("prevention:activity-log-detail", pk=log.pk)
    return _render_form(request, form, log=log)


def _review_response(
    request: HttpRequest, log: ActivityLog, *, done: str | None, error: str | None
) -> HttpResponse:
    """htmx: the updated row in place. Without JavaScript: back to where the reviewer was."""
    fallback = reverse("prevention:activity-log-detail", args=[log.pk])
    next_url = safe_next(request, fallback)
    if request.htmx:
        fresh = ActivityLog.objects.for_lists().select_related("reviewed_by").get(pk=log.pk)
        return render(
            request,
            "prevention/includes/_review_row.html",
            {
                "log": fresh,
                "review_done": done,
                "review_error": error,
                "next": next_url,
                "compact": request.POST.get("compact") == "1",
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(next_url)


def _log_for_review(request: HttpRequest, pk: int) -> ActivityLog:
    log = access.get_for_user(request.user, ActivityLog.objects.for_lists(), pk=pk)
    if not access.can_review_log(request.user, log):
        raise PermissionDenied
    return log


@login_required
@acts_on_post(back=lambda pk: reverse("prevention:activity-log-detail", args=[pk]))
def activity_log_verify(request: HttpRequest, pk: int) -> HttpResponse:
    log = _log_for_review(request, pk)
    form = ReviewNoteForm(request.POST)
    if not form.is_valid():
        return _review_response(request, log, done=None, error=" ".join(form.errors["note"]))
    try:
        services.activity_log_verify(log=log, reviewer=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        return _review_response(request, log, done=None, error=" ".join(error.messages))
    return _review_response(request, log, done=_("Verified: it now counts in the results."), error=None)


@login_required
@acts_on_post(back=lambda pk: reverse("prevention:activity-log-detail", args=[pk]))
def activity_log_return(request: HttpRequest, pk: int) -> HttpResponse:
    log = _log_for_review(request, pk)
    form = ReviewNoteForm(request.POST, require_note=True)
    if not form.is_valid():
        if request.htmx:
            return render(
                request,
                "prevention/includes/_review_row.html",
                {
                    "log": log,
                    "return_form": form,
                    "next": safe_next(request, ""),
                    "compact": request.POST.get("compact") == "1",
                },
            )
        # Without JavaScript the note gets its own page, with the message next to the field.
        return render(
            request,
            "prevention/activity_log_return.html",
            {
                "log": log,
                "form": form,
                "next": safe_next(request, reverse("prevention:activity-log-detail", args=[log.pk])),
            },
        )
    try:
        services.activity_log_return(log=log, reviewer=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        return _review_response(request, log, done=None, error=" ".join(error.messages))
    return _review_response(
        request,
        log,
        done=_("Returned with your note to %(organisation)s.") % {"organisation": log.organisation},
        error=None,
    )


@login_required
@acts_on_post(back=lambda pk: reverse("prevention:activity-log-detail", args=[pk]))
def activity_log_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    log = access.get_for_user(request.user, ActivityLog.objects.for_lists(), pk=pk)
    if not access.can_resubmit_log(request.user, log):
        raise PermissionDenied
    try:
        services.activity_log_resubmit(log=log, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted for review again."))
    return redirect(safe_next(request, reverse("prevention:activity-log-detail", args=[log.pk])))


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence is sent only through here, after the access check: never from a public URL.

    PDFs and photos open in the browser; everything else downloads. ``nosniff`` stops a browser from
    second-guessing the type, so a document can never be run as a page of this site.
    """
    attachment = access.get_for_user(request.user, Attachment.objects.all(), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = None
    if request.GET.get("size") == "thumb" and attachment.is_image:
        response = _thumbnail(handle)
    if response is None:
        handle.seek(0)
        inline = attachment.content_type in INLINE_TYPES
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
    else:
        handle.close()
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _thumbnail(handle: File) -> HttpResponse | None:
    """A small JPEG or PNG of a photo for the evidence gallery; None if it cannot be made."""
    try:
        with Image.open(handle) as image:
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG decodes at a reduced scale: fast on big photos
            image.thumbnail(THUMBNAIL_SIZE)
            has_alpha = image.mode in ("RGBA", "LA", "P")
            out = io.BytesIO()
            if has_alpha:
                image.save(out, "PNG")
            else:
                image.convert("RGB").save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return None
    return HttpResponse(out.getvalue(), content_type="image/png" if has_alpha else "image/jpeg")
