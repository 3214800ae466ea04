"""Brokers: selectors."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from brokers.models import Broker, BrokerAgent, Sanction

# --- register (issue 3) ---
from brokers.search import search_normalize
from brokers.status import broker_status_expression
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.status import contract_in_force, letter_in_force

# By name means by the folded name (``search_text`` starts with it, then the tax code and
# licence number): "Đông Á" sorts with the Ds, and the order is the same on every database.
REGISTER_ORDERINGS: dict[str, tuple[str, ...]] = {
    "name": ("search_text",),
    "issued_on": ("issued_on", "license_number"),
    "-issued_on": ("-issued_on", "license_number"),
}


def broker_search(
    *,
    q: str = "",
    province: str = "",
    status: str = "",
    office: str = "",
    sort: str = "name",
    on: date | None = None,
) -> QuerySet[Broker]:
    """The public register filtered and sorted, each broker annotated with ``status`` on
    ``on`` (today by default). One query whatever the number of rows."""
    on = on or timezone.localdate()
    brokers = Broker.objects.select_related("organization").annotate(
        status=broker_status_expression(on)
    )
    # Every word must appear; each is a LIKE served by the trigram index on PostgreSQL.
    for word in search_normalize(q).split():
        brokers = brokers.filter(search_text__contains=word)
    if province:
        brokers = brokers.filter(organization__province=province)
    if status:
        brokers = brokers.filter(status=status)
    if office:
        brokers = brokers.filter(customs_offices__code=office)
    return brokers.order_by(*REGISTER_ORDERINGS.get(sort, REGISTER_ORDERINGS["name"]))


def broker_register_entry(*, license_number: str, on: date | None = None) -> Broker | None:
    """One broker of the public register with what its page shows: organisation,
    offices, full sanctions history, and its agents (``current_agents``: active and
    valid on ``on``)."""
    on = on or timezone.localdate()
    return (
        Broker.objects.select_related("organization")
        .prefetch_related(
            "customs_offices",
            "sanctions",
            "agents",
            Prefetch(
                "agents",
                queryset=BrokerAgent.objects.filter(
                    status=BrokerAgent.Status.ACTIVE, valid_until__gte=on
                ).order_by("full_name"),
                to_attr="current_agents",
            ),
        )
        .filter(license_number=license_number)
        .first()
    )


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
    """Brokers for the customs area: the register's search (annotated with ``status``), in
    licence number order."""
    return broker_search(q=query, status=status, on=on).order_by("license_number")


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
