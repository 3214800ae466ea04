from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from tests.factories import (
    BrokerFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def world() -> dict:
    trader = OrganizationFactory.create(name="Công ty Gốm Bát Tràng")
    broker = BrokerFactory.create(organization__name="Đại lý Hải quan Nam Hải")
    active = ServiceContractFactory.create(trader=trader, broker=broker, reference="HĐ-ACTIVE")
    pending = ServiceContractFactory.create(
        trader=trader, broker=broker, reference="HĐ-PENDING", confirmed_at=None, confirmed_by=None
    )
    expired = ServiceContractFactory.create(
        trader=trader,
        broker=broker,
        reference="HĐ-EXPIRED",
        signed_on=TODAY - timedelta(days=500),
        valid_from=TODAY - timedelta(days=500),
        valid_until=TODAY - timedelta(days=1),
    )
    other = ServiceContractFactory.create(reference="HĐ-SOMEONE-ELSE")
    LetterOfAuthorityFactory.create(contract=active, number="LOA-2026-900001")
    LetterOfAuthorityFactory.create(
        contract=active,
        number="LOA-2026-900002",
        status="revoked",
        revoked_at=timezone.now(),
        revocation_reason="Thôi",
    )
    LetterOfAuthorityFactory.create(contract=other, number="LOA-2026-900003")
    return {
        "trader": trader,
        "broker": broker,
        "active": active,
        "pending": pending,
        "expired": expired,
    }


def test_a_trader_sees_only_its_contracts_and_filters_by_status(
    client: Client, world: dict
) -> None:
    client.force_login(UserFactory.create(organization=world["trader"]))
    html = client.get("/contracts/").content.decode()
    assert "HĐ-ACTIVE" in html and "HĐ-PENDING" in html and "HĐ-EXPIRED" in html
    assert "HĐ-SOMEONE-ELSE" not in html
    html = client.get("/contracts/", {"status": "pending"}).content.decode()
    assert "HĐ-PENDING" in html and "HĐ-ACTIVE" not in html and "HĐ-EXPIRED" not in html
    html = client.get("/contracts/", {"status": "expired"}).content.decode()
    assert "HĐ-EXPIRED" in html and "HĐ-ACTIVE" not in html
    html = client.get("/contracts/", {"status": "nonsense"}).content.decode()
    assert "Select a valid choice" in html and "HĐ-ACTIVE" not in html


def test_a_broker_sees_its_contracts_clients_and_letters(client: Client, world: dict) -> None:
    client.force_login(UserFactory.create(organization=world["broker"].organization))
    html = client.get("/contracts/").content.decode()
    assert "HĐ-ACTIVE" in html and "HĐ-SOMEONE-ELSE" not in html
    assert "Upload a signed contract" in html
    clients = client.get("/contracts/clients/").content.decode()
    assert "Công ty Gốm Bát Tràng" in clients
    letters = client.get("/letters/").content.decode()
    assert "LOA-2026-900001" in letters and "LOA-2026-900002" in letters
    assert "LOA-2026-900003" not in letters
    letters = client.get("/letters/", {"status": "revoked"}).content.decode()
    assert "LOA-2026-900002" in letters and "LOA-2026-900001" not in letters


def test_customs_sees_everything(client: Client, world: dict) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    html = client.get("/contracts/").content.decode()
    assert "HĐ-ACTIVE" in html and "HĐ-SOMEONE-ELSE" in html
    assert "LOA-2026-900003" in client.get("/letters/").content.decode()
    assert client.get("/contracts/clients/").status_code == 403


def test_lists_paginate_with_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    trader = OrganizationFactory.create()
    broker = BrokerFactory.create()
    for _index in range(30):
        contract = ServiceContractFactory.create(trader=trader, broker=broker)
        LetterOfAuthorityFactory.create(contract=contract)
    client.force_login(UserFactory.create(organization=trader, role=User.Role.ADMIN))
    with django_assert_max_num_queries(8):
        first = client.get("/contracts/").content.decode()
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get("/contracts/", {"page": 2}).content.decode()
    with django_assert_max_num_queries(8):
        letters = client.get("/letters/").content.decode()
    assert "Page 1 of 2" in letters


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    for url in ("/contracts/", "/letters/", "/contracts/clients/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_confirmed_contract_that_starts_later_says_so_not_pending(
    client: Client, world: dict
) -> None:
    starts = TODAY + timedelta(days=14)
    later = ServiceContractFactory.create(
        trader=world["trader"],
        broker=world["broker"],
        reference="HĐ-LATER",
        valid_from=starts,
        valid_until=starts + timedelta(days=365),
    )
    client.force_login(UserFactory.create(organization=world["trader"]))
    words = f"Confirmed — in force from {starts:%d/%m/%Y}"
    for url in ("/contracts/", f"/contracts/{later.pk}/"):
        html = client.get(url).content.decode()
        row = html[html.index("HĐ-LATER") :]
        status = row[row.index('data-testid="contract-status">') :].split("</span>")[0]
        assert words in status and "Pending" not in status, url
    # The one waiting for the trader's confirmation is still pending.
    html = client.get(f"/contracts/{world['pending'].pk}/").content.decode()
    assert 'data-testid="contract-status">Pending' in html
