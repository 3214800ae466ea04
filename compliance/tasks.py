"""Celery tasks of the compliance app: thin wrappers around the scan and the e-mails."""

from celery import shared_task

from accounts.models import User
from compliance.emails import declarations_alert_send, scan_run_notify
from compliance.scan import declarations_scan as run_declarations_scan


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60)
def declarations_scan(full: bool = False, requested_by_id: int | None = None) -> int:
    """Scan the declarations changed since the last run (all with ``full``), raise the
    missing flags and e-mail each trader's digest; returns the run's id."""
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    run = run_declarations_scan(full=full, requested_by=requested_by)
    scan_run_notify(scan_run=run)
    return run.pk


@shared_task(time_limit=600, soft_time_limit=540)
def declarations_alert_notify(numbers: list[str]) -> int:
    """E-mail the traders that asked for it about each declaration just ingested in their
    name; returns the number of e-mails sent."""
    return declarations_alert_send(numbers=numbers)
