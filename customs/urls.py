from django.urls import URLPattern, URLResolver, path

from accounts.identifiers import AGENT_CODE, LICENCE
from customs import views

app_name = "customs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("customs/trust-list/", views.trust_list, name="trust-list"),
    path("customs/trust-list/<int:pk>/remove/", views.trust_list_remove, name="trust-list-remove"),
    path("customs/brokers/", views.broker_list, name="brokers"),
    path(f"customs/brokers/<{LICENCE}:license_number>/", views.broker_detail, name="broker"),
    path(
        f"customs/brokers/<{LICENCE}:license_number>/sanction/",
        views.sanction_impose,
        name="sanction-impose",
    ),
    path(
        f"customs/brokers/<{LICENCE}:license_number>/sanctions/<int:sanction_id>/lift/",
        views.sanction_lift,
        name="sanction-lift",
    ),
    path(
        f"customs/brokers/<{LICENCE}:license_number>/agents/<{AGENT_CODE}:agent_code>/withdraw/",
        views.agent_withdraw,
        name="agent-withdraw",
    ),
]
