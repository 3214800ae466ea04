"""Reads of contracts and letters, scoped to who asks."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from accounts.models import Organization, User
from accounts.permissions import is_broker, is_customs, is_trader
from brokers.models import Broker, BrokerAgent
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.status import contract_in_force, contract_status_expression, letter_in_force


def contracts_visible_to(user: User, *, on: date | None = None) -> QuerySet[ServiceContract]:
    """Customs sees every contract, a trader or broker only the contracts it is party to;
    each row carries its derived ``current_status`` on ``on`` (today by default)."""
    contracts = ServiceContract.objects.select_related("trader", "broker__organization").annotate(
        current_status=contract_status_expression(on=on or timezone.localdate())
    )
    if is_customs(user):
        return contracts
    if user.organization_id is None:
        return contracts.none()
    if is_trader(user):
        return contracts.filter(trader_id=user.organization_id)
    if is_broker(user):
        return contracts.filter(broker__organization_id=user.organization_id)
    return contracts.none()


def letters_visible_to(user: User) -> QuerySet[LetterOfAuthority]:
    """Customs sees every letter, a trader the letters it issued, a broker those issued to
    its agents."""
    letters = LetterOfAuthority.objects.select_related(
        "agent", "contract__trader", "contract__broker__organization"
    )
    if is_customs(user):
        return letters
    if user.organization_id is None:
        return letters.none()
    if is_trader(user):
        return letters.filter(contract__trader_id=user.organization_id)
    if is_broker(user):
        return letters.filter(contract__broker__organization_id=user.organization_id)
    return letters.none()


def broker_clients(user: User) -> QuerySet[Organization]:
    """The traders a broker has contracts with, with how many and the latest end date."""
    if user.organization_id is None:
        return Organization.objects.none()
    return (
        Organization.objects.filter(contracts__broker__organization_id=user.organization_id)
        .annotate(
            contract_count=Count("contracts", distinct=True),
            latest_until=Max("contracts__valid_until"),
        )
        .order_by("name")
    )


def letter_by_code(code: str) -> LetterOfAuthority | None:
    """The letter with this public verification code, ready to be checked and shown."""
    return (
        LetterOfAuthority.objects.select_related(
            "agent", "contract__trader", "contract__broker__organization"
        )
        .prefetch_related("customs_offices", "contract__broker__sanctions")
        .filter(verification_code=code.strip().upper())
        .first()
    )


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
