"""Celery tasks of the customs area: thin, taking ids, calling the e-mails module."""

from celery import shared_task

from customs.emails import agent_withdrawal_emails_send, sanction_emails_send


@shared_task(time_limit=600, soft_time_limit=540)
def sanction_notify(sanction_id: int, lifted: bool = False) -> int:
    """E-mail the broker's admins and its traders about a sanction imposed or lifted."""
    return sanction_emails_send(sanction_id=sanction_id, lifted=lifted)


@shared_task(time_limit=600, soft_time_limit=540)
def agent_withdrawal_notify(agent_id: int) -> int:
    """E-mail the broker's admins and the traders with letters to an agent whose code is
    withdrawn."""
    return agent_withdrawal_emails_send(agent_id=agent_id)
