from celery import shared_task

from contracts.services import contract_reminders_send


@shared_task(time_limit=600, soft_time_limit=540)
def contract_reminders() -> int:
    """Daily: e-mail both parties 30 and 7 days before a contract ends (each only once)."""
    return contract_reminders_send()
