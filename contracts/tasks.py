"""Celery tasks of contracts: thin, taking ids, calling ``contracts.emails``."""

from celery import shared_task

from contracts.emails import contract_parties_email_send, contract_reminders_send


@shared_task(time_limit=600, soft_time_limit=540)
def contract_reminders() -> int:
    """Daily: e-mail both parties 30 and 7 days before a contract ends (each only once)."""
    return contract_reminders_send()


@shared_task(time_limit=300, soft_time_limit=270)
def contract_notify(contract_id: int, kind: str, letter_id: int | None = None) -> int:
    """E-mail both parties of a contract about one step of its life (``ContractEmail``)."""
    return contract_parties_email_send(contract_id=contract_id, kind=kind, letter_id=letter_id)
