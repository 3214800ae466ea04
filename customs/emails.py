"""E-mails customs actions send: a broker's admins and the traders holding contracts in force
with it learn of a suspension, a revocation or a reinstatement; the broker and the traders
who issued letters to an agent learn that customs withdrew the agent's code.

Each organisation gets its own messages, so that no trader sees another's address, and
each reader gets them in their own language.
"""

from datetime import date
from typing import Any

from django.core.mail import EmailMessage
from django.utils import timezone

from accounts.emails import absolute_url, emails_build, emails_send
from accounts.selectors import organization_recipients
from brokers.models import Broker, BrokerAgent, Sanction
from brokers.status import sanction_effective_on
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.selectors import broker_sanction_consequences
from contracts.status import contract_in_force


def _broker_and_traders_messages(
    template: str, context: dict[str, Any], *, broker: Broker, trader_ids: list[int]
) -> list[EmailMessage]:
    recipients = organization_recipients([broker.organization_id, *trader_ids])
    messages = []
    for organization_id, readers in recipients.items():
        audience = "broker" if organization_id == broker.organization_id else "trader"
        messages.extend(
            emails_build(f"customs/email/{template}", {**context, "audience": audience}, readers)
        )
    return messages


def sanction_emails_send(*, sanction_id: int, lifted: bool = False) -> int:
    """E-mail the broker's admins and every trader with a contract in force with it about a
    sanction imposed (or lifted). Returns the number of messages sent."""
    sanction = Sanction.objects.select_related("broker__organization").get(pk=sanction_id)
    broker = sanction.broker
    # The traders concerned are those whose contracts run when the sanction takes effect.
    effective: date = sanction.starts_on
    if lifted and sanction.lifted_on is not None:
        effective = sanction.lifted_on
    on = sanction_effective_on(effective)
    trader_ids = list(
        ServiceContract.objects.filter(contract_in_force(on=on), broker=broker)
        .values_list("trader_id", flat=True)
        .distinct()
    )
    context: dict[str, Any] = {
        "sanction": sanction,
        "broker": broker,
        "lifted": lifted,
        "consequences": broker_sanction_consequences(broker, on=on),
        "register_url": absolute_url("brokers:detail", broker.license_number),
    }
    template = "sanction_lifted" if lifted else "sanction_imposed"
    return emails_send(
        _broker_and_traders_messages(template, context, broker=broker, trader_ids=trader_ids)
    )


def agent_withdrawal_emails_send(*, agent_id: int) -> int:
    """E-mail the broker's admins and every trader holding an unexpired letter of authority to
    the agent whose code customs withdrew. Returns the number of messages sent."""
    agent = BrokerAgent.objects.select_related("broker__organization").get(pk=agent_id)
    broker = agent.broker
    on = timezone.localdate()
    letters = LetterOfAuthority.objects.filter(
        agent=agent, status=LetterOfAuthority.Status.ISSUED, valid_until__gte=on
    )
    trader_ids = list(letters.values_list("contract__trader_id", flat=True).distinct())
    context: dict[str, Any] = {
        "agent": agent,
        "broker": broker,
        "letters": letters.count(),
        "register_url": absolute_url("brokers:detail", broker.license_number),
    }
    return emails_send(
        _broker_and_traders_messages(
            "agent_withdrawn", context, broker=broker, trader_ids=trader_ids
        )
    )
