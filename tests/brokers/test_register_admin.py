"""The register in the Django admin: customs officers only; writes through the services."""

from datetime import date

import pytest
from django.conf import settings

from accounts.models import Organization
from brokers.models import Broker, BrokerAgent
from brokers.selectors import broker_search
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    OrganizationFactory,
    SanctionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}brokers"


@pytest.fixture
def officer(client):
    user = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS, is_staff=True)
    client.force_login(user)
    return user


def test_customs_officer_sees_brokers_with_their_status(client, officer) -> None:
    broker = BrokerFactory.create(organization__name="Công ty Đại lý Hải Phòng")
    SanctionFactory.create(broker=broker)

    page = client.get(f"{ADMIN}/broker/").content.decode()

    assert "Công ty Đại lý Hải Phòng" in page
    assert "Suspended" in page


def test_customs_officer_adds_a_broker_that_is_searchable_at_once(client, officer) -> None:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER, name="Công ty Cổ phần Đà Nẵng"
    )

    response = client.post(
        f"{ADMIN}/broker/add/",
        {
            "organization": organization.pk,
            "license_number": "dn-0001",
            "issued_on": "2025-01-01",
            "valid_until": "2030-01-01",
            "agents-TOTAL_FORMS": "0",
            "agents-INITIAL_FORMS": "0",
            "sanctions-TOTAL_FORMS": "0",
            "sanctions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    broker = Broker.objects.get()
    assert broker.license_number == "DN-0001"
    assert [b.pk for b in broker_search(q="da nang")] == [broker.pk]


def test_customs_officer_adds_and_corrects_an_agent(client, officer) -> None:
    broker = BrokerFactory.create()

    client.post(
        f"{ADMIN}/brokeragent/add/",
        {
            "broker": broker.pk,
            "full_name": "Lê Thị Hoa",
            "agent_code": "nv777",
            "valid_until": "2030-01-01",
        },
    )
    agent = BrokerAgent.objects.get()
    client.post(
        f"{ADMIN}/brokeragent/{agent.pk}/change/",
        {"full_name": "Lê Thị Hoà", "valid_until": "2031-01-01"},
    )

    agent.refresh_from_db()
    assert (agent.agent_code, agent.full_name, agent.valid_until) == (
        "NV777",
        "Lê Thị Hoà",
        date(2031, 1, 1),
    )


def test_sanctions_are_view_only_and_nothing_is_deleted(client, officer) -> None:
    sanction = SanctionFactory.create(decision_number="55/QĐ-HQ")

    assert "55/QĐ-HQ" in client.get(f"{ADMIN}/sanction/").content.decode()
    assert client.get(f"{ADMIN}/sanction/add/").status_code == 403
    assert (
        client.post(f"{ADMIN}/sanction/{sanction.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert (
        client.post(f"{ADMIN}/broker/{sanction.broker.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Broker.objects.count() == 1


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_staff_of_other_organisations_cannot_open_the_register_admin(client, kind) -> None:
    BrokerAgentFactory.create()
    client.force_login(UserFactory.create(organization__kind=kind, is_staff=True))

    assert client.get(f"{ADMIN}/broker/").status_code == 403
    assert client.get(f"{ADMIN}/brokeragent/").status_code == 403


def test_customs_user_without_admin_access_is_sent_to_the_login(client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))

    assert client.get(f"{ADMIN}/broker/").status_code == 302


def test_renaming_a_broker_organisation_in_the_admin_keeps_the_register_search_current(
    rf,
) -> None:
    from django.contrib import admin

    broker = BrokerFactory.create(organization__name="Công ty Tên Cũ")
    organization = broker.organization
    organization.name = "Công ty Đại lý Quảng Ninh"
    request = rf.post("/")
    request.user = UserFactory.create(is_staff=True, is_superuser=True)

    admin.site._registry[Organization].save_model(request, organization, None, True)

    assert [b.pk for b in broker_search(q="dai ly quang ninh")] == [broker.pk]
    assert list(broker_search(q="ten cu")) == []
