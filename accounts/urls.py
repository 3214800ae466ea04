from django.urls import URLPattern, URLResolver, path

from accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", views.account_overview, name="overview"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/add/", views.totp_add, name="totp_add"),
    path("2fa/<int:device_id>/remove/", views.totp_remove, name="totp_remove"),
    path("2fa/backup-codes/", views.backup_codes_regenerate, name="backup_codes"),
    path("history/", views.login_history, name="login_history"),
    path("organisation/security/", views.security_policy, name="security_policy"),
    path("organisation/staff/", views.staff_list, name="staff_list"),
    path("organisation/staff/invite/", views.staff_invite, name="staff_invite"),
    path("organisation/staff/<int:user_id>/role/", views.staff_role, name="staff_role"),
    path("organisation/staff/<int:user_id>/active/", views.staff_active, name="staff_active"),
    path(
        "organisation/staff/<int:user_id>/2fa-reset/",
        views.staff_2fa_reset,
        name="staff_2fa_reset",
    ),
    path("invitation/<str:key>/", views.invitation_accept, name="invitation_accept"),
    path("organisation/certificates/", views.certificate_list, name="certificate_list"),
    path(
        "organisation/certificates/<int:certificate_id>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("abuse-reports/", views.abuse_report_list, name="abuse_report_list"),
    path("abuse-reports/new/", views.abuse_report_create, name="abuse_report_create"),
    path("abuse-reports/<int:report_id>/", views.abuse_report_detail, name="abuse_report_detail"),
    path("organisation/api-tokens/", views.api_token_list, name="api_token_list"),
    path(
        "organisation/api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
]
