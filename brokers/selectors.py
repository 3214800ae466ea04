"""Brokers: selectors."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from brokers.models import Broker, BrokerAgent, Sanction
from brokers.search import search_normalize
from brokers.status import (
    broker_status,
    broker_status_expression,
    sanction_in_force_on,
    sanction_liftable,
)

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
