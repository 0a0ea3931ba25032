from django.urls import path  # noqa: F401  (routes are added per area below)

app_name = "prevention"

# Each area keeps its routes together; names are kebab-case (prevention:initiative-detail).
urlpatterns = [
    # Dashboards
    # Districts, plans, initiatives
    # Activity logs and evidence
    # Crime statistics, hotspots, meetings
    # Reports, export and import
]
