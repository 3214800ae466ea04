from django.urls import URLPattern, URLResolver, path

from customs import views

app_name = "customs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("customs/brokers/", views.broker_list, name="brokers"),
    path("customs/brokers/<str:license_number>/", views.broker_detail, name="broker"),
    path(
        "customs/brokers/<str:license_number>/sanction/",
        views.sanction_impose,
        name="sanction-impose",
    ),
    path(
        "customs/brokers/<str:license_number>/sanctions/<int:sanction_id>/lift/",
        views.sanction_lift,
        name="sanction-lift",
    ),
    path(
        "customs/brokers/<str:license_number>/agents/<str:agent_code>/withdraw/",
        views.agent_withdraw,
        name="agent-withdraw",
    ),
]
