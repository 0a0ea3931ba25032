"""The donor site at /donor/: what a donor organisation funds, read-only, through the access module.

Donor staff are not Django staff: the site lets in anyone with a donor membership (and administrators)
and nobody else; a signed-in user without one is refused (403). Every list and page reads through
``visible_to(user)``, so a donor sees the initiatives their organisation funds and what hangs under them:
their own funding lines and spending, milestones, progress updates, indicators and measurements, and
activity logs once verified. Anything else does not exist here (404). Nothing can be added, changed or
deleted: those pages answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat, floatformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Membership
from prevention import reports
from prevention.admin.lists import (
    CappedPaginator,
    LeadOrganisationListFilter,
    LogOrganisationListFilter,
    PageFirstChangeList,
    VisibleDistrictListFilter,
    VisibleInitiativeListFilter,
    YearListFilter,
)
from prevention.models import (
    ActivityLog,
    Attachment,
    FundingLine,
    Indicator,
    Initiative,
    InitiativePartner,
    Measurement,
    Milestone,
    ProgressUpdate,
    Spending,
)
from prevention.progress import Health
from prevention.templatetags.prevention_tags import money

# How many initiatives the home page lists.
HOME_INITIATIVES = 20


class DonorSite(admin.AdminSite):
    site_header = _("Safer Districts · donor view")
    site_title = _("Safer Districts donor view")
    index_title = _("Your portfolio")
    index_template = "donor/index.html"
    site_url = "/"
    # The home page lists every model; the side bar would only squeeze the lists.
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return False
        scope = access.scope_for(user)
        return scope.is_admin or scope.has_role(Membership.Role.DONOR)

    def admin_view(self, view, cacheable: bool = False):
        """Signed-in people without a donor membership are refused here rather than sent to sign in."""
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, view)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # One sign-in page for the whole product, with its lock-out protection.
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("donor:index", current_app=self.name)
        return redirect_to_login(target, settings.LOGIN_URL)

    def get_urls(self) -> list:
        # The "view on site" shortcut redirects by content type and id to any object's page: not here.
        return [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]

    def index(self, request: HttpRequest, extra_context=None) -> TemplateResponse:
        # A large donor funds thousands of initiatives: the home page lists the most urgent and links to
        # all of them.
        summary = reports.portfolio(request.user, listed=HOME_INITIATIVES)
        funders = list(reports.funders_for(request.user)[:10])
        context = {
            "portfolio": summary,
            "listed_initiatives": [HomeRow.of(initiative) for initiative in summary.initiatives],
            "funders": funders,
            **(extra_context or {}),
        }
        return super().index(request, context)


@dataclass(frozen=True)
class HomeRow:
    """A listed initiative of the home page, written out here: the template's lookups and filters for
    each of its cells took longer than the rest of the page's template."""

    pk: int
    title: str
    district: str
    status: str
    progress: str
    health: str  # the state, for the style of the label
    health_label: str
    health_reason: str  # none for a completed initiative
    committed: list[str]
    spent: list[str]

    @classmethod
    def of(cls, initiative: Initiative) -> HomeRow:
        health = initiative.health_now
        return cls(
            pk=initiative.pk,
            title=initiative.title,
            district=initiative.priority.plan.district.name,
            status=initiative.get_status_display(),
            progress=f"{floatformat(initiative.progress, 1)} %",
            health=health.state,
            health_label=health.label,
            health_reason="" if health.state == Health.DONE else health.reason,
            committed=[f"{money(m.committed)} {m.currency}" for m in initiative.money],
            spent=[f"{money(m.spent)} {m.currency}" for m in initiative.money],
        )


donor_site = DonorSite(name="donor")


class ReadOnly:
    """Everything can be looked at, nothing added, changed or deleted; rows through the access rules."""

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)


