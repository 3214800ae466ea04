"""Compliance: views."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import can_see_customs_dashboard
from compliance import selectors
from compliance.charts import daily_bar_chart
from config.celery import app as celery_app

# --- declarations, scan, flags (issue 6) ---


# --- customs dashboard (issue 7) ---

# Issue 6 builds the flags work queue; the dashboard links into it by path and filters.
FLAGS_QUEUE_PATH = "/customs/flags/"
SCAN_TASK_NAME = "compliance.tasks.declarations_scan"


def _require_dashboard_access(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_see_customs_dashboard(user):
        raise PermissionDenied
    return user


@login_required
@require_GET
def customs_dashboard(request: HttpRequest) -> HttpResponse:
    _require_dashboard_access(request)
    dashboard = selectors.customs_dashboard()
    return render(
        request,
        "customs/dashboard.html",
        {
            "dashboard": dashboard,
            "chart": daily_bar_chart(dashboard.flags_per_day),
            "queue": FLAGS_QUEUE_PATH,
        },
    )


@login_required
@require_POST
def customs_scan_request(request: HttpRequest) -> HttpResponse:
    """Queue the compliance scan (a full rescan when asked) and come back to the dashboard."""
    user = _require_dashboard_access(request)
    full = request.POST.get("full") == "1"
    transaction.on_commit(
        partial(
            celery_app.send_task,
            SCAN_TASK_NAME,
            kwargs={"full": full, "requested_by_id": user.pk},
        )
    )
    if full:
        messages.success(request, _("A full rescan of all declarations is queued."))
    else:
        messages.success(request, _("A scan of the new and changed declarations is queued."))
    return redirect("compliance:customs-dashboard")
