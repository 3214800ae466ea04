"""Account and security pages: 2FA, login history, staff, certificates, abuse reports and
API tokens. Each view fetches, checks permissions.py, validates a form and calls a service."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.util import random_hex

from accounts import selectors, services
from accounts.client import client_ip, client_user_agent
from accounts.forms import (
    AbuseAnswerForm,
    AbuseReportForm,
    ApiTokenForm,
    CertificateUploadForm,
    InvitationAcceptForm,
    InvitationForm,
    LoginHistoryFilterForm,
    OtpVerifyForm,
    PasswordConfirmForm,
    RoleForm,
    SecurityPolicyForm,
    TotpAddForm,
)
from accounts.models import AbuseReport, ApiToken, SigningCertificate, User
from accounts.permissions import (
    can_answer_abuse_reports,
    can_manage_organization,
    can_manage_user,
    can_read_abuse_report,
    can_read_certificates,
    can_report_abuse,
    is_customs,
)
from accounts.two_factor import totp_provisioning

TOTP_KEY_SESSION = "accounts_new_totp_key"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _organization_admin(request: HttpRequest) -> User:
    user = _user(request)
    if not can_manage_organization(user, user.organization):
        raise PermissionDenied
    return user


@login_required
@require_GET
def account_overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/overview.html",
        {
            "is_org_admin": can_manage_organization(user, user.organization),
            "can_report_abuse": can_report_abuse(user),
            "sees_abuse_reports": can_report_abuse(user) or can_answer_abuse_reports(user),
            "has_2fa": selectors.user_totp_devices(user).exists(),
        },
    )


# Two-factor authentication


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator or a backup code."""
    user = request.user
    if not isinstance(user, User):
        return redirect("account_login")
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(next_url)
    form = OtpVerifyForm(request.POST or None)
    if form.is_valid():
        device = services.otp_token_check(
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
    user = _user(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "devices": selectors.user_totp_devices(user),
            "backup_codes_left": selectors.backup_codes_left(user),
            "required": user.organization is not None and user.organization.requires_2fa,
            "password_form": PasswordConfirmForm(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def totp_add(request: HttpRequest) -> HttpResponse:
    """Show a new secret as a QR code and as text; the device is stored once a code from it
    and the password are entered."""
    user = _user(request)
    key = request.session.get(TOTP_KEY_SESSION)
    if request.method == "GET" or not key:
        key = random_hex(20)
        request.session[TOTP_KEY_SESSION] = key
    form = TotpAddForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_add(
                user=user,
                key=key,
                name=form.cleaned_data["name"],
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            _form_errors(form, error)
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
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.otp_device_remove(user=user, device_id=device_id)
        except ValidationError as error:
            raise Http404 from error
        messages.success(request, _("The authenticator was removed."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("password", [])))
    return redirect("accounts:two_factor")


@login_required
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("password", [])))
        return redirect("accounts:two_factor")
    if not selectors.user_totp_devices(user).exists():
        messages.error(request, _("Set up an authenticator first."))
        return redirect("accounts:two_factor")
    codes = services.backup_codes_regenerate(user=user)
    return render(request, "accounts/backup_codes.html", {"codes": codes})


# Login history


@login_required
@require_GET
def login_history(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    is_admin = can_manage_organization(user, user.organization)
    users = (
        selectors.organization_users(user.organization) if is_admin and user.organization else None
    )
    form = LoginHistoryFilterForm(request.GET or None, users=users)
    filters: dict[str, Any] = {}
    if form.is_valid():
        chosen = form.cleaned_data.get("user")
        filters = {"user_id": chosen.pk if chosen else None, "kind": form.cleaned_data["kind"]}
    events = selectors.login_events_visible_to(user, **filters)
    if form.is_bound and not form.is_valid():
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/login_history.html",
        {"form": form, "page_obj": page, "is_admin": is_admin},
    )


# Organisation: security policy and staff


@login_required
@require_http_methods(["GET", "POST"])
def security_policy(request: HttpRequest) -> HttpResponse:
    user = _organization_admin(request)
    organization = user.organization
    assert organization is not None
    form = SecurityPolicyForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_security_policy_update(
            organization=organization,
            require_2fa=form.cleaned_data["require_2fa"],
            password_max_age_days=form.cleaned_data["password_max_age_days"],
            by=user,
        )
        messages.success(request, _("The security policy is saved."))
        return redirect("accounts:security_policy")
    return render(
        request,
        "accounts/security_policy.html",
        {"form": form, "organization": organization},
    )


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    user = _organization_admin(request)
    organization = user.organization
    assert organization is not None
    users = selectors.organization_users(organization)
    return render(
        request,
        "accounts/staff_list.html",
        {
            "users": users,
            "with_2fa": selectors.users_with_2fa(users),
            "invitations": selectors.pending_invitations(organization),
            "invite_form": InvitationForm(),
            "roles": User.Role.choices,
        },
    )


@login_required
@require_POST
def staff_invite(request: HttpRequest) -> HttpResponse:
    user = _organization_admin(request)
    assert user.organization is not None
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organization=user.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=user,
            )
        except ValidationError as error:
            _form_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    else:
        messages.success(
            request,
            _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
    return redirect("accounts:staff_list")


def _managed_user(request: HttpRequest, user_id: int) -> tuple[User, User]:
    admin = _organization_admin(request)
    other = get_object_or_404(User, pk=user_id)
    if not can_manage_user(admin, other):
        raise Http404
    return admin, other


@login_required
@require_POST
def staff_role(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, other = _managed_user(request, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("accounts:staff_list")
    try:
        services.user_role_set(user=other, role=form.cleaned_data["role"], by=admin)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role of %(user)s is changed.") % {"user": other.email})
    return redirect("accounts:staff_list")


@login_required
@require_POST
def staff_active(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, other = _managed_user(request, user_id)
    active = request.POST.get("active") == "1"
    try:
        services.user_active_set(user=other, active=active, by=admin)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = (
            _("%(user)s is active again.")
            if active
            else _("%(user)s is deactivated and signed out everywhere.")
        )
        messages.success(request, text % {"user": other.email})
    return redirect("accounts:staff_list")


@login_required
@require_POST
def staff_2fa_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, other = _managed_user(request, user_id)
    services.user_2fa_reset(user=other, by=admin)
    messages.success(
        request,
        _("The two-factor authentication of %(user)s is reset.") % {"user": other.email},
    )
    return redirect("accounts:staff_list")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, key: str) -> HttpResponse:
    invitation = services.invitation_find(raw_key=key)
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _form_errors(form, error)
            else:
                form.add_error("password1", error)
        else:
            messages.success(request, _("Your account is ready: sign in with your password."))
            return redirect("account_login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# Signing certificates


@login_required
@require_http_methods(["GET", "POST"])
def certificate_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organization = user.organization
    if organization is None or not can_read_certificates(user, organization):
        raise PermissionDenied
    can_manage = can_manage_organization(user, organization)
    form = CertificateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                certificate = services.certificate_register(
                    organization=organization, content=upload.read(65 * 1024), by=user
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(
                    request,
                    _("Certificate %(serial)s is registered.")
                    % {"serial": certificate.serial_number},
                )
                return redirect("accounts:certificate_list")
    return render(
        request,
        "accounts/certificate_list.html",
        {
            "certificates": selectors.organization_certificates(organization),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = _user(request)
    certificate = get_object_or_404(SigningCertificate, pk=certificate_id)
    if not can_read_certificates(user, certificate.organization):
        raise Http404
    if not can_manage_organization(user, certificate.organization):
        raise PermissionDenied
    try:
        services.certificate_revoke(certificate=certificate, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate is marked revoked."))
    return redirect("accounts:certificate_list")


# Abuse reports


@login_required
@require_GET
def abuse_report_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (can_report_abuse(user) or can_answer_abuse_reports(user)):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in AbuseReport.Status.values:
        status = ""
    reports = selectors.abuse_reports_visible_to(user, status=status)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/abuse_report_list.html",
        {
            "page_obj": page,
            "statuses": AbuseReport.Status.choices,
            "status": status,
            "is_customs": is_customs(user),
            "can_report": can_report_abuse(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def abuse_report_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_report_abuse(user):
        raise PermissionDenied
    form = AbuseReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.abuse_report_create(reporter=user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your report is sent to customs."))
            return redirect("accounts:abuse_report_detail", report_id=report.pk)
    return render(request, "accounts/abuse_report_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def abuse_report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _user(request)
    report = get_object_or_404(
        AbuseReport.objects.select_related("organization", "reporter", "answered_by"),
        pk=report_id,
    )
    if not can_read_abuse_report(user, report):
        raise Http404
    can_answer = can_answer_abuse_reports(user)
    form = AbuseAnswerForm(
        request.POST or None, initial={"status": report.status, "answer": report.answer}
    )
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            services.abuse_report_answer(report=report, by=user, **form.cleaned_data)
            messages.success(request, _("The answer is saved."))
            return redirect("accounts:abuse_report_detail", report_id=report.pk)
    return render(
        request,
        "accounts/abuse_report_detail.html",
        {"report": report, "form": form, "can_answer": can_answer},
    )


# API tokens


@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request: HttpRequest) -> HttpResponse:
    admin = _organization_admin(request)
    organization = admin.organization
    assert organization is not None
    users = selectors.organization_users(organization).filter(is_active=True)
    form = ApiTokenForm(request.POST or None, users=users, initial={"user": admin.pk})
    raw_key = None
    if request.method == "POST" and form.is_valid():
        _token, raw_key = services.api_token_create(
            user=form.cleaned_data["user"], purpose=form.cleaned_data["purpose"], by=admin
        )
        form = ApiTokenForm(users=users, initial={"user": admin.pk})
    return render(
        request,
        "accounts/api_token_list.html",
        {
            "tokens": selectors.organization_api_tokens(organization),
            "form": form,
            "raw_key": raw_key,
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    admin = _organization_admin(request)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id)
    if not can_manage_user(admin, token.user):
        raise Http404
    services.api_token_revoke(token=token, by=admin)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:api_token_list")
