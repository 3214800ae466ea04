from django.urls import URLPattern, URLResolver, path

from accounts.identifiers import LICENCE
from brokers import views

app_name = "brokers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("brokers/", views.broker_list, name="register"),
    path("brokers/export.csv", views.broker_export_csv, name="register-csv"),
    path(f"brokers/<{LICENCE}:license_number>/", views.broker_detail, name="detail"),
]
