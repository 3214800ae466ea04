"""An organisation admin's pages: security policy and users; the invitation link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import (
    InvitationAcceptForm,
    InvitationForm,
    RoleForm,
    SecurityPolicyForm,
)
from accounts.models import User
from accounts.permissions import (
    can_manage_user,
)
from accounts.services import staff as staff_services
from accounts.views import organization_admin
from accounts.web import form_errors_from, messages_from


@login_required
@require_http_methods(["GET", "POST"])
def security_policy(request: HttpRequest) -> HttpResponse:
    user = organization_admin(request)
    organization = user.organization
    assert organization is not None
    form = SecurityPolicyForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_security_policy_update(
            organization=organization,
            require_2fa=form.cleaned_data["require_2fa"],
            require_phishing_resistant=form.cleaned_data["require_phishing_resistant"],
            password_max_age_days=form.cleaned_data["password_max_age_days"],
            require_verified_contract_signatures=form.cleaned_data.get(
                "require_verified_contract_signatures", False
            ),
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
    user = organization_admin(request)
    organization = user.organization
    assert organization is not None
    users = selectors.organization_users(organization)
    factors = selectors.users_second_factors(users)
    return render(
        request,
        "accounts/staff_list.html",
        {
            # Each user's role menu, with ids of its own on the one page, and second factors.
            "members": [
                (
                    member,
                    RoleForm(initial={"role": member.role}, auto_id=f"user-{member.pk}-%s"),
                    factors.get(member.pk, selectors.SecondFactors()),
                )
                for member in users
            ],
            "passkey_required": organization.require_phishing_resistant,
            "required": organization.requires_2fa,
            "invitations": selectors.pending_invitations(organization),
            "invite_form": InvitationForm(),
        },
    )


@login_required
@require_POST
def staff_invite(request: HttpRequest) -> HttpResponse:
    user = organization_admin(request)
    assert user.organization is not None
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            staff_services.invitation_create(
                organization=user.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
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
    admin = organization_admin(request)
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
        staff_services.user_role_set(user=other, role=form.cleaned_data["role"], by=admin)
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, _("The role of %(user)s is changed.") % {"user": other.email})
    return redirect("accounts:staff_list")


@login_required
@require_POST
def staff_active(request: HttpRequest, user_id: int) -> HttpResponse:
    admin, other = _managed_user(request, user_id)
    active = request.POST.get("active") == "1"
    try:
        staff_services.user_active_set(user=other, active=active, by=admin)
    except ValidationError as error:
        messages_from(request, error)
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
    staff_services.user_2fa_reset(user=other, by=admin)
    messages.success(
        request,
        _("The two-factor authentication of %(user)s is reset.") % {"user": other.email},
    )
    return redirect("accounts:staff_list")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, key: str) -> HttpResponse:
    invitation = staff_services.invitation_find(raw_key=key)
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            # The password validators' refusals name no field.
            form_errors_from(form, error, field="password1")
        else:
            messages.success(request, _("Your account is ready: sign in with your password."))
            return redirect("account_login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
