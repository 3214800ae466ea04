"""Contracts and letters: the trader's, the broker's and customs' pages, and the public
letter check. Each view fetches, checks permission, validates, calls one service."""

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.api.throttling import (
    ClientAnonRateThrottle,
    ClientUserRateThrottle,
    DocumentCheckRateThrottle,
    LetterCheckRateThrottle,
)
from accounts.filters import filtered
from accounts.permissions import is_broker
from accounts.web import (
    form_submit,
    messages_from,
    permit,
    rate_limited,
    require,
    signed_in_user,
)
from contracts.filters import ContractFilter, LetterFilter
from contracts.forms import (
    ContractUploadForm,
    DocumentCheckForm,
    LetterIssueForm,
    LetterLimitForm,
    ReasonForm,
)
from contracts.models import ContractStatus, LetterOfAuthority, ServiceContract
from contracts.permissions import (
    can_issue_letter,
    can_review_contract,
    can_revoke_letter,
    can_set_letter_limit,
    can_terminate_contract,
    can_upload_contract,
)
from contracts.selectors import (
    broker_clients,
    contracts_visible_to,
    letter_by_code,
    letters_visible_to,
)
from contracts.services import (
    LETTER_LIMIT_MAX,
    contract_confirm,
    contract_reject,
    contract_terminate,
    contract_upload,
    letter_document_refresh,
    letter_issue,
    letter_limit_set,
    letter_revoke,
    letters_active_count,
)
from contracts.status import contract_status, letter_invalid_reasons
from contracts.verification import document_verify

PAGE_SIZE = 25
# A private document is kept by no cache between the server and its reader, nor by the
# browser once closed.
private_download = cache_control(private=True, no_store=True)
_UNSAFE_IN_FILE_NAME = re.compile(r"[^\w.-]+")


def _download_name(reference: str) -> str:
    """A file name for a download, from a reference typed by a user: letters, digits, dots
    and dashes only, so that nothing of it can break the Content-Disposition header."""
    return _UNSAFE_IN_FILE_NAME.sub("-", reference).strip("-.")[:60] or "contract"


def _visible_contract(request: HttpRequest, pk: int) -> ServiceContract:
    return get_object_or_404(contracts_visible_to(signed_in_user(request)), pk=pk)


def _visible_letter(request: HttpRequest, pk: int) -> LetterOfAuthority:
    return get_object_or_404(letters_visible_to(signed_in_user(request)), pk=pk)


