from django.urls import URLPattern, URLResolver, path

from accounts.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", views.me, name="api-me"),
    path(
        "audit/checkpoints/",
        views.AuditCheckpointListView.as_view(),
        name="api-audit-checkpoints",
    ),
]
