from celery import shared_task
from django.core.management import call_command


@shared_task(time_limit=600, soft_time_limit=540)
def sessions_clear() -> None:
    """Delete expired sessions (Django keeps them until someone clears them)."""
    call_command("clearsessions")
