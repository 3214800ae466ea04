from django.urls import URLPattern, URLResolver, path

from brokers import views

app_name = "brokers"

# The public register (issue 3).
register_urls: list[URLPattern | URLResolver] = [
    path("brokers/", views.broker_list, name="register"),
    path("brokers/export.csv", views.broker_export_csv, name="register-csv"),
    path("brokers/<str:license_number>/", views.broker_detail, name="detail"),
]


# The customs area: sanctions and agents (issue 7).
customs_urls: list[URLPattern | URLResolver] = []


urlpatterns: list[URLPattern | URLResolver] = register_urls + customs_urls
