from collections.abc import Iterable

from django import template

from contracts.models import ContractStatus, LetterOfAuthority, Service

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


@register.filter
def status_badge(value: str) -> str:
    return STATUS_BADGES.get(value, "bg-light text-dark")
