"""The OpenAPI schema tells every answer an operation can give, types the identifiers with
the patterns the URLs and forms hold them to, and advertises only the body types a view
reads (what the fuzzing in .ci/fuzz checks against a live server)."""

from typing import Any

import pytest
from django.test import Client

from accounts.identifiers import (
    CUSTOMS_OFFICE_PATTERN,
    LETTER_CODE_PATTERN,
    LICENCE_NUMBER_PATTERN,
    TAX_CODE_PATTERN,
    anchored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def paths(client: Client) -> dict[str, Any]:
    return dict(client.get("/api/schema/", {"format": "json"}).json()["paths"])


def _parameters(operation: dict[str, Any]) -> dict[str, Any]:
    return {p["name"]: p["schema"] for p in operation.get("parameters", [])}


def test_every_operation_documents_its_refusals(paths: dict[str, Any]) -> None:
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "400" in codes, (method, path)
            assert "500" not in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
    assert {"400", "403", "404", "429"} <= set(paths["/api/v1/brokers/"]["get"]["responses"])
    assert {"400", "403", "404", "429"} <= set(paths["/api/v1/flags/"]["get"]["responses"])
    letters = paths["/api/v1/letters/{code}/verify/"]["get"]["responses"]
    # No authentication there: no credentials to refuse.
    assert set(letters) == {"200", "400", "404", "429"}
    ingest = paths["/api/v1/declarations/"]["post"]["responses"]
    # The feed is not throttled; it may be refused a media type.
    assert set(ingest) == {"200", "201", "400", "403", "415"}


def test_the_errors_have_a_documented_body(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert set(components["IngestRefusal"]["properties"]) == {
        "detail",
        "created",
        "duplicates",
        "errors",
    }


def test_the_identifiers_are_typed_with_their_patterns(paths: dict[str, Any]) -> None:
    broker = _parameters(paths["/api/v1/brokers/{license_number}/"]["get"])
    assert broker["license_number"]["pattern"] == anchored(LICENCE_NUMBER_PATTERN)
    letter = _parameters(paths["/api/v1/letters/{code}/verify/"]["get"])
    assert letter["code"]["pattern"] == anchored(LETTER_CODE_PATTERN)
    authorization = _parameters(paths["/api/v1/authorization/"]["get"])
    assert authorization["trader"]["pattern"] == anchored(TAX_CODE_PATTERN)
    assert authorization["declarant"]["pattern"] == anchored(TAX_CODE_PATTERN)
    register = _parameters(paths["/api/v1/brokers/"]["get"])
    assert register["office"] == {"type": "string", "pattern": anchored(CUSTOMS_OFFICE_PATTERN)}
    flags = _parameters(paths["/api/v1/flags/"]["get"])
    assert flags["since"] == flags["until"] == {"type": "string", "format": "date"}


def test_the_ingest_reads_json_only(paths: dict[str, Any], client: Client) -> None:
    body = paths["/api/v1/declarations/"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/json"]
    schema = client.get("/api/schema/", {"format": "json"}).json()
    row = schema["components"]["schemas"]["DeclarationIn"]["properties"]
    assert row["trader_tax_code"]["pattern"] == anchored(TAX_CODE_PATTERN)
    assert row["customs_office"]["pattern"] == anchored(CUSTOMS_OFFICE_PATTERN)
