from django.urls import path

from prevention.views import activities, dashboards, hotspots, statistics

app_name = "prevention"

# Each area keeps its routes together; names are kebab-case (prevention:initiative-detail).
urlpatterns = [
    # Dashboards
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    # Districts, plans, initiatives
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
]
