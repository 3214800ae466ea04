"""A worker killed in the middle of a scan loses nothing and doubles nothing: the scan
requested from the dashboard is carried out once, by the worker that takes the task again.

A real ``celery worker`` process runs the scan over a planted data set large enough to take
a few seconds; the test waits until the scan holds its lock, kills the process (SIGKILL, as
the kernel's OOM killer or a lost machine would), and checks what PostgreSQL kept.

- A whole worker killed: its task comes back from Redis once ``visibility_timeout`` has
  passed (a few seconds here), to the worker started in its place.
- A pool process killed under a living worker: ``reject_on_worker_lost`` puts the task back
  at once.
"""

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import kombu
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from accounts.models import Organization
from compliance.models import Flag, FlagKind, ScanRun
from compliance.scan import SCAN_LOCK_KEY
from compliance.tasks import declarations_scan
from tests.factories import BrokerFactory, OrganizationFactory, UserFactory, valid_tax_code
from tests.worker_process import worker_start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="a killed worker needs PostgreSQL and the Redis broker (DATABASE_URL=postgres://…, "
        "CELERY_BROKER_URL=redis://…)",
    ),
]

# Declarations planted: each gets two flags (no contract; not signed with the broker's own
# certificate), which takes the scan a few seconds.
PLANTED = 60_000
# Seconds before Redis hands an unacknowledged task to another worker, for these workers.
VISIBILITY_TIMEOUT = 3


@pytest.fixture
def _tasks_run_at_once() -> None:
    """Here the task goes through the broker to a worker process."""


@pytest.fixture
def broker_url() -> Iterator[str]:
    """A Redis database of this test's own: its short visibility timeout must not hand
    another test's tasks to this test's worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    url = settings.CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{13 - int(worker)}"
    with kombu.Connection(url) as broker:
        broker.default_channel.client.flushdb()  # type: ignore[attr-defined]
        yield url
        broker.default_channel.client.flushdb()  # type: ignore[attr-defined]


def _worker(broker_url: str, queue: str, pool: str) -> subprocess.Popen[bytes]:
    return worker_start(
        queue=queue,
        broker_url=broker_url,
        pool=pool,
        environment={
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "EMAIL_URL": "dummymail://",
        },
    )


def _plant_declarations() -> None:
    trader = OrganizationFactory.create(
        kind=Organization.Kind.TRADER, tax_code=valid_tax_code(910_001)
    )
    broker = BrokerFactory.create(organization__tax_code=valid_tax_code(910_002))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO compliance_declaration (number, registered_at, customs_office_code, "
            "trader_tax_code, declarant_tax_code, agent_code, signer_serial, channel, "
            "changed_at, created_at) "
            "SELECT 'K' || n, now() - interval '1 day', '03CE', %s, %s, '', '', 'green', "
            "now() - interval '1 day', now() FROM generate_series(1, %s) AS n",
            [trader.tax_code, broker.organization.tax_code, PLANTED],
        )


def _scan_lock_holder() -> int | None:
    """The PostgreSQL backend whose scan holds the scan's lock in this database, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [SCAN_LOCK_KEY],
        )
        row = cursor.fetchone()
        return row[0] if row else None


def _backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is None


def _scan_started() -> int:
    holder = None

    def started() -> bool:
        nonlocal holder
        holder = _scan_lock_holder()
        return holder is not None

    _wait_for(started, 120, "a worker to start the scan")
    assert holder is not None
    return holder


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.02)


def _queue_scan(broker_url: str, queue: str) -> ScanRun:
    """What the dashboard's "Full rescan" records and queues (``declarations_scan_request``),
    sent to this test's broker."""
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    run = ScanRun.objects.create(mode=ScanRun.Mode.FULL, requested_by=officer)
    with kombu.Connection(broker_url) as broker:
        declarations_scan.apply_async(
            kwargs={"full": True, "requested_by_id": officer.pk, "scan_run_id": run.pk},
            queue=queue,
            connection=broker,  # type: ignore[call-arg]  # passed on to send_task
        )
    return run


def _killed_mid_scan(run: ScanRun, backend: int) -> None:
    """The killed scan's transaction was rolled back: no flag, the run not finished."""
    _wait_for(lambda: _backend_gone(backend), 60, "the killed scan's connection to close")
    run.refresh_from_db()
    assert run.finished_at is None and run.failed_at is None
    assert not Flag.objects.exists()


def _done_once(run: ScanRun) -> None:
    _wait_for(
        lambda: ScanRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists(),
        120,
        "the scan to finish",
    )
    run.refresh_from_db()
    assert ScanRun.objects.count() == 1
    assert run.failed_at is None
    assert run.declarations_scanned == PLANTED
    kinds = dict(Flag.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds == {FlagKind.NO_CONTRACT: PLANTED, FlagKind.SIGNATURE_MISUSE: PLANTED}
    assert run.flags_created == 2 * PLANTED
    assert Flag.objects.filter(scan_run=run).count() == 2 * PLANTED


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        worker.wait(timeout=60)


def test_a_worker_killed_mid_scan_leaves_the_scan_to_the_next_worker(broker_url: str) -> None:
    _plant_declarations()
    queue = f"test-scan-{uuid.uuid4().hex[:8]}"
    run = _queue_scan(broker_url, queue)
    first = _worker(broker_url, queue, pool="solo")
    try:
        backend = _scan_started()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        _killed_mid_scan(run, backend)
    finally:
        _stop(first)
    # Redis hands the unacknowledged task on once its visibility timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = _worker(broker_url, queue, pool="solo")
    try:
        _done_once(run)
    finally:
        _stop(second)


def _pool_process(worker: subprocess.Popen[bytes]) -> int | None:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    pids = children.read_text().split() if children.exists() else []
    return int(pids[0]) if pids else None


def test_a_pool_process_killed_mid_scan_has_its_task_run_again(broker_url: str) -> None:
    _plant_declarations()
    queue = f"test-scan-{uuid.uuid4().hex[:8]}"
    run = _queue_scan(broker_url, queue)
    worker = _worker(broker_url, queue, pool="prefork")
    try:
        backend = _scan_started()
        pool_process = _pool_process(worker)
        assert pool_process is not None
        os.kill(pool_process, signal.SIGKILL)
        _killed_mid_scan(run, backend)
        # The worker itself lives on, and takes the task again (reject_on_worker_lost).
        _done_once(run)
        assert worker.poll() is None
    finally:
        _stop(worker)
