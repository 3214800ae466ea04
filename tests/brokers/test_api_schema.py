"""The OpenAPI schema builds without warnings and describes the register endpoints."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_generates_without_warnings_and_validates(tmp_path) -> None:
    target = tmp_path / "schema.yaml"

    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))

    schema = target.read_text()
    assert "/api/v1/brokers/:" in schema
    assert "/api/v1/brokers/{license_number}/:" in schema
    for field in ("license_number", "tax_code", "license_valid_until", "agents", "sanctions"):
        assert field in schema


@pytest.mark.django_db
def test_schema_endpoint_serves_the_register_paths(client) -> None:
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in paths["/api/v1/brokers/"]["get"]["parameters"]
    }
    assert set(parameters) == {"q", "province", "status", "office", "sort", "page", "page_size"}
    assert parameters["q"] == {"type": "string"}
    assert "hai-phong" in parameters["province"]["enum"]
    assert sorted(parameters["status"]["enum"]) == ["active", "expired", "revoked", "suspended"]
    assert sorted(parameters["sort"]["enum"]) == ["-issued_on", "issued_on", "name"]
    assert parameters["page"]["type"] == "integer"


@pytest.mark.django_db
def test_schema_documents_the_flag_filters_with_their_types(client) -> None:
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in paths["/api/v1/flags/"]["get"]["parameters"]
    }
    assert set(parameters) == {"kind", "status", "trader", "broker", "since", "until", "page"}
    assert parameters["since"] == parameters["until"] == {"type": "string", "format": "date"}
    assert "no_contract" in parameters["kind"]["enum"]
    assert sorted(parameters["status"]["enum"]) == ["acknowledged", "dismissed", "open", "resolved"]