@login_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filters = ContractFilter(request.GET or None, queryset=contracts_visible_to(user))
    page = Paginator(filtered(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/contract_list.html",
        {"form": filters.form, "page_obj": page, "can_upload": can_upload_contract(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@require(can_upload_contract)
def contract_upload_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    assert user.organization is not None
    form = ContractUploadForm(request.POST or None, request.FILES or None)
    broker = user.organization.broker
    contract = form_submit(
        request, form, lambda data: contract_upload(broker=broker, by=user, **data)
    )
    if contract is not None:
        messages.success(
            request,
            _("Contract %(reference)s uploaded; the trader has been asked to confirm it.")
            % {"reference": contract.reference},
        )
        return redirect("contracts:contract_detail", pk=contract.pk)
    return render(request, "contracts/contract_upload.html", {"form": form})


@login_required
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    contract = _visible_contract(request, pk)
    today = timezone.localdate()
    status = contract_status(contract=contract, on=today)
    letters = letters_visible_to(user).filter(contract=contract)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "status": status,
            "offices": contract.customs_offices.all(),
            "letters": letters,
            "signatures": contract.signatures.select_related("registered_to"),
            "active_letters": letters_active_count(contract=contract, on=today),
            # The buttons a user sees are the actions the services would accept today.
            "can_review": can_review_contract(user, contract)
            and status == ContractStatus.PENDING
            and contract.confirmed_at is None,
            "can_terminate": can_terminate_contract(user, contract)
            and status == ContractStatus.ACTIVE,
            "can_issue": can_issue_letter(user, contract) and status == ContractStatus.ACTIVE,
            "reject_form": ReasonForm(auto_id="reject-%s"),
            "terminate_form": ReasonForm(auto_id="terminate-%s"),
        },
    )


@login_required
@require_GET
@private_download
def contract_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed PDF, to the two parties and customs only (others get a 404)."""
    contract = _visible_contract(request, pk)
    return FileResponse(
        contract.document.open("rb"),
        as_attachment=True,
        filename=f"{_download_name(contract.reference)}.pdf",
        content_type="application/pdf",
    )


def _reason_given(request: HttpRequest) -> str:
    """The reason typed on a contract's or letter's page. An empty one goes on to the service,
    which refuses it in its own words; one the form refuses (too long) is refused here."""
    form = ReasonForm(request.POST)
    if form.is_valid() or not form.data.get("reason", "").strip():
        return str(form.cleaned_data.get("reason", ""))
    raise ValidationError(list(form.errors["reason"]))


def _step(
    request: HttpRequest, step: Callable[[], object], *, done: str, then: HttpResponse
) -> HttpResponse:
    """Take one step of a contract's or letter's life from its page and say how it went."""
    try:
        step()
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, done)
    return then


@login_required
@require_POST
def contract_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    contract = _visible_contract(request, pk)
    permit(can_review_contract, user, contract)
    return _step(
        request,
        lambda: contract_confirm(contract=contract, by=user),
        done=_("Contract confirmed."),
        then=redirect("contracts:contract_detail", pk=contract.pk),
    )


@login_required
@require_POST
def contract_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    contract = _visible_contract(request, pk)
    permit(can_review_contract, user, contract)
    return _step(
        request,
        lambda: contract_reject(contract=contract, by=user, reason=_reason_given(request)),
        done=_("Contract rejected."),
        then=redirect("contracts:contract_detail", pk=contract.pk),
    )


@login_required
@require_POST
def contract_terminate_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    contract = _visible_contract(request, pk)
    permit(can_terminate_contract, user, contract)
    return _step(
        request,
        lambda: contract_terminate(contract=contract, by=user, reason=_reason_given(request)),
        done=_("Contract terminated."),
        then=redirect("contracts:contract_detail", pk=contract.pk),
    )


@login_required
@require_GET
@require(is_broker)
def client_list(request: HttpRequest) -> HttpResponse:
    """A broker's clients: the traders it has contracts with."""
    clients = broker_clients(signed_in_user(request))
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contracts/client_list.html", {"page_obj": page})


@login_required
@require_GET
def letter_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filters = LetterFilter(request.GET or None, queryset=letters_visible_to(user))
    page = Paginator(filtered(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    limit_form = None
    if can_set_letter_limit(user) and user.organization is not None:
        limit_form = LetterLimitForm(
            initial={"limit": user.organization.letters_per_contract_limit}
        )
    return render(
        request,
        "contracts/letter_list.html",
        {"form": filters.form, "page_obj": page, "limit_form": limit_form},
    )


@login_required
@require_POST
@require(can_set_letter_limit)
def letter_limit_view(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    assert user.organization is not None  # a trader's admin
    form = LetterLimitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                _("The limit must be between 1 and %(max)s.") % {"max": LETTER_LIMIT_MAX}
            )
        letter_limit_set(trader=user.organization, limit=form.cleaned_data["limit"], by=user)
    except ValidationError as error:
        messages_from(request, error)
    else:
        messages.success(request, _("Limit of active letters per contract saved."))
    return redirect("contracts:letter_list")


@login_required
@require_http_methods(["GET", "POST"])
def letter_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    contract = _visible_contract(request, pk)
    permit(can_issue_letter, user, contract)
    initial = {"valid_from": max(contract.valid_from, timezone.localdate())}
    initial["valid_until"] = contract.valid_until
    form = LetterIssueForm(request.POST or None, initial=initial, contract=contract)
    letter = form_submit(
        request, form, lambda data: letter_issue(contract=contract, by=user, **data)
    )
    if letter is not None:
        messages.success(request, _("Letter %(number)s issued.") % {"number": letter.number})
        return redirect("contracts:letter_detail", pk=letter.pk)
    return render(request, "contracts/letter_issue.html", {"form": form, "contract": contract})


@login_required
@require_GET
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    letter = _visible_letter(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "contracts/letter_detail.html",
        {
            "letter": letter,
            "today": today,
            "invalid_reasons": letter_invalid_reasons(letter=letter, on=today),
            "offices": letter.customs_offices.all(),
            "can_revoke": can_revoke_letter(user, letter)
            and letter.status == LetterOfAuthority.Status.ISSUED,
            "reason_form": ReasonForm(auto_id="revoke-%s"),
        },
    )


@login_required
@require_GET
@private_download
def letter_pdf_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The sealed PDF stored when the letter was issued (or revoked, or since it expired)."""
    letter = letter_document_refresh(letter=_visible_letter(request, pk))
    return FileResponse(
        letter.document.open("rb"),
        as_attachment=True,
        filename=f"{letter.number}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def letter_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    letter = _visible_letter(request, pk)
    permit(can_revoke_letter, user, letter)
    return _step(
        request,
        lambda: letter_revoke(letter=letter, by=user, reason=_reason_given(request)),
        done=_("Letter revoked."),
        then=redirect("contracts:letter_detail", pk=letter.pk),
    )


@require_GET
@rate_limited(ClientAnonRateThrottle, ClientUserRateThrottle, LetterCheckRateThrottle)
def letter_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether the letter is valid today, with what a customs officer needs."""
    letter = letter_by_code(code)
    if letter is None:
        return render(request, "contracts/letter_verify_unknown.html", status=404)
    today = timezone.localdate()
    return render(
        request,
        "contracts/letter_verify.html",
        {
            "letter": letter,
            "today": today,
            "invalid_reasons": letter_invalid_reasons(letter=letter, on=today),
            "offices": letter.customs_offices.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited(ClientAnonRateThrottle, ClientUserRateThrottle, DocumentCheckRateThrottle)
def document_check(request: HttpRequest) -> HttpResponse:
    """Public: anyone uploads a PDF and sees its signatures checked; nothing is stored."""
    form = DocumentCheckForm(request.POST or None, request.FILES or None)
    report = form_submit(request, form, lambda data: document_verify(data["file"]))
    signatures = []
    if report is not None:
        signatures = [
            {
                "field_name": check.field,
                "signer_name": check.signer,
                "signer_tax_code": check.tax_code,
                "issuer_name": check.issuer,
                "signed_at": check.signed_at,
                "verdict": check.verdict,
                "problems": check.problems,
                "registered_to_tax_code": report.registered_to.get(check.fingerprint_sha256, ""),
            }
            for check in report.signatures
        ]
    return render(
        request,
        "contracts/document_check.html",
        {"form": form, "report": report, "signatures": signatures},
    )
