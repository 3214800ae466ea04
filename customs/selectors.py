"""Reads of the customs area: brokers with their sanctions and agents, for the officers."""

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from brokers.models import Broker, BrokerAgent, Sanction
from brokers.selectors import broker_register, broker_register_entry


def customs_broker_list(*, on: date | None = None) -> QuerySet[Broker]:
    """Brokers for the customs area, annotated with ``status`` as the register is, in licence
    number order; the register's filters (``BrokerFilter``) narrow it."""
    return broker_register(on=on).order_by("license_number")


def customs_broker_get(license_number: str) -> Broker:
    """One broker as the register shows it today (status, sanctions newest first with
    ``in_force`` and ``liftable``, agents), or 404."""
    broker = broker_register_entry(license_number=license_number)
    if broker is None:
        raise Http404
    return broker


def customs_sanction_get(broker: Broker, sanction_id: int) -> Sanction:
    """A sanction of ``broker``, or 404 (a sanction of another broker is not found here)."""
    return get_object_or_404(
        Sanction.objects.select_related("broker"), broker=broker, pk=sanction_id
    )


def customs_agent_get(broker: Broker, agent_code: str) -> BrokerAgent:
    """An agent of ``broker`` by code, or 404."""
    return get_object_or_404(BrokerAgent, broker=broker, agent_code=agent_code)
