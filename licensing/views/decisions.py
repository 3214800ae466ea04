"""Customs' side of the applications: the queue with the working days left, one
application with its requests and decision."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.web import form_errors_from, messages_from, require, signed_in_user
from licensing import selectors
from licensing.deadlines import decision_due, working_days_left
from licensing.forms import (
    AgentCodeApproveForm,
    InfoRequestForm,
    RecognitionApproveForm,
    RefuseForm,
    RenewalApproveForm,
)
from licensing.kinds import AnyApplication
from licensing.models import (
    OPEN_STATUSES,
    AgentCodeApplication,
    LicenceRenewal,
    RecognitionApplication,
)
from licensing.permissions import can_decide_applications
from licensing.services import applications as services

# A licence is renewed for five years, an agent code for three, unless the officer says
# otherwise.
LICENCE_YEARS = 5
AGENT_CODE_YEARS = 3


def _years_after(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


ApproveForm = RecognitionApproveForm | RenewalApproveForm | AgentCodeApproveForm


def _approve_form(application: AnyApplication, data: dict[str, str] | None = None) -> ApproveForm:
    today = timezone.localdate()
    if isinstance(application, RecognitionApplication):
        return RecognitionApproveForm(
            data,
            initial={
                "license_number": selectors.licence_number_suggested(on=today),
                "valid_until": _years_after(today, LICENCE_YEARS),
            },
        )
    if isinstance(application, LicenceRenewal):
        start = max(application.broker.valid_until, today)
        return RenewalApproveForm(data, initial={"valid_until": _years_after(start, LICENCE_YEARS)})
    start = today
    if application.kind == AgentCodeApplication.Kind.RENEWAL and application.agent:
        start = max(application.agent.valid_until, today)
    return AgentCodeApproveForm(
        data,
        initial={
            "valid_until": _years_after(start, AGENT_CODE_YEARS),
            "agent_code": application.agent.agent_code if application.agent else "",
        },
    )


def _page(
    request: HttpRequest,
    application: AnyApplication,
    kind: str,
    *,
    info_form: InfoRequestForm | None = None,
    refuse_form: RefuseForm | None = None,
    approve_form: ApproveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    open_ = application.status in OPEN_STATUSES
    complete_on = application.complete_on
    return render(
        request,
        "licensing/customs_application.html",
        {
            "application": application,
            "kind": kind,
            "customs": True,
            "open": open_,
            "due": decision_due(complete_on) if complete_on and open_ else None,
            "days_left": working_days_left(complete_on, today) if complete_on and open_ else None,
            "info_form": info_form or InfoRequestForm(),
            "refuse_form": refuse_form or RefuseForm(),
            "approve_form": approve_form or _approve_form(application),
        },
        status=status,
    )


@login_required
@require_GET
@require(can_decide_applications)
def application_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "licensing/customs_queue.html",
        {"entries": selectors.customs_application_queue()},
    )


@login_required
@require_GET
@require(can_decide_applications)
def customs_application(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _page(request, selectors.application_get(kind, pk), kind)


def _refused(request: HttpRequest, form: forms.Form, error: ValidationError) -> None:
    """A refusal about a field goes on the form; one about the application (decided
    meanwhile) above the page, since a decided application shows no form."""
    if hasattr(error, "error_dict"):
        form_errors_from(form, error)
    else:
        messages_from(request, error)


def _done(request: HttpRequest, kind: str, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("licensing:customs-application", kind=kind, pk=pk)


@login_required
@require_POST
@require(can_decide_applications)
def info_request(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    application = selectors.application_get(kind, pk)
    form = InfoRequestForm(request.POST)
    if form.is_valid():
        try:
            services.application_info_request(
                application=application,
                message=form.cleaned_data["message"],
                by=signed_in_user(request),
            )
            return _done(request, kind, pk, _("The request is sent to the applicant."))
        except ValidationError as error:
            _refused(request, form, error)
    return _page(request, application, kind, info_form=form, status=400)


@login_required
@require_POST
@require(can_decide_applications)
def refuse(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    application = selectors.application_get(kind, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.application_refuse(
                application=application,
                reason=form.cleaned_data["reason"],
                by=signed_in_user(request),
            )
            return _done(request, kind, pk, _("The application is refused."))
        except ValidationError as error:
            _refused(request, form, error)
    return _page(request, application, kind, refuse_form=form, status=400)


@login_required
@require_POST
@require(can_decide_applications)
def approve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    application = selectors.application_get(kind, pk)
    user = signed_in_user(request)
    form = _approve_form(application, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if isinstance(application, RecognitionApplication):
                services.recognition_approve(
                    application=application,
                    license_number=data["license_number"],
                    valid_until=data["valid_until"],
                    by=user,
                )
            elif isinstance(application, LicenceRenewal):
                services.licence_renewal_approve(
                    renewal=application, valid_until=data["valid_until"], by=user
                )
            else:
                services.agent_code_approve(
                    application=application,
                    agent_code=data.get("agent_code", ""),
                    valid_until=data["valid_until"],
                    by=user,
                )
            return _done(request, kind, pk, _("The application is approved."))
        except ValidationError as error:
            _refused(request, form, error)
    return _page(request, application, kind, approve_form=form, status=400)
