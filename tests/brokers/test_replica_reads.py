"""The optional read replica: the anonymous public register, its API and CSV read from it;
a signed-in user, a token holder and every write use the primary."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services.api_tokens import api_token_create
from brokers.models import Broker
from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def replica_router(settings: Any) -> Iterator[None]:
    settings.DATABASE_ROUTERS = ["accounts.replica.ReplicaRouter"]
    yield


def _tables(queries: CaptureQueriesContext) -> str:
    return " ".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/brokers/?q=hai",
        "/brokers/?q=hai",
        "/brokers/export.csv?q=hai",
    ],
)
def test_anonymous_register_reads_come_from_the_replica(client: Client, url: str) -> None:
    broker = BrokerFactory.create(organization__name="Công ty TNHH Hải Đăng")
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get(url)
    assert broker.license_number in response.content.decode("utf-8-sig")
    assert "brokers_broker" in _tables(replica)
    assert "brokers_broker" not in _tables(primary)


def test_a_brokers_page_and_its_api_read_from_the_replica(client: Client) -> None:
    broker = BrokerFactory.create()
    for url in (
        reverse("brokers:detail", args=[broker.license_number]),
        f"/api/v1/brokers/{broker.license_number}/",
    ):
        with CaptureQueriesContext(connections["replica"]) as replica:
            response = client.get(url)
        assert broker.license_number in response.content.decode()
        assert "brokers_broker" in _tables(replica)


def test_a_signed_in_user_reads_the_register_from_the_primary(client: Client) -> None:
    BrokerFactory.create(organization__name="Công ty TNHH Hải Đăng")
    client.force_login(UserFactory.create())
    with CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get("/brokers/?q=hai")
    assert "Hải Đăng" in response.content.decode()
    assert replica.captured_queries == []


def test_a_token_is_looked_up_on_the_primary_and_its_reads_stay_there(client: Client) -> None:
    BrokerFactory.create()
    user = UserFactory.create()
    _token, key = api_token_create(
        user=user, purpose="register", scope="read", by=user, second_factor_passed=True
    )
    with CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get("/api/v1/brokers/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert replica.captured_queries == []


def test_writes_go_to_the_primary_even_inside_a_replica_read() -> None:
    from accounts.replica import ReplicaRouter, _replica_reads

    token = _replica_reads.set(True)
    try:
        assert ReplicaRouter().db_for_read(Broker) == "replica"
        assert ReplicaRouter().db_for_write(Broker) == "default"
        assert ReplicaRouter().allow_migrate("replica", "brokers") is False
    finally:
        _replica_reads.reset(token)
    assert ReplicaRouter().db_for_read(Broker) is None
