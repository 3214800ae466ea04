"""Reads of the register: the brokers with their status on a date, searched and sorted,
and one broker with what its pages show."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from brokers.filters import REGISTER_ORDERINGS, BrokerFilter
from brokers.models import Broker, BrokerAgent, Sanction
from brokers.status import (
    broker_status,
    broker_status_expression,
    sanction_in_force_on,
    sanction_liftable,
)


def broker_register(*, on: date | None = None) -> QuerySet[Broker]:
    """Every broker of the register with its organisation, annotated with ``status`` on
    ``on`` (today by default), by name: what ``BrokerFilter`` narrows and sorts."""
    on = on or timezone.localdate()
    return (
        Broker.objects.select_related("organization")
        .annotate(status=broker_status_expression(on))
        .order_by(*REGISTER_ORDERINGS["name"])
    )


def broker_search(
    *,
    q: str = "",
    province: str = "",
    status: str = "",
    office: str = "",
    sort: str = "name",
    on: date | None = None,
) -> QuerySet[Broker]:
    """The register filtered and sorted by ``BrokerFilter``, each broker annotated with
    ``status`` on ``on`` (today by default); a value the filter refuses is left out. One
    query whatever the number of rows."""
    data = {"q": q, "province": province, "status": status, "office": office, "sort": sort}
    return BrokerFilter(data, queryset=broker_register(on=on)).qs


def broker_register_entry(*, license_number: str, on: date | None = None) -> Broker | None:
    """One broker with what its pages (public and customs') and the API show, as of ``on``
    (today by default): organisation, offices, every agent and ``current_agents`` (active
    and valid on ``on``), its ``status``, and its full sanctions history with each
    sanction's ``in_force`` and ``liftable``."""
    on = on or timezone.localdate()
    broker = (
        Broker.objects.select_related("organization")
        .prefetch_related(
            "customs_offices",
            Prefetch(
                "sanctions", queryset=Sanction.objects.select_related("decided_by", "lifted_by")
            ),
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
    if broker is None:
        return None
    broker.status = broker_status(broker=broker, on=on)  # type: ignore[attr-defined]
    for sanction in broker.sanctions.all():
        sanction.in_force = sanction_in_force_on(sanction, on)  # type: ignore[attr-defined]
        sanction.liftable = sanction_liftable(sanction, on)  # type: ignore[attr-defined]
    return broker
