"""The e-mail task in a real Celery worker process, reading the test database."""

import subprocess
import time
import uuid
from pathlib import Path

import kombu
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from brokers.models import Sanction
from config.celery import app as celery_app
from customs.tasks import sanction_notify
from tests.customs.conftest import BrokerWithClients
from tests.worker_process import worker_start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a worker process needs a database it can share (PostgreSQL)",
    ),
]


@pytest.fixture
def _tasks_run_at_once() -> None:
    """Here the task goes through the broker to the worker, not run in the test's process."""


def test_a_worker_sends_the_suspension_emails(
    broker_with_clients: BrokerWithClients, tmp_path: Path
) -> None:
    sanction = Sanction.objects.create(
        broker=broker_with_clients.broker,
        kind=Sanction.Kind.SUSPENSION,
        reason="Missed reports",
        decision_number="88/QĐ-HQ",
        starts_on=timezone.localdate(),
    )
    # A queue of its own, so that no other worker on the same broker takes the message.
    queue = f"test-notify-{uuid.uuid4().hex[:8]}"
    outbox = tmp_path / "mail"
    outbox.mkdir()
    worker = worker_start(
        queue=queue,
        broker_url=settings.CELERY_BROKER_URL,
        # The file backend: four slashes in all, an absolute path.
        environment={"EMAIL_URL": f"filemail:///{outbox}"},
        stderr=subprocess.PIPE,
    )
    try:
        sanction_notify.apply_async(args=(sanction.pk,), queue=queue)
        deadline = time.monotonic() + 60
        sent = ""
        # The file backend writes every message of one connection into one file.
        while time.monotonic() < deadline and sent.count("\nSubject: ") < 3:
            time.sleep(0.5)
            sent = "".join(path.read_text() for path in outbox.iterdir())
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        # Leave nothing of the one-off queue on the shared broker.
        with celery_app.connection_for_write() as broker:
            kombu.Queue(queue, channel=broker.default_channel).delete()
            if broker.transport.driver_type == "redis":
                redis = broker.default_channel.client  # type: ignore[attr-defined]
                redis.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    assert sent.count("\nSubject: ") == 3, worker.stderr.read().decode() if worker.stderr else ""
    assert "\nTo: admin@broker.test\n" in sent
    assert "trader0@org.test" in sent and "trader1@org.test" in sent
    assert "trader2@org.test" not in sent
