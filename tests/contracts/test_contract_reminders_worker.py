"""The reminder task run by a real Celery worker on the configured broker, on its own queue
(so that it never takes another process's tasks)."""

import time
import uuid
from datetime import date, timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from config.celery import app
from contracts.models import ContractReminder
from contracts.tasks import contract_reminders
from tests.factories import ServiceContractFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def _tasks_run_at_once() -> None:
    """Here the task goes through the broker to the worker, not run in the test's process."""


def _wait_for(condition, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_sends_each_reminder_once_however_often_the_task_runs(mailoutbox) -> None:
    contract = ServiceContractFactory.create(valid_until=date.today() + timedelta(days=7))
    queue = f"test-contracts-{uuid.uuid4().hex}"
    finished: list[int] = []

    def count(sender: object = None, retval: object = None, **kwargs: object) -> None:
        if getattr(sender, "name", None) == contract_reminders.name:
            finished.append(int(retval))  # type: ignore[call-overload]

    task_postrun.connect(count, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue]):
            for _run in range(3):
                contract_reminders.apply_async(queue=queue)
            assert _wait_for(lambda: len(finished) == 3)
    finally:
        task_postrun.disconnect(count)
    assert sorted(finished) == [0, 0, 1]
    assert ContractReminder.objects.filter(contract=contract).count() == 1
    assert list(contract.reminders.values_list("days_before", flat=True)) == [7]
    assert len(mailoutbox) == 2  # one message to each party, not six
