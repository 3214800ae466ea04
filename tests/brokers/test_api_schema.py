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
    assert {"q", "province", "status", "page"} <= {
        parameter["name"] for parameter in paths["/api/v1/brokers/"]["get"]["parameters"]
    }
