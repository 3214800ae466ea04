"""The derived status before, during and after a suspension, through the page, the API
and the selector alike (the same rule everywhere)."""

from datetime import timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from brokers.models import Broker
from brokers.selectors import broker_search
from brokers.status import broker_status
from tests.factories import BrokerFactory, SanctionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _status(brokers: QuerySet[Broker]) -> str:
    """The status annotated by the selector on its only row."""
    return str(brokers.get().status)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("starts", "ends", "lifted", "expected"),
    [
        (TODAY + timedelta(days=1), TODAY + timedelta(days=10), None, "active"),  # before
        (TODAY - timedelta(days=1), TODAY + timedelta(days=10), None, "suspended"),  # during
        (TODAY, TODAY, None, "suspended"),  # the single day itself
        (TODAY - timedelta(days=10), None, None, "suspended"),  # open-ended
        (TODAY - timedelta(days=10), TODAY - timedelta(days=1), None, "active"),  # after
        (TODAY - timedelta(days=10), None, TODAY, "active"),  # lifted today
    ],
)
def test_status_around_a_suspension(client, starts, ends, lifted, expected) -> None:
    broker = BrokerFactory.create(license_number="DL-7")
    SanctionFactory.create(broker=broker, starts_on=starts, ends_on=ends, lifted_on=lifted)
    today = timezone.localdate()

    assert broker_status(broker=broker, on=today) == expected
    assert _status(broker_search(q="dl-7")) == expected
    assert client.get("/api/v1/brokers/DL-7/").json()["status"] == expected
    assert client.get("/api/v1/brokers/", {"q": "dl-7"}).json()["results"][0]["status"] == expected
    assert f'data-status="{expected}"' in client.get("/brokers/DL-7/").content.decode()


def test_status_on_a_past_date_during_an_ended_suspension() -> None:
    broker = BrokerFactory.create(license_number="DL-8")
    SanctionFactory.create(
        broker=broker, starts_on=TODAY - timedelta(days=30), ends_on=TODAY - timedelta(days=20)
    )
    during = TODAY - timedelta(days=25)

    assert broker_status(broker=broker, on=during) == "suspended"
    assert _status(broker_search(on=during)) == "suspended"
    assert _status(broker_search(on=TODAY)) == "active"
