from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from prevention.admin.base import DomainAdmin, DomainInline
from prevention.admin.lists import (
    CappedPaginator,
    DistrictListFilter,
    LogOrganisationListFilter,
    QuickActionCheckbox,
    YearListFilter,
)
from prevention.editing import VersionedModelForm
from prevention.forms.activities import COUNT_BOUNDS, bound_problems
from prevention.models import ActivityLog, Attachment
from prevention.uploads import ACCEPT_ATTRIBUTE, clean_upload


class AttachmentAdminForm(forms.ModelForm):
    """An upload through the admin passes the same checks as on the pages (content, size, GPS removed)."""

    class Meta:
        model = Attachment
        fields = ["activity_log", "file", "caption"]
        # No link to the stored file: evidence is only sent through the download view, which checks access.
        widgets = {"file": forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE})}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # the file already stored, unchanged
        cleaned = clean_upload(upload)
        self.instance.original_name = cleaned.original_name
        self.instance.content_type = cleaned.content_type
        self.instance.size = cleaned.size
        return cleaned.content


class AttachmentDetails:
    @admin.display(description=_("file"))
    def download(self, obj: Attachment) -> str:
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> ({}, {})',
            reverse("prevention:attachment-download", args=[obj.pk]),
            obj.original_name,
            obj.content_type,
            filesizeformat(obj.size),
        )


class AttachmentInline(AttachmentDetails, DomainInline):
    model = Attachment
    form = AttachmentAdminForm
    fields = ["download", "file", "caption", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download", "uploaded_by", "uploaded_at"]
    row_select_related = ("uploaded_by",)


class ActivityLogAdminForm(VersionedModelForm):
    class Meta:
        model = ActivityLog
        fields = "__all__"

    def clean(self) -> dict:
        cleaned = super().clean()
        # The bounds the log form and the import keep: a typo here would reach the totals once verified.
        entered = SimpleNamespace(**{name: cleaned.get(name) for name in [*COUNT_BOUNDS, "occurred_on"]})
        for name, message in bound_problems(entered):
            if name not in self.errors:
                self.add_error(name, message)
        # The review date is part of the record's rules; the reviewer is set on saving (save_model).
        if "review_state" in self.changed_data:
            reviewed = cleaned.get("review_state") != ActivityLog.ReviewState.SUBMITTED
            self.instance.reviewed_at = timezone.now() if reviewed else None
        return cleaned


@admin.register(ActivityLog)
class ActivityLogAdmin(QuickActionCheckbox, DomainAdmin):
    form = ActivityLogAdminForm
    list_display = [
        "title",
        "occurred_on",
        "kind",
        "initiative",
        "organisation",
        "participants_total",
        "audience_reached",
        "review_state",
    ]
    # A million logs: no full count, no date hierarchy and no DISTINCT over the logs for the choices
    # (see prevention.admin.lists).
    list_filter = [
        "review_state",
        "kind",
        YearListFilter,
        "occurred_on",
        ("district", DistrictListFilter),
        ("organisation", LogOrganisationListFilter),
    ]
    list_select_related = ["initiative", "organisation"]
    search_fields = ["title", "description", "place", "organisation__name", "initiative__title"]
    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ["initiative", "organisation", "author"]
    readonly_fields = ["reviewed_by", "reviewed_at"]
    inlines = [AttachmentInline]
    fieldsets = [
        (None, {"fields": ["initiative", "organisation", "author", "occurred_on", "kind", "title"]}),
        (_("What happened"), {"fields": ["description", "place", "outputs"]}),
        (
            _("People"),
            {
                "fields": [
                    "participants_total",
                    ("participants_women", "participants_men", "participants_youth"),
                    "audience_reached",
                ]
            },
        ),
        (_("Review"), {"fields": ["review_state", "review_note", "reviewed_by", "reviewed_at"]}),
    ]

    def save_model(self, request, obj: ActivityLog, form, change: bool) -> None:
        if "review_state" in form.changed_data:
            reviewed = obj.review_state != ActivityLog.ReviewState.SUBMITTED
            obj.reviewed_by = request.user if reviewed else None
        super().save_model(request, obj, form, change)


@admin.register(Attachment)
class AttachmentAdmin(AttachmentDetails, DomainAdmin):
    form = AttachmentAdminForm
    list_display = [
        "original_name",
        "activity_log",
        "content_type",
        "size_display",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["content_type"]
    list_select_related = ["activity_log", "uploaded_by"]
    search_fields = ["original_name", "caption", "activity_log__title"]
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ["activity_log"]
    readonly_fields = ["download", "uploaded_by", "uploaded_at"]

    def get_fields(self, request, obj=None) -> list[str]:
        if obj is None:
            return ["activity_log", "file", "caption"]
        return ["activity_log", "download", "file", "caption", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, obj: Attachment) -> str:
        return filesizeformat(obj.size)
