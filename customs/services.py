"""Customs officers' actions on the register: suspend, revoke and reinstate brokers, withdraw
agents' codes. Each is on the audit record and, once committed, e-mails whom it concerns."""

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from brokers.cache import register_changed
from brokers.models import Broker, BrokerAgent, Sanction
from brokers.status import sanction_in_force_on
from customs.tasks import agent_withdrawal_notify, sanction_notify


def _sanction_snapshot(sanction: Sanction) -> dict[str, object]:
    return {
        "kind": sanction.kind,
        "reason": sanction.reason,
        "decision_number": sanction.decision_number,
        "starts_on": sanction.starts_on,
        "ends_on": sanction.ends_on,
        "lifted_on": sanction.lifted_on,
        "lift_reason": sanction.lift_reason,
    }


@transaction.atomic
def sanction_impose(
    *,
    broker: Broker,
    kind: str,
    reason: str,
    decision_number: str,
    starts_on: date,
    ends_on: date | None = None,
    by: User | None,
    notify: bool = True,
) -> Sanction:
    """Suspend a broker (optionally until ``ends_on``) or revoke its licence, on the record.
    Once committed, a task e-mails its admins and the traders with contracts in force with it
    (``notify=False`` for the demo seed)."""
    broker = Broker.objects.select_for_update().get(pk=broker.pk)
    revoked = [
        s
        for s in broker.sanctions.filter(kind=Sanction.Kind.REVOCATION)
        if sanction_in_force_on(s, starts_on)
    ]
    if revoked:
        raise ValidationError(_("This broker's licence is already revoked."))
    sanction = Sanction(
        broker=broker,
        kind=kind,
        reason=reason.strip(),
        decision_number=decision_number.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        decided_by=by,
    )
    sanction.full_clean()
    sanction.save()
    audit_record(
        action=(
            AuditAction.BROKER_REVOKE
            if kind == Sanction.Kind.REVOCATION
            else AuditAction.BROKER_SUSPEND
        ),
        obj=sanction,
        actor=by,
        organization=broker.organization,
        after=_sanction_snapshot(sanction),
    )
    register_changed()
    if notify:
        transaction.on_commit(partial(sanction_notify.delay, sanction.pk))
    return sanction


@transaction.atomic
def sanction_lift(
    *,
    sanction: Sanction,
    reason: str,
    by: User | None,
    lifted_on: date | None = None,
    notify: bool = True,
) -> Sanction:
    """Lift a sanction from ``lifted_on`` (today by default); its history stays. Once
    committed, the same people as for the sanction are e-mailed."""
    sanction = (
        Sanction.objects.select_for_update()
        .select_related("broker__organization")
        .get(pk=sanction.pk)
    )
    lifted_on = lifted_on or timezone.localdate()
    if sanction.lifted_on is not None:
        raise ValidationError(_("This sanction has already been lifted."))
    if not reason.strip():
        raise ValidationError({"lift_reason": _("Give the reason for lifting the sanction.")})
    before = _sanction_snapshot(sanction)
    sanction.lifted_on = max(lifted_on, sanction.starts_on)
    sanction.lift_reason = reason.strip()
    sanction.lifted_by = by
    sanction.full_clean()
    sanction.save(update_fields=["lifted_on", "lift_reason", "lifted_by"])
    audit_record(
        action=AuditAction.BROKER_SANCTION_LIFT,
        obj=sanction,
        actor=by,
        organization=sanction.broker.organization,
        before=before,
        after=_sanction_snapshot(sanction),
    )
    register_changed()
    if notify:
        transaction.on_commit(partial(sanction_notify.delay, sanction.pk, lifted=True))
    return sanction


@transaction.atomic
def agent_withdraw(
    *,
    agent: BrokerAgent,
    reason: str,
    by: User | None,
    on: date | None = None,
    notify: bool = True,
) -> BrokerAgent:
    """Withdraw an agent's code from ``on`` (today by default); letters to them stop verifying.
    Once committed, a task e-mails the broker's admins and the traders with letters to them."""
    agent = (
        BrokerAgent.objects.select_for_update()
        .select_related("broker__organization")
        .get(pk=agent.pk)
    )
    if agent.status == BrokerAgent.Status.WITHDRAWN:
        raise ValidationError(_("This agent's code has already been withdrawn."))
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": _("Give the reason for the withdrawal.")})
    agent.status = BrokerAgent.Status.WITHDRAWN
    agent.withdrawn_on = on or timezone.localdate()
    agent.withdrawal_reason = reason.strip()
    agent.full_clean()
    agent.save(update_fields=["status", "withdrawn_on", "withdrawal_reason"])
    audit_record(
        action=AuditAction.AGENT_WITHDRAW,
        obj=agent,
        actor=by,
        organization=agent.broker.organization,
        before={"status": BrokerAgent.Status.ACTIVE},
        after={
            "status": agent.status,
            "withdrawn_on": agent.withdrawn_on,
            "reason": agent.withdrawal_reason,
        },
    )
    register_changed()
    if notify:
        transaction.on_commit(partial(agent_withdrawal_notify.delay, agent.pk))
    return agent
