"""No NUL or control character from a URL reaches a view, a query or a header: the URL
converters hold the identifiers to their patterns, and what they let through is refused
before any view runs (404 for a path, 400 for a query)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import Organization
from brokers.services import broker_create
from tests.factories import (
    BrokerFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/brokers/DL-1%00/",
        "/brokers/DL%0D%0A1/",
        "/api/v1/brokers/DL-1%00/",
        "/letters/verify/ABCD%00EFGH/",
        "/api/v1/letters/ABCD%00EFGH/verify/",
        "/customs/brokers/DL-1%00/",
        "/accounts/invitation/key%00/",
        "/static/css/site.css%00",
    ],
)
def test_a_control_character_in_a_path_names_no_page(client: Client, path: str) -> None:
    BrokerFactory.create(license_number="DL-1")
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json()["detail"] == "No page has this address."


@pytest.mark.parametrize(
    "path",
    [
        "/brokers/DL 1/",
        "/brokers/DL-1;drop/",
        "/brokers/" + "D" * 33 + "/",
        "/letters/verify/ABC/",
        "/letters/verify/ABCD-EFGH/",
        "/api/v1/letters/%C4%90%C3%81/verify/",
    ],
)
def test_an_identifier_out_of_its_pattern_names_no_page(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"q": "hai\x00phong"},
        {"q": "hai\r\nphong"},
        {"page": "\x00"},
        {"province\x00": "ha-noi"},
        {"q": "\x7f"},
    ],
)
@pytest.mark.parametrize("path", ["/brokers/", "/api/v1/brokers/", "/brokers/export.csv"])
def test_a_control_character_in_a_query_is_refused(
    client: Client, path: str, query: dict[str, str]
) -> None:
    response = client.get(path, query)
    assert response.status_code == 400
    assert "The address contains control characters." in response.content.decode()


def test_a_signed_in_user_gets_the_same_answer(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    assert client.get("/flags/", {"trader": "x\x00"}).status_code == 400
    assert client.get("/api/v1/flags/", {"broker": "\x00"}).status_code == 400
    assert client.get("/customs/brokers/DL%00/").status_code == 404


def test_a_well_formed_identifier_still_reaches_its_page(client: Client) -> None:
    BrokerFactory.create(license_number="DL-2026.00042_A")
    letter = LetterOfAuthorityFactory.create()
    assert client.get("/brokers/DL-2026.00042_A/").status_code == 200
    assert client.get("/api/v1/brokers/DL-2026.00042_A/").status_code == 200
    assert client.get(f"/letters/verify/{letter.verification_code}/").status_code == 200
    assert client.get("/brokers/", {"q": "hải phòng"}).status_code == 200


def test_a_licence_number_a_url_cannot_name_is_refused_when_stored() -> None:
    organization = OrganizationFactory.create(kind=Organization.Kind.BROKER)
    with pytest.raises(ValidationError, match="licence number"):
        broker_create(
            organization=organization,
            license_number="DL 001\n",
            issued_on=date(2026, 1, 1),
            valid_until=date(2027, 1, 1),
        )
    with pytest.raises(NoReverseMatch):
        reverse("brokers:detail", args=["DL\x00"])


@pytest.mark.parametrize("header", ["User-Agent", "Referer", "Accept-Language"])
@pytest.mark.parametrize("value", ["Mozilla\x00/5.0", "a\r\nb", "a\x01b"])
def test_a_control_character_in_a_header_is_refused(
    client: Client, header: str, value: str
) -> None:
    response = client.get("/brokers/", headers={header: value})
    assert response.status_code == 400
    assert "A header of the request contains control characters." in response.content.decode()


def test_a_sign_in_with_a_nul_in_its_user_agent_stores_nothing(client: Client) -> None:
    from accounts.models import LoginEvent

    user = UserFactory.create(email="nul@example.test", password="a long enough passphrase")
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": "a long enough passphrase"},
        HTTP_USER_AGENT="Mozilla/5.0\x00<script>",
    )
    assert response.status_code == 400
    assert not LoginEvent.objects.exists()
    assert client.get("/brokers/", HTTP_USER_AGENT="Mozilla/5.0\tX").status_code == 200
