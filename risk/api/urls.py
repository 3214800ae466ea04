from django.urls import URLPattern, URLResolver, path

from risk.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("risk/signers/", views.SignerRiskListView.as_view(), name="api-risk-signers"),
    path("risk/brokers/", views.BrokerRiskListView.as_view(), name="api-risk-brokers"),
]
