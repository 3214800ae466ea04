"""The second sign-in step and the management of authenticators and backup codes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.util import random_hex

from accounts import selectors
from accounts.client import client_ip, client_user_agent
from accounts.forms import (
    OtpVerifyForm,
    PasswordConfirmForm,
    TotpAddForm,
)
from accounts.services import two_factor as two_factor_services
from accounts.two_factor import totp_provisioning
from accounts.web import form_errors_from, signed_in_user

TOTP_KEY_SESSION = "accounts_new_totp_key"


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator or a backup code."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    user = signed_in_user(request)
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(next_url)
    form = OtpVerifyForm(request.POST or None)
    if form.is_valid():
        device = two_factor_services.otp_token_check(
            user=user,
            token=form.cleaned_data["token"],
            ip_address=client_ip(request),
            user_agent=client_user_agent(request),
        )
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        form.add_error("token", _("The code is not right, or was already used."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@login_required
@require_GET
def two_factor(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            # Removing each authenticator asks for the password in a form of its own.
            "devices": [
                (device, PasswordConfirmForm(user=user, auto_id=f"device-{device.pk}-%s"))
                for device in selectors.user_totp_devices(user)
            ],
            "backup_codes_left": selectors.backup_codes_left(user),
            "required": user.organization is not None and user.organization.requires_2fa,
            "password_form": PasswordConfirmForm(user=user, auto_id="backup-codes-%s"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def totp_add(request: HttpRequest) -> HttpResponse:
    """Show a new secret as a QR code and as text; the device is stored once a code from it
    and the password are entered."""
    user = signed_in_user(request)
    key = request.session.get(TOTP_KEY_SESSION)
    if request.method == "GET" or not key:
        key = random_hex(20)
        request.session[TOTP_KEY_SESSION] = key
    form = TotpAddForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_services.totp_device_add(
                user=user,
                key=key,
                name=form.cleaned_data["name"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            del request.session[TOTP_KEY_SESSION]
            device = selectors.user_totp_devices(user).last()
            if device is not None:
                # The code just typed proves the second factor for this session too.
                otp_login(request, device)
            messages.success(request, _("Your authenticator is set up."))
            if codes:
                return render(request, "accounts/backup_codes.html", {"codes": codes})
            return redirect("accounts:two_factor")
    provisioning = totp_provisioning(key=key, email=user.email, qr_title=_("QR code to scan"))
    return render(
        request,
        "accounts/totp_add.html",
        {"form": form, "qr_svg": provisioning.qr_svg, "secret": provisioning.secret},
    )


@login_required
@require_POST
def totp_remove(request: HttpRequest, device_id: int) -> HttpResponse:
    user = signed_in_user(request)
    form = PasswordConfirmForm(request.POST, user=user)
    if form.is_valid():
        try:
            two_factor_services.otp_device_remove(user=user, device_id=device_id)
        except ValidationError as error:
            raise Http404 from error
        messages.success(request, _("The authenticator was removed."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("password", [])))
    return redirect("accounts:two_factor")


@login_required
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PasswordConfirmForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("password", [])))
        return redirect("accounts:two_factor")
    if not selectors.user_totp_devices(user).exists():
        messages.error(request, _("Set up an authenticator first."))
        return redirect("accounts:two_factor")
    codes = two_factor_services.backup_codes_regenerate(user=user)
    return render(request, "accounts/backup_codes.html", {"codes": codes})
