"""Periodic activity reports: the broker files them; customs confirms or dismisses the
sanctions proposed for those missing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.web import form_submit, messages_from, require, signed_in_user
from licensing import selectors
from licensing.forms import ActivityReportForm, ProposalConfirmForm
from licensing.models import ActivityReport, SanctionProposal
from licensing.permissions import can_apply_as_broker, can_decide_applications
from licensing.reports import report_due_on
from licensing.services import reports as services


@login_required
@require_http_methods(["GET", "POST"])
@require(can_apply_as_broker)
def broker_reports(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    broker = selectors.broker_of_user(user)
    today = timezone.localdate()
    filed = ActivityReport.objects.filter(broker=broker)
    filed_years = set(filed.values_list("year", flat=True))
    years = [
        year
        for year in (today.year - 1, today.year - 2)
        if year >= broker.issued_on.year and year not in filed_years
    ]
    form = ActivityReportForm(request.POST if request.method == "POST" else None, years=years)
    report = form_submit(
        request, form, lambda data: services.activity_report_file(broker=broker, by=user, **data)
    )
    if report is not None:
        messages.success(request, _("Your activity report is filed."))
        return redirect("licensing:reports")
    return render(
        request,
        "licensing/broker_reports.html",
        {
            "broker": broker,
            "form": form if years else None,
            "reports": filed,
            "due": {year: report_due_on(year) for year in years},
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
@require(can_decide_applications)
def proposals(request: HttpRequest) -> HttpResponse:
    pending = SanctionProposal.objects.filter(
        status=SanctionProposal.Status.PROPOSED
    ).select_related("broker__organization")
    year = timezone.localdate().year
    rows = [
        {
            "proposal": proposal,
            "form": ProposalConfirmForm(
                initial={
                    "reason": services.sanction_proposal_reason(proposal),
                    "decision_number": f"{proposal.pk}/{year}/QĐ-HQ",
                },
                prefix=f"p{proposal.pk}",
            ),
        }
        for proposal in pending
    ]
    return render(request, "licensing/customs_proposals.html", {"rows": rows})


@login_required
@require_POST
@require(can_decide_applications)
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(SanctionProposal, pk=pk)
    user = signed_in_user(request)
    try:
        if "dismiss" in request.POST:
            services.sanction_proposal_dismiss(proposal=proposal, by=user)
            messages.success(request, _("The proposal is dismissed."))
            return redirect("licensing:proposals")
        form = ProposalConfirmForm(request.POST, prefix=f"p{proposal.pk}")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect("licensing:proposals")
        services.sanction_proposal_confirm(proposal=proposal, by=user, **form.cleaned_data)
    except ValidationError as error:
        messages_from(request, error)
        return redirect("licensing:proposals")
    messages.success(request, _("The sanction is imposed."))
    return redirect("customs:broker", license_number=proposal.broker.license_number)
