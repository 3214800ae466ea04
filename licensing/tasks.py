"""Celery tasks of licensing: thin, taking ids, calling the e-mails module."""

from celery import shared_task

from licensing.emails import application_emails_send


@shared_task(time_limit=600, soft_time_limit=540)
def application_notify(kind: str, application_id: int, event: str) -> int:
    """E-mail customs (a new file, an answer) or the applicant (a request, a decision)."""
    return application_emails_send(kind=kind, application_id=application_id, event=event)


@shared_task(time_limit=1800, soft_time_limit=1500)
def activity_reports_follow_up() -> int:
    """Daily: remind brokers of reports due, propose sanctions for reports missing."""
    from licensing.services.reports import activity_report_reminders_send, sanction_proposals_make

    return activity_report_reminders_send() + sanction_proposals_make()
