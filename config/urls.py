from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import audit_log, language
from config import views

api_v1 = [
    path("", include("brokers.api.urls")),
    path("", include("contracts.api.urls")),
    path("", include("compliance.api.urls")),
    path("", include("risk.api.urls")),
    path("", include("accounts.api.urls")),
]

urlpatterns = [
    # The API first: its machine clients send most requests, and a path is matched against
    # the patterns in order (each "" include before it would be tried in full).
    path("api/v1/", include(api_v1)),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", language.language_set, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("accounts/webauthn/", include("accounts.passkey_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("brokers.urls")),
    path("", include("contracts.urls")),
    path("", include("compliance.urls")),
    path("", include("risk.urls")),
    path("", include("customs.urls")),
    path("", include("licensing.urls")),
    path("audit/", audit_log.audit_log, name="audit-log"),
    path("audit/checkpoints/", audit_log.audit_checkpoints, name="audit-checkpoints"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# The error pages (config/views.py): the site's layout, or JSON under /api/.
handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
