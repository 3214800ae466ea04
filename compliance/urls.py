from django.urls import URLPattern, URLResolver, path

from compliance import views

app_name = "compliance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("home/", views.role_home_view, name="home"),
    path("flags/", views.flag_list, name="flag_list"),
    path("flags/<int:pk>/", views.flag_detail_view, name="flag_detail"),
    path("flags/<int:pk>/action/", views.flag_action, name="flag_action"),
    path("flags/<int:pk>/note/", views.flag_note, name="flag_note"),
    path("flags/scan/", views.scan_request, name="scan_request"),
    path("declarations/mine/", views.my_declarations, name="my_declarations"),
    path("declarations/alert/", views.declaration_alert, name="declaration_alert"),
    path("declarations/upload/", views.declaration_upload, name="declaration_upload"),
    path("customs/dashboard/", views.customs_dashboard, name="customs-dashboard"),
]
