import time

import pytest
from django.conf import settings

from compliance.models import Flag, ScanRun
from compliance.tasks import declarations_scan
from config.celery import app
from tests.compliance.world import EXPECTED_FLAGS, build_world
from tests.factories import UserFactory


@pytest.fixture
def _tasks_run_at_once() -> None:
    """Here the task goes through the broker to the worker, not run in the test's process."""


@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"),
    reason="the end-to-end worker test needs the Redis broker (CELERY_BROKER_URL=redis://…)",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_scan_from_the_queue() -> None:
    from celery.contrib.testing.worker import start_worker

    build_world()
    officer = UserFactory.create(organization__kind="customs")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        declarations_scan.delay(full=True, requested_by_id=officer.pk)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if ScanRun.objects.filter(finished_at__isnull=False).exists():
                break
            time.sleep(0.2)
    run = ScanRun.objects.get()
    assert run.mode == ScanRun.Mode.FULL
    assert run.requested_by == officer
    assert run.flags_created == len(EXPECTED_FLAGS)
    assert Flag.objects.filter(scan_run=run).count() == len(EXPECTED_FLAGS)
