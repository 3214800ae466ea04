"""E-mails to both parties of a contract at each step of its life, and the reminders before
it ends.

The services queue ``contracts.tasks.contract_notify`` once their transaction commits; the
daily reminder task sends its reminders itself, each once its guard row is committed.
"""

from datetime import date, timedelta
from enum import StrEnum
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.emails import absolute_url, emails_build, emails_send
from accounts.selectors import organization_recipients
from contracts.models import ContractReminder, LetterOfAuthority, ServiceContract

# Closest first, so that a contract already inside 7 days never gets the 30-day one after.
REMINDER_DAYS_BEFORE = (7, 30)


class ContractEmail(StrEnum):
    """The steps both parties are told of; each names its templates in contracts/email/."""

    UPLOADED = "contract_uploaded"
    CONFIRMED = "contract_confirmed"
    REJECTED = "contract_rejected"
    TERMINATED = "contract_terminated"
    ENDING = "contract_ending"
    LETTER_ISSUED = "letter_issued"
    LETTER_REVOKED = "letter_revoked"


def contract_parties_email_send(
    *,
    contract_id: int,
    kind: str,
    letter_id: int | None = None,
    days_left: int | None = None,
) -> int:
    """E-mail each party of a contract (its admins and its own address, each in their
    language) about one step; returns the number of messages sent."""
    template = f"contracts/email/{ContractEmail(kind)}"
    contract = ServiceContract.objects.select_related(
        "trader", "broker__organization", "terminated_by__organization"
    ).get(pk=contract_id)
    letter = None
    if letter_id is not None:
        letter = LetterOfAuthority.objects.select_related("agent").get(pk=letter_id)
    context = {
        "contract": contract,
        "letter": letter,
        "days_left": days_left,
        "contract_url": absolute_url("contracts:contract_detail", contract.pk),
    }
    parties = [contract.trader_id, contract.broker.organization_id]
    recipients = organization_recipients(parties)
    messages = []
    # One message per party, so that neither sees the other's addresses.
    for party in parties:
        messages.extend(emails_build(template, context, recipients.get(party, [])))
    return emails_send(messages)


def contract_reminders_send(*, today: date | None = None) -> int:
    """E-mail both parties of every active contract 30 and 7 days before it ends, once per
    threshold per contract, however often it runs; returns how many reminders were sent."""
    today = today or timezone.localdate()
    sent = 0
    for days_before in REMINDER_DAYS_BEFORE:
        # Everything due at this threshold that has not had it yet (a missed day is caught up
        # later, as long as the contract has not ended and a closer threshold is not due).
        due = ServiceContract.objects.filter(
            confirmed_at__isnull=False,
            rejected_at__isnull=True,
            terminated_on__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=days_before),
        ).exclude(reminders__days_before__lte=days_before)
        for contract in due:
            sent += _contract_reminder_send(contract=contract, days_before=days_before, today=today)
    return sent


@transaction.atomic
def _contract_reminder_send(*, contract: ServiceContract, days_before: int, today: date) -> int:
    # The unique (contract, threshold) row is the guard: two workers, one reminder.
    _reminder, created = ContractReminder.objects.get_or_create(
        contract=contract, days_before=days_before
    )
    if not created:
        return 0
    # Already in a worker: sent here once the guard row is committed, not queued again.
    transaction.on_commit(
        partial(
            contract_parties_email_send,
            contract_id=contract.pk,
            kind=ContractEmail.ENDING,
            days_left=(contract.valid_until - today).days,
        )
    )
    return 1
