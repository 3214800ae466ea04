"""Celery tasks of the risk analysis: a thin wrapper around the refresh."""

from celery import shared_task

from accounts.models import User
from risk.refresh import risk_refresh as run_risk_refresh


@shared_task(time_limit=60 * 60, soft_time_limit=55 * 60)
def risk_refresh(requested_by_id: int | None = None) -> int:
    """Recompute the risk tables (nightly from beat, or asked for by an officer); returns
    the run's id. Two runs at once wait for each other and both recompute."""
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    return run_risk_refresh(requested_by=requested_by).pk
