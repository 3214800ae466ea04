from dataclasses import dataclass

import pytest

from accounts.models import Organization, User
from brokers.models import Broker, BrokerAgent
from contracts.models import LetterOfAuthority
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
)


@dataclass
class BrokerWithClients:
    broker: Broker
    broker_admin: User
    agent: BrokerAgent
    other_agent: BrokerAgent
    traders: list[Organization]
    letters: list[LetterOfAuthority]


@pytest.fixture
def officer() -> User:
    return UserFactory.create(
        organization=OrganizationFactory.create(
            kind=Organization.Kind.CUSTOMS, name="Cục Hải quan"
        ),
        email="officer@customs.test",
    )


@pytest.fixture
def broker_with_clients() -> BrokerWithClients:
    """A broker with two traders holding contracts in force, three live letters (two to
    ``agent``), and one trader whose contract has ended."""
    broker = BrokerFactory.create(
        license_number="DL-0042",
        organization=OrganizationFactory.create(
            kind=Organization.Kind.BROKER, name="Đại lý Hải Phòng", email=""
        ),
    )
    broker_admin = UserFactory.create(
        organization=broker.organization, role=User.Role.ADMIN, email="admin@broker.test"
    )
    UserFactory.create(organization=broker.organization, email="staff@broker.test")
    agent = BrokerAgentFactory.create(broker=broker, agent_code="NV-A1", full_name="Agent One")
    other_agent = BrokerAgentFactory.create(broker=broker, agent_code="NV-B2")
    traders = [
        OrganizationFactory.create(name=f"Trader {n}", email=f"trader{n}@org.test")
        for n in range(3)
    ]
    letters = []
    for trader in traders[:2]:
        contract = ServiceContractFactory.create(broker=broker, trader=trader)
        letters.append(LetterOfAuthorityFactory.create(contract=contract, agent=agent))
    letters.append(LetterOfAuthorityFactory.create(contract=contract, agent=other_agent))
    ServiceContractFactory.create(
        broker=broker,
        trader=traders[2],
        valid_from="2024-01-01",
        valid_until="2024-12-31",
        signed_on="2024-01-01",
    )
    return BrokerWithClients(broker, broker_admin, agent, other_agent, traders, letters)
