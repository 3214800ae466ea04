from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services.api_tokens import api_token_create
from tests.compliance.world import World, build_world
from tests.factories import OrganizationFactory, UserFactory, valid_tax_code

pytestmark = pytest.mark.django_db

URL = "/api/v1/authorization/"


@pytest.fixture
def client() -> Client:
    """A signed-in customs officer: customs may ask about any trader and declarant."""
    officer = Client()
    officer.force_login(UserFactory.create(organization=OrganizationFactory.create(customs=True)))
    return officer


@pytest.fixture
def world() -> World:
    return build_world()


def ask(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_broker_with_contract_letter_and_own_signature_is_authorized(
    client: Client, world: World, django_assert_max_num_queries: Any, settings: Any
) -> None:
    # The throttle's counters live in the cache (Redis in production): out of the count.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A process's first check compiles its statement (and SQLite probes once for JSON).
    ask(client, trader=world.trader.tax_code, declarant=world.broker.organization.tax_code)
    # The session, its user, their organisation, then the check's one statement.
    with django_assert_max_num_queries(4):
        answer = ask(
            client,
            trader=world.trader.tax_code,
            declarant=world.broker.organization.tax_code,
            agent=world.agent.agent_code,
            signer=world.broker_serial,
        )
    assert answer["authorized"] is True
    assert answer["reasons"] == []
    assert answer["contract"]["reference"] == world.contract.reference
    assert answer["contract"]["status"] == "active"


def test_the_trader_filing_for_itself_is_authorized(client: Client, world: World) -> None:
    answer = ask(client, trader=world.trader.tax_code, declarant=world.trader.tax_code)
    assert answer == {"authorized": True, "reasons": [], "contract": None}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("no_contract", ["no_contract"]),
        ("contract_expired", ["contract_expired"]),
        ("broker_suspended", ["broker_suspended"]),
        ("unlicensed_declarant", ["unlicensed_declarant"]),
        ("signature_misuse", ["signature_misuse"]),
        ("no_authority_letter", ["no_authority_letter"]),
    ],
)
def test_each_rule_answers_as_the_scan_does(
    client: Client, world: World, case: str, expected: list[str]
) -> None:
    declaration = world.declarations[case]
    answer = ask(
        client,
        trader=declaration.trader_tax_code,
        declarant=declaration.declarant_tax_code,
        on=timezone.localdate().isoformat(),
        agent=declaration.agent_code,
        signer=declaration.signer_serial,
    )
    assert answer["authorized"] is False
    assert answer["reasons"] == expected


def test_the_answer_depends_on_the_day(client: Client, world: World) -> None:
    # Before the suspension started, the suspended broker was in good standing.
    declaration = world.declarations["broker_suspended"]
    before = timezone.localdate() - timedelta(days=5)
    answer = ask(
        client,
        trader=declaration.trader_tax_code,
        declarant=declaration.declarant_tax_code,
        on=before.isoformat(),
    )
    assert answer["authorized"] is True


def test_an_unregistered_trader_has_no_contract(client: Client, world: World) -> None:
    answer = ask(client, trader=valid_tax_code(4242), declarant=world.broker.organization.tax_code)
    assert answer["reasons"] == ["no_contract"]
    assert answer["contract"] is None


def test_bad_input_gets_a_clear_message(client: Client, world: World) -> None:
    response = client.get(URL, {"trader": "12345", "declarant": "abc", "on": "2026-13-01"})
    assert response.status_code == 400
    body = response.json()
    assert "10 digits" in body["trader"][0]
    assert set(body) == {"trader", "declarant", "on"}


def test_post_is_not_allowed(client: Client) -> None:
    assert client.post(URL).status_code == 405


def test_an_anonymous_caller_is_asked_for_credentials_and_learns_nothing(world: World) -> None:
    response = Client().get(
        URL, {"trader": world.trader.tax_code, "declarant": world.broker.organization.tax_code}
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "authorized" not in response.json() and "contract" not in response.json()


def test_the_trader_and_the_declarant_may_ask_about_themselves(world: World) -> None:
    params = {"trader": world.trader.tax_code, "declarant": world.broker.organization.tax_code}
    for organization in (world.trader, world.broker.organization):
        caller = Client()
        caller.force_login(UserFactory.create(organization=organization))
        response = caller.get(URL, params)
        assert response.status_code == 200
        assert response.json()["authorized"] is True


def test_another_organisation_cannot_ask_who_works_with_whom(world: World) -> None:
    params = {"trader": world.trader.tax_code, "declarant": world.broker.organization.tax_code}
    outsider = Client()
    outsider.force_login(UserFactory.create(organization=world.trader_without_contract))
    response = outsider.get(URL, params)
    assert response.status_code == 403
    assert "your own organisation" in response.json()["detail"]
    assert "authorized" not in response.json()


def test_a_trader_token_asks_about_its_own_declarations(world: World) -> None:
    user = UserFactory.create(organization=world.trader)
    _token, key = api_token_create(
        user=user, purpose="ERP", scope="read", by=user, second_factor_passed=True
    )
    response = Client().get(
        URL,
        {"trader": world.trader.tax_code, "declarant": world.broker.organization.tax_code},
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200 and response.json()["authorized"] is True
