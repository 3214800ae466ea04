"""django-otp-webauthn's JSON endpoints under its own namespace (``otp_webauthn``, which its
template tags reverse), served by the subclasses in ``accounts.views.passkeys``."""

from django.urls import URLPattern, path
from django.views.i18n import JavaScriptCatalog

from accounts.views import passkeys

app_name = "otp_webauthn"

urlpatterns: list[URLPattern] = [
    path(
        "registration/begin/",
        passkeys.PasskeyRegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        passkeys.PasskeyRegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        passkeys.PasskeyAuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        passkeys.PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    # The messages of its script, from locale/<language>/LC_MESSAGES/passkeys.po: the
    # package's own catalogue has no Vietnamese.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(domain="passkeys", packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
