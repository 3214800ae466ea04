from django.urls import URLPattern, URLResolver, path

from compliance.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("declarations/", views.DeclarationIngestView.as_view(), name="api-declarations"),
    path("authorization/", views.AuthorizationView.as_view(), name="api-authorization"),
    path("flags/", views.FlagListView.as_view(), name="api-flags"),
]
