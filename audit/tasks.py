"""Celery tasks of the audit log, thin around ``audit.services``."""

from celery import shared_task

from audit.services import audit_checkpoint_publish


@shared_task(time_limit=300, soft_time_limit=240)
def audit_checkpoint_daily() -> int:
    """Publish today's chain head (beat runs it daily; running it twice publishes once)."""
    return audit_checkpoint_publish().entries
