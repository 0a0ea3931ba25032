from django.urls import path

from prevention.views import (
    activities,
    dashboards,
    districts,
    exports,
    hotspots,
    imports,
    indicators,
    initiatives,
    meetings,
    plans,
    public,
    reports,
    statistics,
)

app_name = "prevention"

# Each area keeps its routes together; names are kebab-case (prevention:initiative-detail).
urlpatterns = [
    # Public pages: published plans and safety advice, read without signing in
    path("public/", public.public_plans, name="public-plans"),
    path("public/plans/<int:pk>/", public.public_plan, name="public-plan"),
    path("public/safety/<str:iso_code>/", public.public_safety, name="public-safety"),
    # Dashboards
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    # Districts, plans, initiatives
    path("districts/<int:pk>/", districts.district_detail, name="district-detail"),
    path("districts/<int:district_pk>/plans/new/", plans.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan-edit"),
    path("plans/<int:plan_pk>/priorities/new/", plans.priority_create, name="priority-create"),
    path("priorities/<int:pk>/edit/", plans.priority_edit, name="priority-edit"),
    path(
        "priorities/<int:priority_pk>/initiatives/new/",
        initiatives.initiative_create,
        name="initiative-create",
    ),
    path("initiatives/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"),
    path("initiatives/<int:pk>/edit/", initiatives.initiative_edit, name="initiative-edit"),
    path(
        "initiatives/<int:initiative_pk>/milestones/new/",
        initiatives.milestone_create,
        name="milestone-create",
    ),
    path("milestones/<int:pk>/edit/", initiatives.milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/complete/", initiatives.milestone_complete, name="milestone-complete"),
    path(
        "initiatives/<int:pk>/updates/new/", initiatives.progress_update_create, name="progress-update-create"
    ),
    path("plans/<int:plan_pk>/indicators/new/", indicators.indicator_create, name="indicator-create"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/edit/", indicators.indicator_edit, name="indicator-edit"),
    path(
        "indicators/<int:indicator_pk>/measurements/new/",
        indicators.measurement_create,
        name="measurement-create",
    ),
    path("measurements/<int:pk>/edit/", indicators.measurement_edit, name="measurement-edit"),
    path("plans/<int:plan_pk>/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    # Activity logs and evidence
    path("activity-logs/", activities.activity_log_list, name="activity-log-list"),
    path("activity-logs/new/", activities.activity_log_create, name="activity-log-create"),
    path("activity-logs/<int:pk>/", activities.activity_log_detail, name="activity-log-detail"),
    path("activity-logs/<int:pk>/edit/", activities.activity_log_edit, name="activity-log-edit"),
    path("activity-logs/<int:pk>/verify/", activities.activity_log_verify, name="activity-log-verify"),
    path("activity-logs/<int:pk>/return/", activities.activity_log_return, name="activity-log-return"),
    path("activity-logs/<int:pk>/resubmit/", activities.activity_log_resubmit, name="activity-log-resubmit"),
    path("evidence/<int:pk>/", activities.attachment_download, name="attachment-download"),
    # Crime statistics, hotspots, meetings
    path(
        "districts/<int:district_pk>/statistics/new/",
        statistics.crime_statistic_create,
        name="crime-statistic-create",
    ),
    path("statistics/<int:pk>/edit/", statistics.crime_statistic_edit, name="crime-statistic-edit"),
    path("districts/<int:district_pk>/hotspots/new/", hotspots.hotspot_create, name="hotspot-create"),
    path("hotspots/<int:pk>/edit/", hotspots.hotspot_edit, name="hotspot-edit"),
    # Reports, export and import
    path("export/", exports.export_index, name="export-index"),
    path("export/<slug:dataset>.<str:extension>", exports.export, name="export"),
    path("import/", imports.import_upload, name="import-upload"),
    path("import/confirm/", imports.import_confirm, name="import-confirm"),
    path("plans/<int:pk>/report/", reports.plan_report, name="plan-report"),
    path("plans/<int:pk>/report.xlsx", reports.plan_report_xlsx, name="plan-report-xlsx"),
    path("reports/donor/", reports.donor_report, name="donor-report"),
    path("reports/donor.xlsx", reports.donor_report_xlsx, name="donor-report-xlsx"),
]
