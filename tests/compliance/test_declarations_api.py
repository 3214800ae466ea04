from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import Organization, User
from compliance.models import Declaration, DeclarationAlert
from tests.factories import CustomsOfficeFactory, OrganizationFactory, UserFactory, valid_tax_code

pytestmark = pytest.mark.django_db

URL = "/api/v1/declarations/"


@pytest.fixture(autouse=True)
def _customs_office() -> None:
    # Declarations name a customs office the registry knows.
    CustomsOfficeFactory.create(code="03CE")


def row(number: str, **values: Any) -> dict[str, Any]:
    data = {
        "number": number,
        "registered_at": "2026-11-20T09:15:00+07:00",
        "customs_office": "03ce",
        "trader_tax_code": valid_tax_code(1),
        "declarant_tax_code": valid_tax_code(2),
        "agent_code": "ag-001",
        "signer_serial": "54:00:0a:bc",
        "channel": "green",
    }
    data.update(values)
    return data


@pytest.fixture
def feed() -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    return client


def test_a_batch_is_stored_normalised(feed: APIClient) -> None:
    response = feed.post(URL, [row("305001"), row("305002", channel="red")], format="json")
    assert response.status_code == 201
    assert response.json() == {"created": 2, "duplicates": 0, "errors": []}
    declaration = Declaration.objects.get(number="305001")
    assert declaration.customs_office_code == "03CE"
    assert declaration.agent_code == "AG-001"
    assert declaration.signer_serial == "54000ABC"
    assert declaration.trader_tax_code == valid_tax_code(1)
    assert declaration.registered_at.isoformat() == "2026-11-20T02:15:00+00:00"


def test_broken_rows_are_reported_and_the_good_ones_kept(feed: APIClient) -> None:
    batch = [
        row("305001"),
        row("305002", trader_tax_code="0301234560"),
        row("305003", channel="blue"),
        "not an object",
        row("", registered_at="yesterday"),
        row("305004"),
        row("305005", registered_at="2099-01-01T00:00:00+07:00"),
    ]
    body = feed.post(URL, batch, format="json").json()
    assert body["created"] == 2
    errors = {(e["index"], e["field"]) for e in body["errors"]}
    assert errors == {
        (1, "trader_tax_code"),
        (2, "channel"),
        (3, "non_field_errors"),
        (4, "number"),
        (4, "registered_at"),
        (6, "registered_at"),
    }
    checksum = next(e for e in body["errors"] if e["index"] == 1)
    assert "check digit" in checksum["message"]
    assert set(Declaration.objects.values_list("number", flat=True)) == {"305001", "305004"}


def test_resending_a_batch_creates_nothing_twice(feed: APIClient) -> None:
    batch = [row("305001"), row("305002"), row("305002")]
    first = feed.post(URL, batch, format="json").json()
    second = feed.post(URL, batch, format="json")
    assert first == {"created": 2, "duplicates": 1, "errors": []}
    assert second.status_code == 200
    assert second.json() == {"created": 0, "duplicates": 3, "errors": []}
    assert Declaration.objects.count() == 2


def test_a_resent_batch_with_one_new_declaration_stores_that_one(feed: APIClient) -> None:
    feed.post(URL, [row("305001"), row("305002")], format="json")
    again = feed.post(URL, [row("305001"), row("305002"), row("305003")], format="json")
    assert again.json() == {"created": 1, "duplicates": 2, "errors": []}
    assert sorted(Declaration.objects.values_list("number", flat=True)) == [
        "305001",
        "305002",
        "305003",
    ]


def test_a_full_batch_of_ten_thousand_is_accepted(feed: APIClient) -> None:
    batch = [row(f"8{i:06d}") for i in range(10_000)]
    response = feed.post(URL, batch, format="json")
    assert response.json() == {"created": 10_000, "duplicates": 0, "errors": []}
    assert Declaration.objects.count() == 10_000


