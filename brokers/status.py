"""A broker's status on a date, derived from its licence dates and sanctions.

This is the one definition of the rule. ``broker_status`` answers for one broker
(using prefetched sanctions when present); ``broker_status_expression`` is the same
rule as SQL, for annotating and filtering querysets and for the compliance scan.
``sanction_in_force`` is the shared condition; ``on`` may be a date or an expression
(``F``/``OuterRef``) so that the rule can be applied per declaration in one statement.
The rules of customs' actions on sanctions (which may still be lifted, from when one takes
effect) live here too.

Precedence: revoked, then suspended, then expired (outside the licence dates), else active.
"""

from datetime import date
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.fields import CharField
from django.utils import timezone

from brokers.models import Broker, BrokerAgent, BrokerStatus, Sanction


def sanction_in_force(*, kind: str, on: Any, prefix: str = "") -> Q:
    """Q for sanctions of ``kind`` in force on ``on`` (a date or an expression)."""
    p = prefix
    condition = Q(**{f"{p}kind": kind, f"{p}starts_on__lte": on}) & (
        Q(**{f"{p}lifted_on__isnull": True}) | Q(**{f"{p}lifted_on__gt": on})
    )
    if kind == Sanction.Kind.SUSPENSION:
        condition &= Q(**{f"{p}ends_on__isnull": True}) | Q(**{f"{p}ends_on__gte": on})
    return condition


def licence_outside(*, on: Any, prefix: str = "") -> Q:
    """Q for brokers whose licence is not valid on ``on`` (before issue or after expiry)."""
    return Q(**{f"{prefix}valid_until__lt": on}) | Q(**{f"{prefix}issued_on__gt": on})


def broker_status_expression(on: Any, broker_ref: Any = None) -> Case:
    """The status rule as a SQL CASE over brokers (``broker_ref`` defaults to the row's pk)."""
    ref = broker_ref if broker_ref is not None else OuterRef("pk")
    sanctions = Sanction.objects.filter(broker=ref)
    return Case(
        When(
            Exists(sanctions.filter(sanction_in_force(kind=Sanction.Kind.REVOCATION, on=on))),
            then=Value(BrokerStatus.REVOKED),
        ),
        When(
            Exists(sanctions.filter(sanction_in_force(kind=Sanction.Kind.SUSPENSION, on=on))),
            then=Value(BrokerStatus.SUSPENDED),
        ),
        When(licence_outside(on=on), then=Value(BrokerStatus.EXPIRED)),
        default=Value(BrokerStatus.ACTIVE),
        output_field=CharField(),
    )


def sanction_in_force_on(sanction: Sanction, on: date) -> bool:
    """Whether ``sanction`` is in force on ``on``; the Python twin of ``sanction_in_force``."""
    if sanction.starts_on > on:
        return False
    if sanction.lifted_on is not None and sanction.lifted_on <= on:
        return False
    if sanction.kind == Sanction.Kind.SUSPENSION:
        return sanction.ends_on is None or sanction.ends_on >= on
    return True


def broker_status(*, broker: Broker, on: date) -> str:
    """The broker's status on ``on``; the Python twin of ``broker_status_expression``."""
    sanctions = list(broker.sanctions.all())
    in_force = {s.kind for s in sanctions if sanction_in_force_on(s, on)}
    if Sanction.Kind.REVOCATION in in_force:
        return BrokerStatus.REVOKED
    if Sanction.Kind.SUSPENSION in in_force:
        return BrokerStatus.SUSPENDED
    if on < broker.issued_on or on > broker.valid_until:
        return BrokerStatus.EXPIRED
    return BrokerStatus.ACTIVE


def sanction_liftable(sanction: Sanction, on: date) -> bool:
    """Whether customs may still lift the sanction on ``on``: not lifted, and not ended."""
    return sanction.lifted_on is None and (sanction.ends_on is None or sanction.ends_on >= on)


def sanction_effective_on(starts_on: date, *, today: date | None = None) -> date:
    """The day from which a sanction starting (or lifted) on ``starts_on`` changes anything:
    a decision cannot reach into the past, so a date before today counts from today."""
    return max(today or timezone.localdate(), starts_on)


def broker_sanctionable(status: str) -> bool:
    """Customs may suspend or revoke a broker unless its licence is already revoked."""
    return status != BrokerStatus.REVOKED


def agent_withdrawable(agent: BrokerAgent) -> bool:
    """Customs may withdraw the code of an agent whose code is not withdrawn yet."""
    return agent.status == BrokerAgent.Status.ACTIVE
