from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from contracts import signatures
from contracts.models import (
    ContractStatus,
    LetterOfAuthority,
    Service,
    ServiceContract,
    SignatureVerdict,
)
from contracts.status import LetterInvalid

register = template.Library()

STATUS_BADGES: dict[str, str] = {
    ContractStatus.PENDING: "bg-warning text-dark",
    ContractStatus.ACTIVE: "bg-success",
    ContractStatus.EXPIRED: "bg-secondary",
    ContractStatus.TERMINATED: "bg-dark",
    ContractStatus.REJECTED: "bg-danger",
    LetterOfAuthority.Status.ISSUED: "bg-success",
    LetterOfAuthority.Status.REVOKED: "bg-danger",
}


@register.filter
def service_labels(values: Iterable[str]) -> str:
    """The translated names of stored service codes, comma-separated."""
    labels = dict(Service.choices)
    return ", ".join(str(labels.get(value, value)) for value in values or [])


@register.filter
def contract_status_label(value: str) -> str:
    labels: dict[str, str] = {key: str(label) for key, label in ContractStatus.choices}
    return labels.get(value, value)


@register.simple_tag
def contract_status_badge(contract: ServiceContract, status: str, extra: str = "") -> str:
    """The status badge of a contract; a confirmed one that starts later says so and when,
    rather than "pending" (its status until it starts)."""
    if status == ContractStatus.PENDING and contract.confirmed_at is not None:
        label = _("Confirmed — in force from %(day)s") % {
            "day": date_format(contract.valid_from, "SHORT_DATE_FORMAT")
        }
        css = "bg-info text-dark"
    else:
        label, css = contract_status_label(status), status_badge(status)
    return format_html(
        '<span class="badge {} {}" data-testid="contract-status">{}</span>', css, extra, label
    )


@register.filter
def letter_invalid_label(reason: str) -> str:
    """Why a letter is not valid, in words (``contracts.status.LetterInvalid``)."""
    return str(dict(LetterInvalid.choices).get(reason, reason))


@register.filter
def status_badge(value: str) -> str:
    return STATUS_BADGES.get(value, "bg-light text-dark")


# The words for each problem ``contracts.signatures`` reports on a signature.
SIGNATURE_PROBLEMS: dict[str, Any] = {
    signatures.ALTERED: _("The signed content was changed after signing."),
    signatures.BAD_SIGNATURE: _("The signature itself does not verify."),
    signatures.CHANGED_AFTER: _(
        "Changes other than a further signature or form filling were made after it."
    ),
    signatures.UNTRUSTED: _("The certificate's chain does not end in the customs trust list."),
    signatures.CHAIN_INVALID: _("The certificate's chain to the trust list is not valid."),
    signatures.REVOKED: _("The certificate has been revoked."),
    signatures.NOT_VALID_WHEN_SIGNED: _(
        "The certificate was not valid (expired or not yet valid) at the signing time."
    ),
    signatures.NO_SIGNING_TIME: _("The signature gives no signing time."),
    signatures.UNREADABLE: _("The signature cannot be read."),
    signatures.NOT_REGISTERED: _(
        "The certificate is neither registered to a party nor a trusted one naming its tax code."
    ),
    signatures.LENT: _("Made with the other party's registered certificate."),
}
SIGNATURE_VERDICTS: dict[str, tuple[Any, str]] = {
    SignatureVerdict.VALID: (_("Valid signature"), "bg-success"),
    SignatureVerdict.UNTRUSTED: (_("Untrusted signature"), "bg-warning text-dark"),
    SignatureVerdict.INVALID: (_("Invalid signature"), "bg-danger"),
}


@register.filter
def signature_problem(code: str) -> str:
    return str(SIGNATURE_PROBLEMS.get(code, code))


@register.filter
def signature_verdict_label(verdict: str) -> str:
    return str(SIGNATURE_VERDICTS.get(verdict, (verdict, ""))[0])


@register.filter
def signature_verdict_badge(verdict: str) -> str:
    return SIGNATURE_VERDICTS.get(verdict, ("", "bg-secondary"))[1]
