"""broker_create / broker_update / broker_search_text_refresh keep the search column current."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organization
from brokers.models import Broker
from brokers.selectors import broker_search
from brokers.services import (
    agent_create,
    broker_create,
    broker_search_text_refresh,
    broker_update,
)
from tests.factories import BrokerFactory, CustomsOfficeFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_broker_create_stores_the_folded_search_text_and_offices() -> None:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER, name="Công ty Đại lý Hải Phòng", tax_code="0100109106"
    )
    office = CustomsOfficeFactory.create()

    broker = broker_create(
        organization=organization,
        license_number=" dl-0042 ",
        issued_on=date(2024, 1, 1),
        valid_until=date(2029, 1, 1),
        customs_offices=[office],
    )

    broker.refresh_from_db()
    assert broker.license_number == "DL-0042"
    assert broker.search_text == " cong ty dai ly hai phong 0100109106 dl-0042 "
    assert list(broker.customs_offices.all()) == [office]


def test_a_factory_made_broker_has_the_search_text_a_service_made_one_has() -> None:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER, name="Công ty Đại lý Đà Nẵng", tax_code="0100109106"
    )
    service_made = broker_create(
        organization=organization,
        license_number="DL-0042",
        issued_on=date(2024, 1, 1),
        valid_until=date(2029, 1, 1),
    )
    factory_made = BrokerFactory.build(organization=organization, license_number="DL-0042")

    assert factory_made.search_text == service_made.search_text
    assert service_made.search_text == " cong ty dai ly da nang 0100109106 dl-0042 "


def test_broker_create_rejects_dates_in_the_wrong_order_and_stores_nothing() -> None:
    organization = OrganizationFactory.create(kind=Organization.Kind.BROKER)

    with pytest.raises(ValidationError) as refused:
        broker_create(
            organization=organization,
            license_number="DL-1",
            issued_on=date(2025, 1, 1),
            valid_until=date(2024, 1, 1),
        )
    assert refused.value.messages == ["The licence must end after it is issued."]
    assert not Broker.objects.exists()


def test_broker_update_of_the_licence_number_is_searchable_at_once() -> None:
    broker = BrokerFactory.create(license_number="OLD-1")

    broker_update(broker=broker, license_number="NEW-2")

    assert [b.pk for b in broker_search(q="new-2")] == [broker.pk]
    assert list(broker_search(q="old-1")) == []


def test_search_text_refresh_after_an_organisation_is_renamed() -> None:
    broker = BrokerFactory.create(organization__name="Công ty Cũ")
    organization = broker.organization
    organization.name = "Công ty Mới Đà Nẵng"
    organization.save()

    broker_search_text_refresh(organization=organization)

    assert [b.pk for b in broker_search(q="moi da nang")] == [broker.pk]


def test_agent_create_rejects_a_duplicate_agent_code() -> None:
    broker = BrokerFactory.create()
    agent_create(
        broker=broker, full_name="Lê Văn An", agent_code="nv0001", valid_until=date(2030, 1, 1)
    )

    with pytest.raises(ValidationError):
        agent_create(
            broker=broker,
            full_name="Lê Văn Bình",
            agent_code="NV0001",
            valid_until=date(2030, 1, 1),
        )
    assert broker.agents.count() == 1
