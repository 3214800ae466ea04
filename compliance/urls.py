from django.urls import URLPattern, URLResolver

app_name = "compliance"

# Declarations, ingest, flags work queue (issue 6).
compliance_urls: list[URLPattern | URLResolver] = []


# The customs dashboard (issue 7).
dashboard_urls: list[URLPattern | URLResolver] = []


urlpatterns: list[URLPattern | URLResolver] = compliance_urls + dashboard_urls
