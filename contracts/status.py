"""A contract's status and a letter's validity (and what its PDF says) on a date: the one
definition of each rule.

``contract_status`` answers for one contract; ``contract_in_force`` is the same rule as
a ``Q`` (``on`` may be a date or an ``F``/``OuterRef`` expression, ``prefix`` reaches the
contract through a relation) for querysets, the authorization check and the scan.
"""

from datetime import date
from typing import Any

from django.db.models import Case, Q, TextChoices, Value, When
from django.db.models.fields import CharField
from django.utils.translation import gettext_lazy as _

from brokers.models import BrokerAgent, BrokerStatus
from brokers.status import broker_status
from contracts.models import ContractStatus, LetterOfAuthority, ServiceContract


def contract_in_force(*, on: Any, prefix: str = "") -> Q:
    """Q for contracts confirmed, not rejected, not terminated and within their dates on ``on``."""
    p = prefix
    return (
        Q(**{f"{p}confirmed_at__isnull": False, f"{p}rejected_at__isnull": True})
        & Q(**{f"{p}valid_from__lte": on, f"{p}valid_until__gte": on})
        & (Q(**{f"{p}terminated_on__isnull": True}) | Q(**{f"{p}terminated_on__gt": on}))
    )


def contract_status(*, contract: ServiceContract, on: date) -> str:
    """pending (not confirmed yet, or not yet in force), active, expired, terminated, rejected."""
    if contract.rejected_at is not None:
        return ContractStatus.REJECTED
    if contract.terminated_on is not None and contract.terminated_on <= on:
        return ContractStatus.TERMINATED
    if contract.confirmed_at is None or on < contract.valid_from:
        return ContractStatus.PENDING
    if on > contract.valid_until:
        return ContractStatus.EXPIRED
    return ContractStatus.ACTIVE


def contract_status_expression(*, on: Any) -> Case:
    """``contract_status`` as a SQL CASE over contracts, to filter and annotate lists."""
    return Case(
        When(rejected_at__isnull=False, then=Value(ContractStatus.REJECTED)),
        When(terminated_on__lte=on, then=Value(ContractStatus.TERMINATED)),
        When(
            Q(confirmed_at__isnull=True) | Q(valid_from__gt=on), then=Value(ContractStatus.PENDING)
        ),
        When(valid_until__lt=on, then=Value(ContractStatus.EXPIRED)),
        default=Value(ContractStatus.ACTIVE),
        output_field=CharField(),
    )


def letter_in_force(*, on: Any, prefix: str = "") -> Q:
    """Q for letters issued (not revoked), within their dates, to an active agent, under a
    contract in force, on ``on``. (The broker's own status is checked separately.)"""
    p = prefix
    return (
        Q(**{f"{p}status": LetterOfAuthority.Status.ISSUED})
        & Q(**{f"{p}valid_from__lte": on, f"{p}valid_until__gte": on})
        & Q(**{f"{p}agent__valid_until__gte": on})
        & (
            Q(**{f"{p}agent__withdrawn_on__isnull": True})
            | Q(**{f"{p}agent__withdrawn_on__gt": on})
        )
        & contract_in_force(on=on, prefix=f"{p}contract__")
    )


class LetterInvalid(TextChoices):
    """Why a letter does not authorise its agent on a date (``letter_invalid_reasons``)."""

    REVOKED = "revoked", _("The trader revoked this letter.")
    NOT_YET_VALID = "not_yet_valid", _("Its period has not started yet.")
    EXPIRED = "expired", _("Its period has ended: the letter has expired.")
    AGENT_WITHDRAWN = "agent_withdrawn", _("Customs withdrew the agent's code.")
    AGENT_CODE_EXPIRED = "agent_code_expired", _("The agent's code has expired.")
    CONTRACT_NOT_IN_FORCE = (
        "contract_not_in_force",
        _("The service contract behind it is not in force."),
    )
    BROKER_SUSPENDED = "broker_suspended", _("The broker is suspended.")
    BROKER_REVOKED = "broker_revoked", _("The broker's licence is revoked.")
    BROKER_LICENCE_EXPIRED = "broker_licence_expired", _("The broker's licence has expired.")


_BROKER_REASONS: dict[str, str] = {
    BrokerStatus.SUSPENDED: LetterInvalid.BROKER_SUSPENDED,
    BrokerStatus.REVOKED: LetterInvalid.BROKER_REVOKED,
    BrokerStatus.EXPIRED: LetterInvalid.BROKER_LICENCE_EXPIRED,
}


def letter_invalid_reasons(*, letter: LetterOfAuthority, on: date) -> list[str]:
    """Every reason (``LetterInvalid``) why the letter does not authorise its agent on
    ``on``; none when it does."""
    agent: BrokerAgent = letter.agent
    contract = letter.contract
    reasons: list[str] = []
    if letter.status == LetterOfAuthority.Status.REVOKED:
        reasons.append(LetterInvalid.REVOKED)
    if on < letter.valid_from:
        reasons.append(LetterInvalid.NOT_YET_VALID)
    if on > letter.valid_until:
        reasons.append(LetterInvalid.EXPIRED)
    if agent.withdrawn_on is not None and agent.withdrawn_on <= on:
        reasons.append(LetterInvalid.AGENT_WITHDRAWN)
    elif not agent.is_valid_on(on):
        reasons.append(LetterInvalid.AGENT_CODE_EXPIRED)
    if contract_status(contract=contract, on=on) != ContractStatus.ACTIVE:
        reasons.append(LetterInvalid.CONTRACT_NOT_IN_FORCE)
    broker = _BROKER_REASONS.get(broker_status(broker=contract.broker, on=on))
    if broker is not None:
        reasons.append(broker)
    return reasons


def letter_is_valid(*, letter: LetterOfAuthority, on: date) -> bool:
    """Whether the letter authorises its agent on ``on``: issued, in its period, the agent
    not withdrawn, the contract in force and the broker active: neither suspended nor
    revoked, and within its licence dates (an expired licence stops its letters until it
    is renewed)."""
    return not letter_invalid_reasons(letter=letter, on=on)


def letter_document_shows(*, letter: LetterOfAuthority, on: date) -> str:
    """What the letter's PDF must say across its top on ``on``: that it was revoked, that
    its period has ended, or nothing (``issued``)."""
    if letter.status == LetterOfAuthority.Status.REVOKED:
        return LetterOfAuthority.DocumentShows.REVOKED
    if letter.valid_until < on:
        return LetterOfAuthority.DocumentShows.EXPIRED
    return LetterOfAuthority.DocumentShows.ISSUED
