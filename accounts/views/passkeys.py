"""Passkeys (WebAuthn, through django-otp-webauthn): naming and removing one from the
two-factor page, and the JSON endpoints its browser script calls.

The endpoints are django-otp-webauthn's class-based views, subclassed at the hooks its
documentation offers (``check_can_register``, ``complete_auth``) so that they keep to the
site's rules: the passkey policy, the login history, the security checks after a
passwordless sign-in, and a 400 rather than a server error for malformed input.
"""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from accounts import selectors
from accounts.client import client_ip, client_user_agent
from accounts.forms import PasskeyNameForm
from accounts.models import LoginEvent, User
from accounts.security import passkey_required, security_checks_start, verified_with_passkey
from accounts.services import two_factor as two_factor_services
from accounts.services.login_history import login_event_record
from accounts.views.two_factor import backup_codes_show, device_remove_with_password
from accounts.web import messages_from, signed_in_user


@login_required
@require_POST
def passkey_name(request: HttpRequest) -> HttpResponse:
    """The last step of adding a passkey: its name (and backup codes if the user has none)."""
    user = signed_in_user(request)
    form = PasskeyNameForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("accounts:two_factor")
    passkey = get_object_or_404(selectors.user_passkeys(user), pk=form.cleaned_data["passkey"])
    try:
        codes = two_factor_services.passkey_name_set(
            user=user, passkey=passkey, name=form.cleaned_data["name"] or _("Passkey")
        )
    except ValidationError as error:
        messages_from(request, error)
        return redirect("accounts:two_factor")
    messages.success(request, _("Your passkey is saved."))
    if codes:
        return backup_codes_show(request, codes)
    return redirect("accounts:two_factor")


@login_required
@require_POST
def passkey_remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    user = signed_in_user(request)
    passkey = get_object_or_404(selectors.user_passkeys(user), pk=passkey_id)
    device_remove_with_password(request, user, passkey, _("The passkey was removed."))
    return redirect("accounts:two_factor")


class PasskeyNeeded(webauthn_exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = gettext_lazy(
        "Your organisation accepts only a passkey: confirm it is you with one of your "
        "passkeys before you add another."
    )
    default_code = "passkey_needed"


# django-otp-webauthn's refusals in the site's words, from its catalogue (the package has
# no Vietnamese); its script shows them under the passkey button.
PASSKEY_REFUSALS = {
    "not_authenticated": gettext_lazy("Sign in with your password first."),
    "user_not_verified": gettext_lazy(
        "Confirm it is you with your second factor before you add a passkey."
    ),
    "user_disabled": gettext_lazy("This account is deactivated. Ask your organisation's admin."),
    "credential_disabled": gettext_lazy("This passkey is switched off."),
    "credential_not_found": gettext_lazy(
        "This passkey is not known here: it may have been removed. Sign in with your password."
    ),
    "credential_user_mismatch": gettext_lazy(
        "This passkey belongs to another account: sign out first to use it."
    ),
    "invalid_state": gettext_lazy("This attempt has expired. Try again."),
    "malformed_request": gettext_lazy("The browser's answer could not be read. Try again."),
}
PASSKEY_UNVERIFIED = gettext_lazy("The passkey's answer could not be verified. Try again.")


class SiteRefusals:
    """Refusals in the site's words; whatever a client sends (deep nesting, wrong types)
    answers 400, never a server error."""

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, ValueError | TypeError | KeyError | AttributeError | RecursionError):
            exc = webauthn_exceptions.MalformedRequest()
        if isinstance(exc, webauthn_exceptions.OTPWebAuthnApiError):
            default = PASSKEY_UNVERIFIED if exc.status_code == 422 else exc.detail
            exc.detail = PASSKEY_REFUSALS.get(exc.code, default)
        return super().handle_exception(exc)  # type: ignore[misc, no-any-return]


class PasskeyRegistrationRules:
    def check_can_register(self) -> None:
        # Under the passkey policy a code proves only enough to register a first passkey:
        # with one, a session verified by a code (phishable) may not add another.
        user = self.get_user()  # type: ignore[attr-defined]
        if (
            isinstance(user, User)
            and passkey_required(user)
            and not verified_with_passkey(user)
            and selectors.user_passkeys(user).exists()
        ):
            raise PasskeyNeeded()


class PasskeyRegistrationBegin(
    SiteRefusals, PasskeyRegistrationRules, BeginCredentialRegistrationView
):
    pass


class PasskeyRegistrationComplete(
    SiteRefusals, PasskeyRegistrationRules, CompleteCredentialRegistrationView
):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        response: JsonResponse = super().post(*args, **kwargs)
        user = self.request.user
        if isinstance(user, User) and passkey_required(user) and not verified_with_passkey(user):
            # A user under the passkey policy who proved it is them with a code has just
            # registered their first passkey: the session now counts as passkey-verified,
            # as it would after signing in again with it.
            passkey = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
            otp_login(self.request, passkey)
        return response


class PasskeyAuthenticationBegin(SiteRefusals, BeginCredentialAuthenticationView):
    pass


class PasskeyAuthenticationComplete(SiteRefusals, CompleteCredentialAuthenticationView):
    """A passkey as the second step after the password, or alone (passwordless, a
    discoverable credential): then it counts as both factors and the session gets the same
    checks and login history as a password sign-in."""

    def complete_auth(self, device: WebAuthnCredential) -> None:
        request = self.request
        passwordless = not request.user.is_authenticated
        super().complete_auth(device)
        user = device.user
        assert isinstance(user, User)
        ip_address, user_agent = client_ip(request), client_user_agent(request)
        if passwordless:
            security_checks_start(request, user)
            login_event_record(
                kind=LoginEvent.Kind.SIGN_IN,
                user=user,
                ip_address=ip_address,
                user_agent=user_agent,
                session_key=request.session.session_key or "",
            )
        login_event_record(
            kind=LoginEvent.Kind.PASSKEY_SUCCESS,
            user=user,
            ip_address=ip_address,
            user_agent=user_agent,
        )

    def handle_exception(self, exc: Exception) -> HttpResponse:
        user = self.request.user
        if isinstance(exc, webauthn_exceptions.OTPWebAuthnApiError) and isinstance(user, User):
            login_event_record(
                kind=LoginEvent.Kind.PASSKEY_FAILURE,
                user=user,
                ip_address=client_ip(self.request),
                user_agent=client_user_agent(self.request),
            )
        return super().handle_exception(exc)
