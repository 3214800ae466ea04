"""The customs area's pages on brokers: the list, one broker with its sanctions and agents,
and the actions on them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import CertificateUploadForm
from accounts.models import TrustedCertificate
from accounts.permissions import can_administer_brokers, can_manage_trust_list
from accounts.services.certificates import trusted_certificate_add, trusted_certificate_remove
from accounts.web import form_errors_from, form_submit, messages_from, require, signed_in_user
from brokers.filters import BrokerFilter
from brokers.models import BrokerStatus, Sanction
from brokers.status import agent_withdrawable, broker_sanctionable, sanction_effective_on
from contracts.selectors import (
    agent_live_letters_count,
    agents_live_letters,
    broker_sanction_consequences,
)
from customs import forms, selectors, services


@login_required
@require_GET
@require(can_administer_brokers)
def broker_list(request: HttpRequest) -> HttpResponse:
    filters = BrokerFilter(request.GET, queryset=selectors.customs_broker_list())
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(request, "customs/broker_list.html", {"page_obj": page, "form": filters.form})


@login_required
@require_GET
@require(can_administer_brokers)
def broker_detail(request: HttpRequest, license_number: str) -> HttpResponse:
    broker = selectors.customs_broker_get(license_number)
    today = timezone.localdate()
    live_letters = agents_live_letters(broker, on=today)
    # While the broker is sanctioned, no letter to its agents verifies: the letters otherwise
    # in force are held, and verify again once the sanction is lifted or ends.
    active = broker.status == BrokerStatus.ACTIVE  # type: ignore[attr-defined]
    agents = [
        {
            "agent": agent,
            "live_letters": live_letters.get(agent.pk, 0) if active else 0,
            "held_letters": 0 if active else live_letters.get(agent.pk, 0),
            "withdrawable": agent_withdrawable(agent),
        }
        for agent in broker.agents.all()
    ]
    return render(
        request,
        "customs/broker_detail.html",
        {
            "broker": broker,
            "status": broker.status,  # type: ignore[attr-defined]
            "can_sanction": broker_sanctionable(broker.status),  # type: ignore[attr-defined]
            "agents": agents,
            "consequences": broker_sanction_consequences(broker, on=today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_administer_brokers)
def sanction_impose(request: HttpRequest, license_number: str) -> HttpResponse:
    """Two steps: the officer fills in the decision, then confirms it after seeing how
    many traders and letters it touches."""
    broker = selectors.customs_broker_get(license_number)
    if request.method == "GET":
        kind = request.GET.get("kind", Sanction.Kind.SUSPENSION)
        form = forms.SanctionForm(initial={"kind": kind, "starts_on": timezone.localdate()})
        return render(request, "customs/sanction_form.html", {"broker": broker, "form": form})
    form = forms.SanctionForm(request.POST)
    if not form.is_valid():
        return render(request, "customs/sanction_form.html", {"broker": broker, "form": form})
    data = form.cleaned_data
    if "confirm" not in request.POST:
        effective = sanction_effective_on(data["starts_on"])
        return render(
            request,
            "customs/sanction_confirm.html",
            {
                "broker": broker,
                "form": form,
                "data": data,
                "kind_label": Sanction.Kind(data["kind"]).label,
                "effective": effective,
                "consequences": broker_sanction_consequences(broker, on=effective),
            },
        )
    try:
        sanction = services.sanction_impose(broker=broker, by=signed_in_user(request), **data)
    except ValidationError as error:
        form_errors_from(form, error)
        return render(request, "customs/sanction_form.html", {"broker": broker, "form": form})
    if sanction.kind == Sanction.Kind.REVOCATION:
        messages.success(request, _("The broker's licence is revoked."))
    else:
        messages.success(request, _("The broker is suspended."))
    return redirect("customs:broker", license_number=broker.license_number)


@login_required
@require_http_methods(["GET", "POST"])
@require(can_administer_brokers)
def sanction_lift(request: HttpRequest, license_number: str, sanction_id: int) -> HttpResponse:
    broker = selectors.customs_broker_get(license_number)
    sanction = selectors.customs_sanction_get(broker, sanction_id)
    form = forms.SanctionLiftForm(request.POST or None, initial={"lifted_on": timezone.localdate()})
    lifted = form_submit(
        request,
        form,
        lambda data: services.sanction_lift(
            sanction=sanction,
            reason=data["reason"],
            lifted_on=data["lifted_on"],
            by=signed_in_user(request),
        ),
    )
    if lifted is not None:
        messages.success(request, _("The sanction is lifted."))
        return redirect("customs:broker", license_number=broker.license_number)
    return render(
        request,
        "customs/sanction_lift.html",
        {
            "broker": broker,
            "sanction": sanction,
            "form": form,
            "consequences": broker_sanction_consequences(broker),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_administer_brokers)
def agent_withdraw(request: HttpRequest, license_number: str, agent_code: str) -> HttpResponse:
    broker = selectors.customs_broker_get(license_number)
    agent = selectors.customs_agent_get(broker, agent_code)
    form = forms.AgentWithdrawForm(request.POST or None)
    withdrawn = form_submit(
        request,
        form,
        lambda data: services.agent_withdraw(
            agent=agent, reason=data["reason"], by=signed_in_user(request)
        ),
    )
    if withdrawn is not None:
        messages.success(request, _("The agent's code is withdrawn."))
        return redirect("customs:broker", license_number=broker.license_number)
    return render(
        request,
        "customs/agent_withdraw.html",
        {
            "broker": broker,
            "agent": agent,
            "form": form,
            "live_letters": agent_live_letters_count(agent),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_manage_trust_list)
def trust_list(request: HttpRequest) -> HttpResponse:
    """The CA certificates a signature must chain to; an officer adds one from a file."""
    user = signed_in_user(request)
    form = CertificateUploadForm(request.POST or None, request.FILES or None)
    added = form_submit(
        request,
        form,
        lambda data: trusted_certificate_add(content=data["file"].read(65 * 1024), by=user),
    )
    if added is not None:
        messages.success(request, _("%(subject)s is on the trust list.") % {"subject": added})
        return redirect("customs:trust-list")
    certificates = TrustedCertificate.objects.filter(removed_at__isnull=True)
    return render(request, "customs/trust_list.html", {"form": form, "certificates": certificates})


@login_required
@require_POST
@require(can_manage_trust_list)
def trust_list_remove(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(TrustedCertificate, pk=pk)
    try:
        trusted_certificate_remove(certificate=certificate, by=signed_in_user(request))
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, _("Removed from the trust list."))
    return redirect("customs:trust-list")
