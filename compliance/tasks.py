"""Celery tasks of the compliance app: thin wrappers around the scan and the e-mails.

Each may run twice (a worker that dies mid-task has it delivered again, ``acks_late`` and
``reject_on_worker_lost`` in the settings): a queued scan is carried out once, a rescan
inserts only missing flags, and the alert for a declaration goes out for the rows one call
inserted."""

from celery import shared_task

from accounts.models import User
from compliance.dashboard import customs_dashboard_figures_refresh
from compliance.emails import declarations_alert_send, scan_run_notify
from compliance.models import ScanRun
from compliance.scan import declarations_scan as run_declarations_scan
from compliance.scan import scan_run_carry_out, scan_run_fail


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60)
def declarations_scan(
    full: bool = False, requested_by_id: int | None = None, scan_run_id: int | None = None
) -> int | None:
    """Scan the declarations changed since the last run (all with ``full``), raise the
    missing flags and e-mail each trader's digest; returns the run's id. ``scan_run_id``
    names a run queued from the dashboard; a scan that raises is recorded as failed."""
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    queued = ScanRun.objects.filter(pk=scan_run_id).first() if scan_run_id else None
    if scan_run_id and queued is None:
        return None
    try:
        if queued is not None:
            run = scan_run_carry_out(run=queued)
        else:
            run = run_declarations_scan(full=full, requested_by=requested_by)
    except Exception as error:
        scan_run_fail(run_id=scan_run_id, full=full, requested_by=requested_by, error=error)
        raise
    if run is None:
        return None  # already carried out by an earlier delivery, or given up
    scan_run_notify(scan_run=run)
    return run.pk


@shared_task(time_limit=600, soft_time_limit=540)
def declarations_alert_notify(numbers: list[str]) -> int:
    """E-mail the traders that asked for it about each declaration just ingested in their
    name; returns the number of e-mails sent."""
    return declarations_alert_send(numbers=numbers)


@shared_task(time_limit=120, soft_time_limit=100)
def dashboard_figures_refresh() -> str:
    """Recount the customs dashboard's flag figures into the cache (beat, every minute);
    returns when they were counted."""
    return customs_dashboard_figures_refresh().isoformat()
