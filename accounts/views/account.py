"""The account overview: links to everything a user may do here."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import selectors
from accounts.permissions import (
    can_manage_organization,
    can_read_certificates,
    can_report_abuse,
    can_see_abuse_reports,
)
from accounts.web import signed_in_user


@login_required
@require_GET
def account_overview(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    factors = selectors.user_second_factors(user)
    return render(
        request,
        "accounts/overview.html",
        {
            "is_org_admin": can_manage_organization(user, user.organization),
            "can_report_abuse": can_report_abuse(user),
            "can_read_certificates": can_read_certificates(user, user.organization),
            "sees_abuse_reports": can_see_abuse_reports(user),
            "has_2fa": bool(factors.authenticators or factors.passkeys),
        },
    )
