from django.urls import URLPattern, URLResolver, path

from accounts.views import (
    abuse_reports,
    account,
    api_tokens,
    certificates,
    login_history,
    organization,
    passkeys,
    two_factor,
)

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", account.account_overview, name="overview"),
    path("2fa/", two_factor.two_factor, name="two_factor"),
    path("2fa/verify/", two_factor.otp_verify, name="otp_verify"),
    path("2fa/add/", two_factor.totp_add, name="totp_add"),
    path("2fa/<int:device_id>/remove/", two_factor.totp_remove, name="totp_remove"),
    path("2fa/backup-codes/", two_factor.backup_codes_regenerate, name="backup_codes"),
    path(
        "2fa/backup-codes/download/",
        two_factor.backup_codes_download,
        name="backup_codes_download",
    ),
    path("2fa/backup-codes/print/", two_factor.backup_codes_print, name="backup_codes_print"),
    path("2fa/passkeys/name/", passkeys.passkey_name, name="passkey_name"),
    path("2fa/passkeys/<int:passkey_id>/remove/", passkeys.passkey_remove, name="passkey_remove"),
    path("history/", login_history.login_history, name="login_history"),
    path("organisation/security/", organization.security_policy, name="security_policy"),
    path("organisation/staff/", organization.staff_list, name="staff_list"),
    path("organisation/staff/invite/", organization.staff_invite, name="staff_invite"),
    path("organisation/staff/<int:user_id>/role/", organization.staff_role, name="staff_role"),
    path(
        "organisation/staff/<int:user_id>/active/", organization.staff_active, name="staff_active"
    ),
    path(
        "organisation/staff/<int:user_id>/2fa-reset/",
        organization.staff_2fa_reset,
        name="staff_2fa_reset",
    ),
    path("invitation/<str:key>/", organization.invitation_accept, name="invitation_accept"),
    path("organisation/certificates/", certificates.certificate_list, name="certificate_list"),
    path(
        "organisation/certificates/<int:certificate_id>/revoke/",
        certificates.certificate_revoke,
        name="certificate_revoke",
    ),
    path("abuse-reports/", abuse_reports.abuse_report_list, name="abuse_report_list"),
    path("abuse-reports/new/", abuse_reports.abuse_report_create, name="abuse_report_create"),
    path(
        "abuse-reports/<int:report_id>/",
        abuse_reports.abuse_report_detail,
        name="abuse_report_detail",
    ),
    path("organisation/api-tokens/", api_tokens.api_token_list, name="api_token_list"),
    path(
        "organisation/api-tokens/<int:token_id>/revoke/",
        api_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
]