def test_a_batch_larger_than_the_limit_is_refused_whole(feed: APIClient) -> None:
    response = feed.post(URL, [row(f"9{i:06d}") for i in range(10_001)], format="json")
    assert response.status_code == 400
    assert "at most 10000" in response.json()["detail"]
    assert not Declaration.objects.exists()


def test_a_body_that_is_not_a_list_is_refused(feed: APIClient) -> None:
    response = feed.post(URL, row("305001"), format="json")
    assert response.status_code == 400
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_the_customs_feed_may_push(kind: str) -> None:
    client = APIClient()
    client.force_authenticate(UserFactory.create(organization__kind=kind))
    response = client.post(URL, [row("305001")], format="json")
    assert response.status_code == 403
    assert not Declaration.objects.exists()


def test_anonymous_may_not_push() -> None:
    response = APIClient().post(URL, [row("305001")], format="json")
    assert response.status_code == 403
    assert not Declaration.objects.exists()


def test_get_is_not_allowed(feed: APIClient) -> None:
    assert feed.get(URL).status_code == 405


def test_a_trader_who_asked_gets_an_email_for_every_declaration(
    feed: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    trader = OrganizationFactory.create(tax_code=valid_tax_code(1))
    UserFactory.create(
        organization=trader, role=User.Role.ADMIN, email="admin@trader.test", language="en"
    )
    UserFactory.create(organization=trader, role=User.Role.STAFF, email="staff@trader.test")
    DeclarationAlert.objects.create(organization=trader, email_every_declaration=True)
    quiet = OrganizationFactory.create(tax_code=valid_tax_code(3))
    UserFactory.create(organization=quiet, role=User.Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        feed.post(
            URL,
            [row("305001"), row("305002"), row("305003", trader_tax_code=quiet.tax_code)],
            format="json",
        )
    assert sorted(m.subject for m in mail.outbox) == [
        "Declaration 305001 was filed in your company's name",
        "Declaration 305002 was filed in your company's name",
    ]
    assert all(m.to == ["admin@trader.test"] for m in mail.outbox)
    assert valid_tax_code(2) in mail.outbox[0].body


def test_the_customs_feed_posts_with_its_api_token_and_a_revoked_token_is_refused() -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.services.api_tokens import api_token_create, api_token_revoke

    customs = OrganizationFactory.create(kind=Organization.Kind.CUSTOMS)
    admin = UserFactory.create(organization=customs, role=User.Role.ADMIN)
    feed_user = UserFactory.create(organization=customs)
    TOTPDevice.objects.create(user=feed_user, name="Phone", confirmed=True)  # customs needs 2FA
    token, raw_key = api_token_create(
        user=feed_user,
        purpose="Clearance feed",
        scope="ingest",
        by=admin,
        second_factor_passed=True,
    )
    client = APIClient()

    response = client.post(
        URL, [row("305101")], format="json", HTTP_AUTHORIZATION=f"Token {raw_key}"
    )
    assert response.status_code == 201
    assert Declaration.objects.filter(number="305101").exists()

    api_token_revoke(token=token, by=admin)
    response = client.post(
        URL, [row("305102")], format="json", HTTP_AUTHORIZATION=f"Token {raw_key}"
    )
    assert response.status_code in (401, 403)
    assert not Declaration.objects.filter(number="305102").exists()


def test_a_trader_token_cannot_feed_declarations() -> None:
    from accounts.services.api_tokens import api_token_create

    trader_admin = UserFactory.create(role=User.Role.ADMIN)
    _token, raw_key = api_token_create(
        user=trader_admin,
        purpose="ERP",
        scope="ingest",
        by=trader_admin,
        second_factor_passed=True,
    )
    response = APIClient().post(
        URL, [row("305201")], format="json", HTTP_AUTHORIZATION=f"Token {raw_key}"
    )
    assert response.status_code == 403
    assert not Declaration.objects.exists()
