from django.urls import URLPattern, URLResolver, path

from accounts.identifiers import LICENCE
from brokers.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("brokers/", views.BrokerListView.as_view(), name="api-broker-list"),
    path(
        f"brokers/<{LICENCE}:license_number>/",
        views.BrokerDetailView.as_view(),
        name="api-broker-detail",
    ),
]
