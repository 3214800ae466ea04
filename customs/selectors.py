"""Reads of the customs area: brokers with their sanctions and agents, for the officers."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from brokers.models import Broker, BrokerAgent, Sanction
from brokers.selectors import broker_search


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
