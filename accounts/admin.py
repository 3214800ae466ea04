from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AbuseReport,
    ApiToken,
    LoginEvent,
    Organization,
    SigningCertificate,
    User,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "tax_code",
        "kind",
        "province",
        "require_2fa",
        "require_phishing_resistant",
    ]
    list_filter = ["kind", "province", "require_2fa", "require_phishing_resistant"]
    search_fields = ["name", "tax_code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "organization__kind"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["organization"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "national_id")}),
        (_("Organisation"), {"fields": ("organization", "role")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "email", "kind", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["email", "ip_address"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    list_display = ["serial_number", "organization", "not_after", "revoked_at"]
    search_fields = ["serial_number", "subject", "organization__tax_code"]
    exclude = ["der"]
    readonly_fields = ["serial_number", "subject", "issuer", "not_before", "not_after"]


@admin.register(AbuseReport)
class AbuseReportAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "purpose", "user", "created_at", "revoked_at"]
    exclude = ["key_hash"]


# The admin's own login form would open a session outside the sign-in flow and skip the
# 2FA and password-age checks: send it through allauth's sign-in instead.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
