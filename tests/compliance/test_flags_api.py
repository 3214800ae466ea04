from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Organization
from compliance.scan import declarations_scan
from tests.compliance.world import World, build_world
from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/flags/"


@pytest.fixture
def world() -> World:
    world = build_world()
    declarations_scan()
    return world


def kinds(client: APIClient, **params: str) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return {flag["kind"] for flag in response.json()["results"]}


def test_customs_sees_all_flags_and_filters(world: World) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    assert len(kinds(client)) == 6
    assert kinds(client, kind="no_contract") == {"no_contract"}
    assert kinds(client, status="resolved") == set()
    assert kinds(client, trader=world.trader_without_contract.tax_code) == {"no_contract"}
    assert kinds(client, broker=world.suspended_broker.license_number) == {"broker_suspended"}
    body = client.get(URL, {"kind": "signature_misuse"}).json()
    flag = body["results"][0]
    assert body["count"] == 1
    assert flag["declaration"] == world.declarations["signature_misuse"].number
    assert flag["broker"] == world.broker.license_number
    assert flag["status"] == "open"


def test_a_trader_sees_only_its_own(world: World) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization=world.trader))
    assert kinds(client) == {
        "broker_suspended",
        "unlicensed_declarant",
        "signature_misuse",
        "no_authority_letter",
    }
    assert kinds(client, trader=world.trader_without_contract.tax_code) == set()


def test_a_broker_sees_only_declarations_it_filed(world: World) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization=world.suspended_broker.organization))
    assert kinds(client) == {"broker_suspended"}
    client.force_authenticate(UserFactory.create(organization=BrokerFactory.create().organization))
    assert kinds(client) == set()


def test_anonymous_gets_nothing(world: World) -> None:
    assert APIClient().get(URL).status_code == 403


def test_an_unknown_kind_is_a_clear_error(world: World) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.get(URL, {"kind": "everything"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_a_date_range_ending_before_it_starts_is_a_clear_error(world: World) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.get(URL, {"since": "2026-11-20", "until": "2026-11-01"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The end date is before the start date."]}
    response = client.get(URL, {"since": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) == {"since"}


def test_the_list_runs_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    with django_assert_max_num_queries(4):
        client.get(URL)
