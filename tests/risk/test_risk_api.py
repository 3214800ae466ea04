"""GET /api/v1/risk/signers/ and /api/v1/risk/brokers/ (customs only), as SPEC.md fixes
them."""

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import Organization, User
from risk.refresh import risk_refresh
from tests.factories import ApiTokenFactory, BrokerFactory, UserFactory
from tests.risk.patterns import OTHER_OFFICE, Patterns, build_patterns

pytestmark = pytest.mark.django_db

SIGNERS = "/api/v1/risk/signers/"
BROKERS = "/api/v1/risk/brokers/"


@pytest.fixture
def officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


@pytest.fixture
def patterns() -> Patterns:
    patterns = build_patterns()
    risk_refresh()
    return patterns


@pytest.fixture
def api(officer: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_signers_most_suspicious_first(api: APIClient, patterns: Patterns) -> None:
    body = api.get(SIGNERS).json()
    assert body["count"] == 3
    first = body["results"][0]
    assert set(first) == {
        "signer_serial",
        "traders",
        "declarations",
        "declarants",
        "score",
        "reasons",
    }
    assert (first["signer_serial"], first["traders"], first["declarations"]) == (
        patterns.lent_serial,
        5,
        9,
    )
    assert (first["declarants"], first["score"]) == (2, 100)
    assert first["reasons"][0] == {
        "signal": "unlicensed_declarant",
        "value": pytest.approx(8 / 9),
        "peer_median": 0.0,
    }
    assert [reason["signal"] for reason in first["reasons"]] == [
        "unlicensed_declarant",
        "not_own_certificate",
        "traders",
        "declarants",
    ]
    scores = [row["score"] for row in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_min_traders_sets_how_many_traders_make_a_certificate_shared(
    api: APIClient, patterns: Patterns
) -> None:
    assert [
        row["signer_serial"] for row in api.get(SIGNERS, {"min_traders": 5}).json()["results"]
    ] == [patterns.lent_serial]
    everyone = api.get(SIGNERS, {"min_traders": 1}).json()
    assert everyone["count"] > 3
    assert all(row["traders"] >= 1 for row in everyone["results"])


def test_the_filters_of_the_page_work_on_the_api(api: APIClient, patterns: Patterns) -> None:
    at_office = api.get(SIGNERS, {"office": OTHER_OFFICE}).json()
    assert [row["signer_serial"] for row in at_office["results"]] == [patterns.lent_serial]
    assert api.get(SIGNERS, {"province": "ha-noi"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"min_traders": "0"}, "min_traders"),
        ({"min_traders": "many"}, "min_traders"),
        ({"min_traders": "9" * 30}, "min_traders"),
        ({"province": "atlantis"}, "province"),
        ({"office": "ZZZZ"}, "office"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(
    api: APIClient, patterns: Patterns, query: dict[str, str], field: str
) -> None:
    response = api.get(SIGNERS, query)
    assert response.status_code == 400
    assert field in response.json()


def test_brokers_ranked_by_risk_with_their_reasons(api: APIClient, patterns: Patterns) -> None:
    body = api.get(BROKERS).json()
    first = body["results"][0]
    assert set(first) == {"license_number", "name", "score", "reasons"}
    assert first["license_number"] == patterns.sanctioned.broker.license_number
    assert first["name"] == patterns.sanctioned.broker.organization.name
    assert first["score"] == 35
    assert {"signal": "sanctions", "value": 1.0, "peer_median": 0.0} in first["reasons"]
    green = next(
        row
        for row in body["results"]
        if row["license_number"] == patterns.green.broker.license_number
    )
    assert green["reasons"] == [{"signal": "green_share", "value": 1.0, "peer_median": 0.5}]
    scores = [row["score"] for row in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_a_customs_api_token_reads_the_risk(officer: User, patterns: Patterns) -> None:
    # Customs requires a second factor of every user a token acts as.
    TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    token = ApiTokenFactory.create(user=officer, raw_key="risk-reader-key")
    client = APIClient()
    response = client.get(BROKERS, headers={"authorization": "Token risk-reader-key"})
    assert response.status_code == 200, token
    assert response.json()["count"] >= 1


@pytest.mark.parametrize("url", [SIGNERS, BROKERS])
@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_reads_it(patterns: Patterns, url: str, kind: str) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    response = client.get(url)
    assert response.status_code == 403
    assert "results" not in response.json()


@pytest.mark.parametrize("url", [SIGNERS, BROKERS])
def test_anonymous_callers_are_refused(url: str) -> None:
    response = APIClient().get(url)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


@pytest.mark.parametrize("url", [SIGNERS, BROKERS])
def test_the_api_is_read_only(api: APIClient, url: str) -> None:
    assert api.post(url, {}, format="json").status_code == 405


def _grow(size: int) -> None:
    for _ in range(size):
        BrokerFactory.create()
    risk_refresh()


@pytest.mark.parametrize("url", [SIGNERS, BROKERS])
@pytest.mark.parametrize("size", [0, 25])
def test_the_api_reads_in_constant_queries(
    api: APIClient,
    patterns: Patterns,
    url: str,
    size: int,
    django_assert_max_num_queries: Any,
) -> None:
    _grow(size)
    # Count and page (with the peer groups and the parties joined).
    with django_assert_max_num_queries(2):
        assert api.get(url, {"min_traders": 1}).status_code == 200


def test_the_schema_documents_the_risk_api(api: APIClient) -> None:
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/risk/signers/" in schema["paths"]
    assert "/api/v1/risk/brokers/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/risk/signers/"]["get"]["parameters"]}
    assert {"min_traders", "province", "office"} <= parameters
