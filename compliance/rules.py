"""The compliance rules: when a declaration deserves a flag of each kind.

One definition serves both the batch scan (``compliance.scan``, where the parties are
``OuterRef`` columns of the batch) and the real-time authorization check (where they are
plain values). The conditions are built from the shared status rules of the broker
register (``brokers.status``) and of contracts and letters (``contracts.status``).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Q

from accounts.models import SigningCertificate
from brokers.models import Sanction
from brokers.status import sanction_in_force
from compliance.models import FlagKind
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.status import contract_in_force, letter_in_force


@dataclass(frozen=True)
class RuleParties:
    """Who filed for whom, and when: values, or ``OuterRef`` columns of the batch.

    ``on`` is used inside subqueries; ``licence_lapsed`` and ``has_broker`` are conditions
    on the row the rules are evaluated over (the batch row, or the declarant's broker)."""

    trader: Any
    broker: Any
    on: Any
    agent_code: Any
    signer_serial: Any
    has_broker: Q
    licence_lapsed: Q


def sanction_exists(parties: RuleParties) -> Exists:
    """A suspension or a revocation of the broker in force on the date."""
    return Exists(
        Sanction.objects.filter(broker=parties.broker).filter(
            sanction_in_force(kind=Sanction.Kind.SUSPENSION, on=parties.on)
            | sanction_in_force(kind=Sanction.Kind.REVOCATION, on=parties.on)
        )
    )


def contracts_between(parties: RuleParties) -> Any:
    """Every contract on file between the trader and the broker (rejected ones never were)."""
    return ServiceContract.objects.filter(
        trader=parties.trader, broker=parties.broker, rejected_at__isnull=True
    )


def letter_exists(parties: RuleParties) -> Exists:
    """A letter of authority from the trader, under a contract with the broker, to the
    named agent, valid on the date."""
    return Exists(
        LetterOfAuthority.objects.filter(
            contract__trader=parties.trader,
            contract__broker=parties.broker,
            agent__agent_code=parties.agent_code,
        ).filter(letter_in_force(on=parties.on))
    )


def own_certificate_exists(parties: RuleParties) -> Exists:
    """A signing certificate with that serial registered to the broker's own organisation."""
    return Exists(
        SigningCertificate.objects.filter(
            organization__broker=parties.broker, serial_number=parties.signer_serial
        )
    )


def rule_conditions(parties: RuleParties) -> dict[str, Q]:
    """For each flag kind, the condition under which a declaration filed by someone else
    than the trader itself gets that flag.

    A letter can only exist under a contract, so a missing letter is reported only where a
    contract was in force (otherwise the contract flag says it already)."""
    contracts = contracts_between(parties)
    contract_on_file = Exists(contracts)
    contract_valid = Exists(contracts.filter(contract_in_force(on=parties.on)))
    sanctioned = sanction_exists(parties)
    broker = parties.has_broker
    return {
        # The broker-status precedence of brokers.status: revoked or suspended first, and
        # only otherwise outside its licence dates.
        FlagKind.BROKER_SUSPENDED: broker & Q(sanctioned),
        FlagKind.UNLICENSED_DECLARANT: ~broker | (parties.licence_lapsed & ~Q(sanctioned)),
        FlagKind.NO_CONTRACT: broker & ~Q(contract_on_file),
        FlagKind.CONTRACT_EXPIRED: broker & Q(contract_on_file) & ~Q(contract_valid),
        FlagKind.NO_AUTHORITY_LETTER: broker & Q(contract_valid) & ~Q(letter_exists(parties)),
        FlagKind.SIGNATURE_MISUSE: broker & ~Q(own_certificate_exists(parties)),
    }
