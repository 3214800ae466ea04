"""A crafted data set for the compliance rules: exactly one declaration per rule, and
clean ones. Shared by the scan and the authorization tests."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Organization
from brokers.models import Broker, BrokerAgent
from compliance.models import Declaration
from contracts.models import ServiceContract
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    DeclarationFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    SanctionFactory,
    ServiceContractFactory,
    SigningCertificateFactory,
    valid_tax_code,
)


@dataclass
class World:
    trader: Organization
    broker: Broker
    agent: BrokerAgent
    contract: ServiceContract
    broker_serial: str
    trader_serial: str
    stranger_tax_code: str
    trader_without_contract: Organization
    trader_with_expired_contract: Organization
    suspended_broker: Broker
    agent_without_letter: BrokerAgent
    declarations: dict[str, Declaration] = field(default_factory=dict)

    def declare(self, key: str, **values: object) -> Declaration:
        defaults: dict[str, object] = {
            "trader_tax_code": self.trader.tax_code,
            "declarant_tax_code": self.broker.organization.tax_code,
            "agent_code": self.agent.agent_code,
            "signer_serial": self.broker_serial,
        }
        defaults.update(values)
        declaration = DeclarationFactory.create(**defaults)
        self.declarations[key] = declaration
        return declaration


def build_world() -> World:
    today = timezone.localdate()
    # Explicit tax codes: the factories' very first sequence number gives an invalid one.
    trader = OrganizationFactory.create(
        name="Công ty Sao Việt", kind=Organization.Kind.TRADER, tax_code=valid_tax_code(700_001)
    )
    broker = BrokerFactory.create(organization__name="Đại lý Hải Phòng")
    agent = BrokerAgentFactory.create(broker=broker, agent_code="AG-OK")
    contract = ServiceContractFactory.create(trader=trader, broker=broker)
    LetterOfAuthorityFactory.create(contract=contract, agent=agent)
    broker_serial = SigningCertificateFactory.create(organization=broker.organization).serial_number
    trader_serial = SigningCertificateFactory.create(organization=trader).serial_number

    trader_without_contract = OrganizationFactory.create(name="Công ty Không Hợp Đồng")
    trader_with_expired_contract = OrganizationFactory.create(name="Công ty Hết Hạn")
    ServiceContractFactory.create(
        trader=trader_with_expired_contract,
        broker=broker,
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=35),
        signed_on=today - timedelta(days=400),
    )

    suspended_broker = BrokerFactory.create(organization__name="Đại lý Bị Đình Chỉ")
    SanctionFactory.create(broker=suspended_broker, starts_on=today - timedelta(days=3))
    suspended_agent = BrokerAgentFactory.create(broker=suspended_broker, agent_code="AG-SUSP")
    suspended_contract = ServiceContractFactory.create(trader=trader, broker=suspended_broker)
    LetterOfAuthorityFactory.create(contract=suspended_contract, agent=suspended_agent)
    suspended_serial = SigningCertificateFactory.create(
        organization=suspended_broker.organization
    ).serial_number

    agent_without_letter = BrokerAgentFactory.create(broker=broker, agent_code="AG-NOLETTER")
    world = World(
        trader=trader,
        broker=broker,
        agent=agent,
        contract=contract,
        broker_serial=broker_serial,
        trader_serial=trader_serial,
        stranger_tax_code=valid_tax_code(987_654),
        trader_without_contract=trader_without_contract,
        trader_with_expired_contract=trader_with_expired_contract,
        suspended_broker=suspended_broker,
        agent_without_letter=agent_without_letter,
    )
    world.declare("clean")
    world.declare(
        "clean_self_filed",
        declarant_tax_code=trader.tax_code,
        agent_code="",
        signer_serial=trader_serial,
    )
    world.declare("no_contract", trader_tax_code=trader_without_contract.tax_code)
    world.declare("contract_expired", trader_tax_code=trader_with_expired_contract.tax_code)
    world.declare(
        "broker_suspended",
        declarant_tax_code=suspended_broker.organization.tax_code,
        agent_code="AG-SUSP",
        signer_serial=suspended_serial,
    )
    world.declare("unlicensed_declarant", declarant_tax_code=world.stranger_tax_code)
    world.declare("signature_misuse", signer_serial=trader_serial)
    world.declare("no_authority_letter", agent_code="AG-NOLETTER")
    return world


EXPECTED_FLAGS = {
    ("no_contract", "no_contract"),
    ("contract_expired", "contract_expired"),
    ("broker_suspended", "broker_suspended"),
    ("unlicensed_declarant", "unlicensed_declarant"),
    ("signature_misuse", "signature_misuse"),
    ("no_authority_letter", "no_authority_letter"),
}


def on_day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)
