"""The login history of a user, or of every account of the organisation for its admin."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import selectors
from accounts.forms import (
    LoginHistoryFilterForm,
)
from accounts.permissions import (
    can_manage_organization,
)
from accounts.web import signed_in_user


@login_required
@require_GET
def login_history(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
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
