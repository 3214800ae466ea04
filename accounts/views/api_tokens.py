"""API tokens for machine clients."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors
from accounts.forms import (
    ApiTokenForm,
)
from accounts.models import ApiToken
from accounts.permissions import (
    can_manage_user,
)
from accounts.services import api_tokens as api_tokens_services
from accounts.views import organization_admin
from accounts.web import form_submit


@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request: HttpRequest) -> HttpResponse:
    admin = organization_admin(request)
    organization = admin.organization
    assert organization is not None
    users = selectors.organization_users(organization).filter(is_active=True)
    form = ApiTokenForm(request.POST or None, users=users, initial={"user": admin.pk})
    second_factor_passed = bool(admin.is_verified())  # type: ignore[attr-defined]
    created = form_submit(
        request,
        form,
        lambda data: api_tokens_services.api_token_create(
            user=data["user"],
            purpose=data["purpose"],
            scope=data["scope"],
            days=data["days"],
            by=admin,
            second_factor_passed=second_factor_passed,
        ),
    )
    raw_key = None
    if created is not None:
        _token, raw_key = created
        form = ApiTokenForm(users=users, initial={"user": admin.pk})
    return render(
        request,
        "accounts/api_token_list.html",
        {
            "tokens": selectors.organization_api_tokens(organization),
            "form": form,
            "raw_key": raw_key,
            "second_factor_passed": second_factor_passed,
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    admin = organization_admin(request)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id)
    if not can_manage_user(admin, token.user):
        raise Http404
    api_tokens_services.api_token_revoke(token=token, by=admin)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:api_token_list")
