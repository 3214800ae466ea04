"""Abuse reports: traders report, customs answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import selectors
from accounts.filters import AbuseReportFilter
from accounts.forms import (
    AbuseAnswerForm,
    AbuseReportForm,
)
from accounts.models import AbuseReport
from accounts.permissions import (
    can_answer_abuse_reports,
    can_read_abuse_report,
    can_report_abuse,
    can_see_abuse_reports,
    is_customs,
)
from accounts.services import abuse_reports as abuse_reports_services
from accounts.web import form_submit, permit, require, signed_in_user


@login_required
@require_GET
@require(can_see_abuse_reports)
def abuse_report_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    # An unknown status is left out, as the menu cannot show it.
    filters = AbuseReportFilter(request.GET, queryset=selectors.abuse_reports_visible_to(user))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/abuse_report_list.html",
        {
            "page_obj": page,
            "form": filters.form,
            "is_customs": is_customs(user),
            "can_report": can_report_abuse(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_report_abuse)
def abuse_report_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = AbuseReportForm(request.POST or None)
    report = form_submit(
        request,
        form,
        lambda data: abuse_reports_services.abuse_report_create(reporter=user, **data),
    )
    if report is not None:
        messages.success(request, _("Your report is sent to customs."))
        return redirect("accounts:abuse_report_detail", report_id=report.pk)
    return render(request, "accounts/abuse_report_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def abuse_report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = signed_in_user(request)
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
        permit(can_answer_abuse_reports, user)
        if form.is_valid():
            abuse_reports_services.abuse_report_answer(report=report, by=user, **form.cleaned_data)
            messages.success(request, _("The answer is saved."))
            return redirect("accounts:abuse_report_detail", report_id=report.pk)
    return render(
        request,
        "accounts/abuse_report_detail.html",
        {"report": report, "form": form, "can_answer": can_answer},
    )
