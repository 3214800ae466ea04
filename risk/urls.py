from django.urls import URLPattern, URLResolver, path

from risk import views

app_name = "risk"

urlpatterns: list[URLPattern | URLResolver] = [
    path("customs/risk/", views.risk_overview, name="overview"),
    path("customs/risk/refresh/", views.risk_refresh, name="refresh"),
    path("customs/risk/<str:subject>/<str:key>/", views.risk_finding, name="finding"),
    path("customs/risk/<str:subject>/<str:key>/flag/", views.risk_flag, name="flag"),
]
