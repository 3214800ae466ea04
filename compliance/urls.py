from django.urls import URLPattern, URLResolver, path

from compliance import views

app_name = "compliance"

# Declarations, ingest, flags work queue (issue 6).
compliance_urls: list[URLPattern | URLResolver] = []


# The customs dashboard (issue 7).
dashboard_urls: list[URLPattern | URLResolver] = [
    path("customs/dashboard/", views.customs_dashboard, name="customs-dashboard"),
    path("customs/dashboard/scan/", views.customs_scan_request, name="customs-scan-request"),
]


urlpatterns: list[URLPattern | URLResolver] = compliance_urls + dashboard_urls
