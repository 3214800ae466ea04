"""The audit log as customs and an organisation's admin read it."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.api.throttling import ClientAnonRateThrottle
from accounts.filters import AuditFilter, filtered
from accounts.permissions import can_read_audit_log
from accounts.selectors import audit_entries_visible_to
from accounts.web import rate_limited, require, signed_in_user
from audit.models import AuditCheckpoint


@login_required
@require_GET
@require(can_read_audit_log)
def audit_log(request: HttpRequest) -> HttpResponse:
    filters = AuditFilter(
        request.GET or None, queryset=audit_entries_visible_to(signed_in_user(request))
    )
    page = Paginator(filtered(filters), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": filters.form, "page_obj": page})


@require_GET
@rate_limited(ClientAnonRateThrottle)
def audit_checkpoints(request: HttpRequest) -> HttpResponse:
    """The published daily heads of the audit chain, for anyone to keep a copy of."""
    page = Paginator(AuditCheckpoint.objects.order_by("-date"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "audit/checkpoints.html", {"page_obj": page})
