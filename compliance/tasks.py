"""Celery tasks of the compliance app: thin wrappers around the services."""

from celery import shared_task

from accounts.models import User
from compliance.scan import declarations_scan as run_declarations_scan
from compliance.services import scan_run_notify


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60)
def declarations_scan(full: bool = False, requested_by_id: int | None = None) -> int:
    """Scan the declarations changed since the last run (all with ``full``), raise the
    missing flags and e-mail each trader's digest; returns the run's id."""
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    run = run_declarations_scan(full=full, requested_by=requested_by)
    scan_run_notify(scan_run=run)
    return run.pk
