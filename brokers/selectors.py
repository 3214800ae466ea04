"""Brokers: selectors."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from brokers.models import Broker, BrokerAgent, Sanction
from brokers.status import broker_status_expression
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.status import contract_in_force, letter_in_force

# --- register (issue 3) ---


# --- customs actions on brokers and agents (issue 7) ---


@dataclass(frozen=True)
class SanctionConsequences:
    """What a sanction on a broker touches on a date: the traders holding contracts in force
    with it, and the letters of authority to its agents that verify today."""

    active_contracts: int
    traders: int
    live_letters: int


def broker_sanction_consequences(broker: Broker, on: date | None = None) -> SanctionConsequences:
    """Counted in two queries, whatever the number of contracts and letters."""
    on = on or timezone.localdate()
    contracts = ServiceContract.objects.filter(contract_in_force(on=on), broker=broker).aggregate(
        contracts=Count("id"), traders=Count("trader_id", distinct=True)
    )
    live_letters = LetterOfAuthority.objects.filter(
        letter_in_force(on=on), contract__broker=broker, agent__broker=broker
    ).count()
    return SanctionConsequences(
        active_contracts=contracts["contracts"],
        traders=contracts["traders"],
        live_letters=live_letters,
    )


def agent_live_letters_count(agent: BrokerAgent, on: date | None = None) -> int:
    """Letters of authority to ``agent`` that verify on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return LetterOfAuthority.objects.filter(letter_in_force(on=on), agent=agent).count()


def customs_broker_list(
    *, query: str = "", status: str = "", on: date | None = None
) -> QuerySet[Broker]:
    """Brokers for the customs area, each annotated with its ``current_status``."""
    on = on or timezone.localdate()
    brokers = Broker.objects.select_related("organization").annotate(
        current_status=broker_status_expression(on)
    )
    if query:
        brokers = brokers.filter(
            Q(license_number__icontains=query)
            | Q(organization__name__icontains=query)
            | Q(organization__tax_code__icontains=query)
        )
    if status:
        brokers = brokers.filter(current_status=status)
    return brokers.order_by("license_number")


def customs_broker_get(license_number: str) -> Broker:
    """One broker with its sanctions (newest first) and agents, or 404."""
    return get_object_or_404(
        Broker.objects.select_related("organization").prefetch_related(
            Prefetch(
                "sanctions",
                queryset=Sanction.objects.select_related("decided_by", "lifted_by"),
            ),
            "agents",
        ),
        license_number=license_number,
    )


def customs_sanction_get(broker: Broker, sanction_id: int) -> Sanction:
    """A sanction of ``broker``, or 404 (a sanction of another broker is not found here)."""
    return get_object_or_404(
        Sanction.objects.select_related("broker"), broker=broker, pk=sanction_id
    )


def customs_agent_get(broker: Broker, agent_code: str) -> BrokerAgent:
    """An agent of ``broker`` by code, or 404."""
    return get_object_or_404(BrokerAgent, broker=broker, agent_code=agent_code)


def agents_live_letters(broker: Broker, on: date | None = None) -> dict[int, int]:
    """Live letters of authority per agent of ``broker``, in one query."""
    on = on or timezone.localdate()
    rows = (
        LetterOfAuthority.objects.filter(letter_in_force(on=on), agent__broker=broker)
        .values("agent_id")
        .annotate(letters=Count("id"))
        .values_list("agent_id", "letters")
    )
    return dict(rows)
