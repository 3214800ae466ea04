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
customs_urls: list[URLPattern | URLResolver] = [
    path("customs/brokers/", views.customs_broker_list, name="customs-brokers"),
    path(
        "customs/brokers/<str:license_number>/",
        views.customs_broker_detail,
        name="customs-broker",
    ),
    path(
        "customs/brokers/<str:license_number>/sanction/",
        views.customs_sanction_impose,
        name="customs-sanction-impose",
    ),
    path(
        "customs/brokers/<str:license_number>/sanctions/<int:sanction_id>/lift/",
        views.customs_sanction_lift,
        name="customs-sanction-lift",
    ),
    path(
        "customs/brokers/<str:license_number>/agents/<str:agent_code>/withdraw/",
        views.customs_agent_withdraw,
        name="customs-agent-withdraw",
    ),
]


urlpatterns: list[URLPattern | URLResolver] = register_urls + customs_urls
