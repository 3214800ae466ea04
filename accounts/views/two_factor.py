"""The second sign-in step and the management of authenticators and backup codes; the
passkeys' own actions are in ``accounts.views.passkeys``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from accounts import selectors
from accounts.client import client_ip, client_user_agent
from accounts.forms import (
    OtpVerifyForm,
    PasskeyNameForm,
    PasswordConfirmForm,
    TotpAddForm,
)
from accounts.models import User
from accounts.security import SET_UP, passkey_required, second_factor_step
from accounts.services import two_factor as two_factor_services
from accounts.two_factor import totp_provisioning
from accounts.web import form_errors_from, messages_from, signed_in_user

TOTP_KEY_SESSION = "accounts_new_totp_key"
# The backup codes just made, for their download and print view until the user leaves
# the page that shows them (django-otp keeps them readable in its table anyway).
BACKUP_CODES_SESSION = "accounts_new_backup_codes"


def _next_url(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return reverse("home")
    return next_url


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a passkey, a code from the authenticator or a backup
    code; under the passkey policy, a user who has a passkey must use it."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    user = signed_in_user(request)
    next_url = _next_url(request)
    step = second_factor_step(user)
    if step is None:
        return HttpResponseRedirect(next_url)
    if step == SET_UP:
        return redirect("accounts:two_factor")
    has_passkey = selectors.user_passkeys(user).exists()
    codes_accepted = not (has_passkey and passkey_required(user))
    form: OtpVerifyForm | None = OtpVerifyForm(request.POST or None)
    if not codes_accepted:
        if request.method == "POST":
            messages.error(request, _("Your organisation accepts only a passkey: use it below."))
        form = None
    elif form is not None and form.is_valid():
        check = two_factor_services.otp_token_check(
            user=user,
            token=form.cleaned_data["token"],
            ip_address=client_ip(request),
            user_agent=client_user_agent(request),
        )
        if check.device is not None:
            otp_login(request, check.device)
            return HttpResponseRedirect(next_url)
        if check.wait_seconds:
            form.add_error(
                "token",
                ngettext(
                    "Too many wrong codes from here. Wait %(seconds)d second, then type "
                    "the code again: it was not checked.",
                    "Too many wrong codes from here. Wait %(seconds)d seconds, then type "
                    "the code again: it was not checked.",
                    check.wait_seconds,
                )
                % {"seconds": check.wait_seconds},
            )
        else:
            form.add_error("token", _("The code is not right, or was already used."))
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "next": next_url,
            "has_passkey": has_passkey,
            "passkey_required": passkey_required(user),
        },
    )


@login_required
@require_GET
def two_factor(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    # The user has left the page that showed the new backup codes.
    request.session.pop(BACKUP_CODES_SESSION, None)
    organization = user.organization
    passkeys = list(selectors.user_passkeys(user))
    return render(
        request,
        "accounts/two_factor.html",
        {
            # Removing each passkey or authenticator asks for the password in a form of its own.
            "passkeys": [
                (passkey, PasswordConfirmForm(user=user, auto_id=f"passkey-{passkey.pk}-%s"))
                for passkey in passkeys
            ],
            "devices": [
                (device, PasswordConfirmForm(user=user, auto_id=f"device-{device.pk}-%s"))
                for device in selectors.user_totp_devices(user)
            ],
            "backup_codes_left": selectors.backup_codes_left(user),
            "required": organization is not None and organization.requires_2fa,
            "passkey_required": passkey_required(user),
            "must_enrol": second_factor_step(user) == SET_UP,
            "password_form": PasswordConfirmForm(user=user, auto_id="backup-codes-%s"),
            "passkey_form": PasskeyNameForm(),
        },
    )


def backup_codes_show(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """The page that shows new backup codes once, with their download and print view."""
    request.session[BACKUP_CODES_SESSION] = codes
    return render(request, "accounts/backup_codes.html", {"codes": codes})


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
            if device is not None and not user.is_verified():  # type: ignore[attr-defined]
                # The code just typed proves the second factor for this session too (a
                # session verified already keeps its device: it may be a passkey).
                otp_login(request, device)
            messages.success(request, _("Your authenticator is set up."))
            if codes:
                return backup_codes_show(request, codes)
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
    device = get_object_or_404(selectors.user_totp_devices(user), pk=device_id)
    device_remove_with_password(request, user, device, _("The authenticator was removed."))
    return redirect("accounts:two_factor")


def device_remove_with_password(
    request: HttpRequest, user: User, device: TOTPDevice | WebAuthnCredential, done: str
) -> None:
    """Remove an authenticator or a passkey once the password is typed again."""
    form = PasswordConfirmForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("password", [])))
        return
    try:
        two_factor_services.second_factor_remove(user=user, device=device)
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, done)


@login_required
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PasswordConfirmForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("password", [])))
        return redirect("accounts:two_factor")
    factors = selectors.user_second_factors(user)
    if not factors.authenticators and not factors.passkeys:
        messages.error(request, _("Set up a passkey or an authenticator first."))
        return redirect("accounts:two_factor")
    codes = two_factor_services.backup_codes_regenerate(user=user)
    return backup_codes_show(request, codes)


def _new_backup_codes(request: HttpRequest) -> list[str] | None:
    codes = request.session.get(BACKUP_CODES_SESSION)
    if not codes:
        messages.error(
            request,
            _(
                "Backup codes can be downloaded or printed only right after they are made: "
                "make new ones."
            ),
        )
        return None
    return list(codes)


@login_required
@require_GET
def backup_codes_download(request: HttpRequest) -> HttpResponse:
    """The new backup codes as a text file."""
    user = signed_in_user(request)
    codes = _new_backup_codes(request)
    if codes is None:
        return redirect("accounts:two_factor")
    text = render_to_string(
        "accounts/backup_codes.txt", {"codes": codes, "user": user, "made_at": timezone.now()}
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="backup-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def backup_codes_print(request: HttpRequest) -> HttpResponse:
    """The new backup codes on a page of their own, to print."""
    user = signed_in_user(request)
    codes = _new_backup_codes(request)
    if codes is None:
        return redirect("accounts:two_factor")
    response = render(
        request,
        "accounts/backup_codes_print.html",
        {"codes": codes, "account": user, "made_at": timezone.now()},
    )
    response["Cache-Control"] = "no-store"
    return response