class DonorAdmin(ReadOnly, admin.ModelAdmin):
    change_list_template = "donor/change_list.html"
    actions = None
    list_per_page = 50
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        """Outside the user's scope an object does not exist: 404, not the admin's redirect."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class DonorInline(ReadOnly, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


def _amount(value, currency: str) -> str:
    return "–" if value is None else f"{money(value)} {currency}"


def _changelist_link(model: type, label: str, **filters) -> str:
    url = reverse(f"donor:prevention_{model._meta.model_name}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


# Initiatives -----------------------------------------------------------------------------------------


class PartnerInline(DonorInline):
    model = InitiativePartner
    fields = ["organisation", "role", "responsibility"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation")


class MilestoneInline(DonorInline):
    model = Milestone
    fields = ["title", "due_on", "weight", "status", "completed_on", "evidence_note"]


class ProgressUpdateInline(DonorInline):
    model = ProgressUpdate
    fields = ["reported_on", "status", "percent_complete", "narrative", "spent_to_date", "spent_currency"]


class FundingLineInline(DonorInline):
    model = FundingLine
    fields = ["funder", "source_type", "amount", "currency", "committed_on", "note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("funder")


class ProgressOfPageChangeList(PageFirstChangeList):
    """Counts and pages the plain initiatives, then computes the progress of the page's rows only.

    Computing it for every funded initiative before sorting and paging them took most of the page's
    time for a donor funding thousands. The rows shown carry what the columns read and no more: their
    long texts (descriptions, plan summaries) took longer to load than the progress to compute.
    """

    row_fields = (
        "title",
        "status",
        "starts_on",
        "ends_on",
        "priority__plan__district__name",
        "lead_organisation__name",
        "lead_organisation__short_name",
    )

    def page_rows(self, pks: list[int]) -> dict[int, Initiative]:
        return self.root_queryset.only(*self.row_fields).with_progress().in_bulk(pks)


@admin.register(Initiative, site=donor_site)
class InitiativeAdmin(DonorAdmin):
    list_display = ["title", "district", "status", "progress_display", "health_display", "lead_organisation"]
    list_filter = [
        "status",
        ("priority__plan__district", VisibleDistrictListFilter),
        ("lead_organisation", LeadOrganisationListFilter),
    ]
    search_fields = ["title", "description", "location"]
    fieldsets = [
        (None, {"fields": ["title", "priority", "lead_organisation", "status", "starts_on", "ends_on"]}),
        (_("Progress"), {"fields": ["progress_display", "health_display", "related"]}),
        (_("What and where"), {"fields": ["description", "objective", "planned_outputs", "location"]}),
        (_("Budget and risks"), {"fields": ["budget", "budget_currency", "risks", "means_of_verification"]}),
    ]
    readonly_fields = ["progress_display", "health_display", "related"]
    inlines = [PartnerInline, FundingLineInline, MilestoneInline, ProgressUpdateInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Plain rows to count and page; progress and health are computed for the rows shown only.
        return super().get_queryset(request).select_related("priority__plan__district", "lead_organisation")

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        return ProgressOfPageChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        return self.get_queryset(request).for_lists().get(pk=obj.pk)

    @admin.display(description=_("district"), ordering="priority__plan__district__name")
    def district(self, obj: Initiative) -> str:
        return obj.priority.plan.district.name

    @admin.display(description=_("progress"))
    def progress_display(self, obj: Initiative) -> str:
        return f"{obj.progress:.1f} %"

    @admin.display(description=_("health"))
    def health_display(self, obj: Initiative) -> str:
        health = obj.health(timezone.localdate())
        return format_html('<span title="{}">{}</span>', health.reason, health.label)

    @admin.display(description=_("records"))
    def related(self, obj: Initiative) -> str:
        return format_html(
            "{} · {} · {}",
            _changelist_link(ActivityLog, _("verified activity logs"), initiative__id__exact=obj.pk),
            _changelist_link(Indicator, _("indicators"), initiative__id__exact=obj.pk),
            _changelist_link(Spending, _("spending"), funding_line__initiative__id__exact=obj.pk),
        )


# Money -----------------------------------------------------------------------------------------------


class SpendingInline(DonorInline):
    model = Spending
    fields = ["spent_on", "amount", "description"]


@admin.register(FundingLine, site=donor_site)
class FundingLineAdmin(DonorAdmin):
    list_display = ["initiative", "funder", "source_type", "amount_display", "committed_on"]
    list_filter = [
        "currency",
        "source_type",
        ("initiative", VisibleInitiativeListFilter),
        ("funder", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["initiative", "funder"]
    search_fields = ["initiative__title", "note"]
    fields = ["initiative", "funder", "source_type", "amount", "currency", "committed_on", "note"]
    inlines = [SpendingInline]

    def get_changelist(self, request: HttpRequest, **kwargs) -> type[ChangeList]:
        # Ordered by initiative (priority rank, title): a large donor's lines are sorted by ids alone.
        return PageFirstChangeList

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj: FundingLine) -> str:
        return _amount(obj.amount, obj.currency)


@admin.register(Spending, site=donor_site)
class SpendingAdmin(DonorAdmin):
    list_display = ["spent_on", "amount_display", "description", "initiative"]
    list_filter = [
        ("funding_line__initiative", VisibleInitiativeListFilter),
        ("funding_line__funder", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["funding_line__initiative"]
    search_fields = ["description", "funding_line__initiative__title"]
    date_hierarchy = "spent_on"
    fields = ["funding_line", "spent_on", "amount", "description"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super().get_queryset(request).select_related("funding_line__initiative", "funding_line__funder")
        )

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj: Spending) -> str:
        return _amount(obj.amount, obj.funding_line.currency)

    @admin.display(description=_("initiative"), ordering="funding_line__initiative__title")
    def initiative(self, obj: Spending) -> str:
        return obj.funding_line.initiative.title


# Activity logs and their evidence --------------------------------------------------------------------


class AttachmentInline(DonorInline):
    model = Attachment
    fields = ["download", "caption", "uploaded_at"]
    readonly_fields = ["download", "uploaded_at"]

    @admin.display(description=_("file"))
    def download(self, obj: Attachment) -> str:
        return format_html(
            '<a href="{}">{}</a> ({}, {})',
            reverse("prevention:attachment-download", args=[obj.pk]),
            obj.original_name,
            obj.content_type,
            filesizeformat(obj.size),
        )


@admin.register(ActivityLog, site=donor_site)
class ActivityLogAdmin(DonorAdmin):
    """Verified logs only: the access module shows donors nothing else, whoever else could see it."""

    list_display = ["title", "occurred_on", "initiative", "organisation", "people_reached", "evidence_count"]
    # A large donor funds thousands of initiatives and a hundred thousand logs: no full count, no date
    # hierarchy and no DISTINCT over the logs for the choices (see prevention.admin.lists).
    list_filter = [
        "kind",
        YearListFilter,
        "occurred_on",
        ("initiative", VisibleInitiativeListFilter),
        ("organisation", LogOrganisationListFilter),
    ]
    list_select_related = ["initiative", "organisation"]
    search_fields = ["title", "description", "place", "outputs", "initiative__title"]
    paginator = CappedPaginator
    show_facets = admin.ShowFacets.NEVER
    fieldsets = [
        (None, {"fields": ["initiative", "organisation", "occurred_on", "kind", "title", "place"]}),
        (_("What happened"), {"fields": ["description", "outputs"]}),
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
        (_("Verification"), {"fields": ["reviewed_at"]}),
    ]
    inlines = [AttachmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Whatever the viewer's other roles, this site counts verified work only.
        # The evidence is counted per row shown, not by grouping every log with its attachments.
        evidence = (
            Attachment.objects.filter(activity_log=OuterRef("pk"))
            .order_by()
            .values("activity_log")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            super().get_queryset(request).verified().annotate(evidence_total=Coalesce(Subquery(evidence), 0))
        )

    @admin.display(description=_("people reached"))
    def people_reached(self, obj: ActivityLog) -> str:
        return intcomma(obj.participants_total + obj.audience_reached)

    @admin.display(description=_("evidence"), ordering="evidence_total")
    def evidence_count(self, obj: ActivityLog) -> int:
        return obj.evidence_total


# Indicators and measurements -------------------------------------------------------------------------


class MeasurementInline(DonorInline):
    model = Measurement
    fields = ["measured_on", "period_start", "value", "source", "note"]


@admin.register(Indicator, site=donor_site)
class IndicatorAdmin(DonorAdmin):
    list_display = [
        "name",
        "initiative",
        "unit",
        "baseline_value",
        "latest",
        "target_value",
        "progress_display",
        "state",
    ]
    list_filter = ["level", "direction", ("initiative", VisibleInitiativeListFilter)]
    list_select_related = ["initiative"]
    search_fields = ["name", "unit", "source", "initiative__title"]
    fields = [
        "name",
        "plan",
        "initiative",
        "unit",
        "level",
        "direction",
        ("baseline_value", "baseline_on"),
        ("target_value", "target_on"),
        "latest",
        "progress_display",
        "state",
        "source",
        "frequency",
    ]
    readonly_fields = ["latest", "progress_display", "state"]
    inlines = [MeasurementInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_latest()

    @admin.display(description=_("latest"))
    def latest(self, obj: Indicator) -> str:
        if obj.current_value is None:
            return "–"
        return f"{obj.current_value.normalize():f} ({obj.latest_measured_on})"

    @admin.display(description=_("progress"))
    def progress_display(self, obj: Indicator) -> str:
        return "–" if obj.progress is None else f"{obj.progress:.1f} %"

    @admin.display(description=_("state"))
    def state(self, obj: Indicator) -> str:
        return str(reports.INDICATOR_STATE_LABELS[reports.indicator_state(obj, timezone.localdate())])


@admin.register(Measurement, site=donor_site)
class MeasurementAdmin(DonorAdmin):
    list_display = ["indicator", "measured_on", "value", "source"]
    list_filter = [("indicator", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "source", "note"]
    date_hierarchy = "measured_on"
    fields = ["indicator", "period_start", "measured_on", "value", "source", "note"]
