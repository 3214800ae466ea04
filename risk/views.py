"""The risk pages of the customs area: the ranked certificates, brokers and traders with a
chart of each signal, one finding with the declarations behind it, a flag opened from a
finding, and a refresh asked for."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.filters import filtered
from accounts.web import form_submit, require, signed_in_user
from compliance.models import Declaration
from risk.filters import BrokerRiskFilter, RiskFilter, SignerRiskFilter, TraderRiskFilter
from risk.forms import RiskFlagForm
from risk.models import Subject
from risk.permissions import can_read_risk
from risk.selectors import (
    Finding,
    declarations_behind,
    finding_flag,
    finding_get,
    finding_of,
    latest_run,
    risk_charts,
    risk_ranking,
    window_of,
)
from risk.services import risk_flag_open, risk_refresh_request

RANKED_FILTERS: dict[str, type[RiskFilter]] = {
    Subject.SIGNER: SignerRiskFilter,
    Subject.BROKER: BrokerRiskFilter,
    Subject.TRADER: TraderRiskFilter,
}
RANKED_PER_PAGE = 25
DECLARATIONS_PER_PAGE = 50


@login_required
@require_GET
@require(can_read_risk)
def risk_overview(request: HttpRequest) -> HttpResponse:
    subject = request.GET.get("list", Subject.SIGNER)
    if subject not in RANKED_FILTERS:
        subject = Subject.SIGNER
    run = latest_run()
    filters = RANKED_FILTERS[subject](request.GET, queryset=risk_ranking(subject))
    page = Paginator(filtered(filters), RANKED_PER_PAGE).get_page(request.GET.get("page"))
    where = filters.form.cleaned_data if filters.is_valid() else {}
    return render(
        request,
        "risk/overview.html",
        {
            "run": run,
            "subject": subject,
            "subjects": Subject.choices,
            "form": filters.form,
            "page_obj": page,
            "findings": [finding_of(subject, row) for row in page],
            "charts": risk_charts(run, province=where.get("province"), office=where.get("office"))
            if run is not None
            else [],
        },
    )


def _finding_page(
    request: HttpRequest, finding: Finding, *, form: RiskFlagForm, status: int = 200
) -> HttpResponse:
    run = latest_run()
    declarations = (
        declarations_behind(finding, window_of(run))
        if run is not None
        else Declaration.objects.none()
    )
    page = Paginator(declarations, DECLARATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "risk/finding.html",
        {
            "run": run,
            "finding": finding,
            "open_flag": finding_flag(finding),
            "form": form,
            "page_obj": page,
        },
        status=status,
    )


@login_required
@require_GET
@require(can_read_risk)
def risk_finding(request: HttpRequest, subject: str, key: str) -> HttpResponse:
    return _finding_page(request, finding_get(subject, key), form=RiskFlagForm())


@login_required
@require_POST
@require(can_read_risk)
def risk_flag(request: HttpRequest, subject: str, key: str) -> HttpResponse:
    finding = finding_get(subject, key)
    user = signed_in_user(request)
    form = RiskFlagForm(request.POST)
    flag = form_submit(
        request,
        form,
        lambda data: risk_flag_open(finding=finding, note=data["note"], by=user),
    )
    if flag is not None:
        messages.success(request, _("The finding is in the flags work queue."))
        return redirect("compliance:flag_detail", pk=flag.pk)
    return _finding_page(request, finding, form=form, status=400)


@login_required
@require_POST
@require(can_read_risk)
def risk_refresh(request: HttpRequest) -> HttpResponse:
    risk_refresh_request(by=signed_in_user(request))
    messages.success(
        request, _("A refresh of the risk analysis was queued: reload this page in a minute.")
    )
    return redirect("risk:overview")
