"""The broker's side of its applications: its licence and agents, a renewal of the licence,
agent codes, and one application with its answer to customs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.response import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from accounts.web import form_submit, require, signed_in_user
from brokers.models import BrokerAgent
from licensing import selectors
from licensing.forms import (
    AgentCodeApplyForm,
    InfoAnswerForm,
    RecognitionApplyForm,
    RenewalApplyForm,
)
from licensing.kinds import AnyApplication, application_kind
from licensing.models import AgentCodeApplication, ApplicationStatus, RecognitionApplication
from licensing.permissions import (
    can_apply_as_broker,
    can_apply_for_recognition,
    can_read_application,
    is_applicant,
)
from licensing.services import applications as services

private_download = cache_control(private=True, no_store=True)


def _to_application(application: AnyApplication) -> HttpResponse:
    return redirect("licensing:application", kind=application_kind(application), pk=application.pk)


@login_required
@require_GET
@require(can_apply_as_broker)
def broker_licensing(request: HttpRequest) -> HttpResponse:
    """The broker's licence, its agents and its applications."""
    broker = selectors.broker_of_user(signed_in_user(request))
    today = timezone.localdate()
    return render(
        request,
        "licensing/broker_licensing.html",
        {
            "broker": broker,
            "renewable": services.licence_renewable(broker, on=today),
            "agents": broker.agents.filter(status=BrokerAgent.Status.ACTIVE),
            "applications": [
                {"application": a, "kind": application_kind(a)}
                for a in selectors.broker_applications(broker)
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_apply_as_broker)
def renewal_apply(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    broker = selectors.broker_of_user(user)
    form = RenewalApplyForm(request.POST if request.method == "POST" else None)
    renewal = form_submit(
        request,
        form,
        lambda data: services.licence_renewal_apply(broker=broker, note=data["note"], by=user),
    )
    if renewal is not None:
        messages.success(request, _("Your application is sent to customs."))
        return _to_application(renewal)
    status = 400 if form.is_bound else 200
    return render(
        request, "licensing/renewal_apply.html", {"broker": broker, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_apply_as_broker)
def agent_code_apply(request: HttpRequest) -> HttpResponse:
    """A new agent code, or (``?agent=<code>``) the renewal of one of the broker's agents."""
    user = signed_in_user(request)
    broker = selectors.broker_of_user(user)
    agent = None
    if "agent" in request.GET:
        agent = broker.agents.filter(agent_code=request.GET["agent"][:32]).first()
        if agent is None:
            raise Http404(_("No agent of yours holds this code."))
    form = AgentCodeApplyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        renewal=agent is not None,
    )
    application = form_submit(
        request,
        form,
        lambda data: services.agent_code_apply(
            broker=broker,
            agent=agent,
            full_name=data.get("full_name", ""),
            id_number=data["id_number"],
            certificate_number=data["certificate_number"],
            certificate_date=data["certificate_date"],
            proof=data["proof"],
            by=user,
        ),
    )
    if application is not None:
        messages.success(request, _("Your application is sent to customs."))
        return _to_application(application)
    return render(
        request,
        "licensing/agent_code_apply.html",
        {"broker": broker, "agent": agent, "form": form},
        status=400 if form.is_bound else 200,
    )


def _readable(request: HttpRequest, kind: str, pk: int) -> AnyApplication:
    """An application the signed-in user may read; another organisation's is a 404."""
    application = selectors.application_get(kind, pk)
    if not can_read_application(signed_in_user(request), application):
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "POST"])
@require(can_apply_for_recognition)
def recognition_apply(request: HttpRequest) -> HttpResponse:
    """A company applies to be recognised as a customs broker, and sees its applications."""
    user = signed_in_user(request)
    organization = user.organization
    assert organization is not None
    posted = request.method == "POST"
    form = RecognitionApplyForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={
            "name": organization.name,
            "address": organization.address,
            "province": organization.province,
            "phone": organization.phone,
            "email": organization.email,
        },
    )
    application = form_submit(
        request,
        form,
        lambda data: services.recognition_apply(organization=organization, by=user, **data),
    )
    if application is not None:
        messages.success(request, _("Your application is sent to customs."))
        return _to_application(application)
    return render(
        request,
        "licensing/recognition_apply.html",
        {"form": form, "applications": selectors.organization_recognitions(organization)},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One application as its applicant follows it, with the answer to a request."""
    application = selectors.application_get(kind, pk)
    user = signed_in_user(request)
    if not is_applicant(user, application):
        raise Http404
    form = InfoAnswerForm(request.POST if request.method == "POST" else None)
    answered = form_submit(
        request,
        form,
        lambda data: services.application_info_answer(
            application=application, answer=data["answer"], by=user
        ),
    )
    if answered is not None:
        messages.success(request, _("Your answer is sent to customs."))
        return _to_application(answered)
    return render(
        request,
        "licensing/application_detail.html",
        {
            "application": application,
            "kind": kind,
            "form": form if application.status == ApplicationStatus.INFO_REQUESTED else None,
            "customs": False,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
@private_download
def application_proof(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """The PDF of an application (an agent's proof, a business registration), to the
    applicant and customs only."""
    application = _readable(request, kind, pk)
    if isinstance(application, AgentCodeApplication):
        document = application.proof
    elif isinstance(application, RecognitionApplication):
        document = application.business_registration
    else:
        raise Http404
    return FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=f"{kind}-application-{application.pk}.pdf",
        content_type="application/pdf",
    )
