"""A known data set for the risk analysis: ordinary brokers and traders of one province,
with one of each pattern planted among them. Shared by the tests of the refresh, the pages
and the API.

Ordinary filing: six brokers of Hải Phòng with two clients each file 12 declarations a
broker over the last 60 days, half of them on the green channel, with their own
certificate and the agent each client named in its letter."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Organization
from accounts.provinces import Province
from brokers.models import Broker, BrokerAgent
from compliance.models import Declaration, Flag, FlagKind, FlagStatus
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    CustomsOfficeFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    SanctionFactory,
    ServiceContractFactory,
    SigningCertificateFactory,
    valid_tax_code,
)

PROVINCE = Province.HAI_PHONG
OFFICE = "03CE"
OTHER_OFFICE = "01B1"
MIDDLEMAN = valid_tax_code(990_001)


@dataclass
class Firm:
    broker: Broker
    agent: BrokerAgent
    serial: str
    clients: list[Organization]


@dataclass
class Patterns:
    ordinary: list[Firm]
    lender: Organization
    lent_serial: str
    borrowers: list[Organization]
    borrowing: Firm
    borrowed_serial: str
    switching: Organization
    new_broker: Firm
    unnamed_agent: BrokerAgent
    unnamed_for: Organization
    green: Firm
    flagged: Firm
    sanctioned: Firm
    declarations: list[Declaration] = field(default_factory=list)
    numbers: int = 0

    def declare(
        self, *, days_ago: int, trader: Organization, declarant: str, **values: Any
    ) -> None:
        self.numbers += 1
        registered = timezone.make_aware(
            datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(10))
        ) + timedelta(minutes=self.numbers)
        now = timezone.now()
        self.declarations.append(
            Declaration(
                number=f"77{self.numbers:010d}",
                registered_at=registered,
                customs_office_code=values.pop("office", OFFICE),
                trader_tax_code=trader.tax_code,
                declarant_tax_code=declarant,
                channel=values.pop("channel", Declaration.Channel.YELLOW),
                changed_at=now,
                created_at=now,
                **values,
            )
        )

    def file(self, firm: Firm, client: Organization, *, days_ago: int, **values: Any) -> None:
        values.setdefault("agent_code", firm.agent.agent_code)
        values.setdefault("signer_serial", firm.serial)
        self.declare(
            days_ago=days_ago,
            trader=client,
            declarant=firm.broker.organization.tax_code,
            **values,
        )


def _firm(name: str, clients: int = 2) -> Firm:
    broker = BrokerFactory.create(
        organization__name=name, organization__province=PROVINCE, license_number=f"DL-{name}"
    )
    agent = BrokerAgentFactory.create(broker=broker, agent_code=f"AG-{name}")
    serial = SigningCertificateFactory.create(
        organization=broker.organization, serial_number=f"B-{name}"
    ).serial_number
    traders = []
    for n in range(clients):
        trader = OrganizationFactory.create(name=f"Khách {name} {n}", province=PROVINCE)
        SigningCertificateFactory.create(organization=trader, serial_number=f"T-{name}-{n}")
        contract = ServiceContractFactory.create(
            trader=trader,
            broker=broker,
            valid_from=timezone.localdate() - timedelta(days=200),
            signed_on=timezone.localdate() - timedelta(days=200),
        )
        LetterOfAuthorityFactory.create(contract=contract, agent=agent)
        traders.append(trader)
    return Firm(broker, agent, serial, traders)


def _ordinary_filing(patterns: Patterns, firm: Firm, *, green_every: int = 2) -> None:
    """12 declarations over the last 60 days, one in ``green_every`` on the green channel."""
    for n in range(12):
        channel = Declaration.Channel.GREEN if n % green_every == 0 else Declaration.Channel.YELLOW
        patterns.file(
            firm, firm.clients[n % len(firm.clients)], days_ago=5 + n * 5, channel=channel
        )


def build_patterns() -> Patterns:
    CustomsOfficeFactory.create(code=OFFICE, province=PROVINCE)
    CustomsOfficeFactory.create(code=OTHER_OFFICE, province=Province.HA_NOI)
    ordinary = [_firm(f"Thường{n}") for n in range(5)]
    lender = OrganizationFactory.create(name="Công ty Cho Mượn", province=PROVINCE)
    lent_serial = SigningCertificateFactory.create(
        organization=lender, serial_number="LENT-TOKEN"
    ).serial_number
    borrowers = [
        OrganizationFactory.create(name=f"Công ty Mượn {n}", province=Province.HA_NOI)
        for n in range(4)
    ]
    sanctioned = _firm("BịĐìnhChỉ")
    SanctionFactory.create(broker=sanctioned.broker, starts_on=timezone.localdate())
    patterns = Patterns(
        ordinary=ordinary,
        lender=lender,
        lent_serial=lent_serial,
        borrowers=borrowers,
        borrowing=_firm("MượnKhách", clients=3),
        borrowed_serial="T-MượnKhách-0",
        switching=ordinary[0].clients[0],
        new_broker=_firm("Mới", clients=1),
        unnamed_agent=BrokerAgentFactory.create(broker=ordinary[1].broker, agent_code="AG-NONAME"),
        unnamed_for=ordinary[1].clients[1],
        green=_firm("XanhLá"),
        flagged=_firm("NhiềuCờ"),
        sanctioned=sanctioned,
    )
    for firm in [*ordinary, patterns.new_broker, patterns.flagged, sanctioned]:
        _ordinary_filing(patterns, firm)
    # A broker filing nearly everything on the green channel.
    _ordinary_filing(patterns, patterns.green, green_every=1)
    # The lent token: a middleman, neither trader nor broker, files with the lender's
    # certificate for four other traders; the lender files with it too.
    for n, borrower in enumerate(borrowers * 2):
        patterns.declare(
            days_ago=3 + n,
            trader=borrower,
            declarant=MIDDLEMAN,
            signer_serial=lent_serial,
            office=OTHER_OFFICE,
        )
    patterns.declare(
        days_ago=20, trader=lender, declarant=lender.tax_code, signer_serial=lent_serial
    )
    # A broker filing for its three clients with the first client's certificate.
    _ordinary_filing(patterns, patterns.borrowing)
    for n, client in enumerate(patterns.borrowing.clients):
        patterns.file(
            patterns.borrowing, client, days_ago=2 + n, signer_serial=patterns.borrowed_serial
        )
    # The switch: the last week's declarations of an ordinary client come from a new
    # broker, with its agent and certificate.
    for n in range(4):
        patterns.file(patterns.new_broker, patterns.switching, days_ago=1 + n)
    # An agent of an ordinary broker that the client never named in a letter.
    patterns.file(
        ordinary[1], patterns.unnamed_for, days_ago=2, agent_code=patterns.unnamed_agent.agent_code
    )
    # Outside the window: counts for nothing.
    patterns.declare(
        days_ago=120, trader=borrowers[0], declarant=MIDDLEMAN, signer_serial=lent_serial
    )
    Declaration.objects.bulk_create(patterns.declarations)
    _flags(patterns)
    return patterns


def _flags(patterns: Patterns) -> None:
    """Half the flagged broker's declarations flagged by the scan (open), and flags on
    the sanctioned broker's: three open, one resolved."""
    flagged_tax = patterns.flagged.broker.organization.tax_code
    sanctioned_tax = patterns.sanctioned.broker.organization.tax_code
    flags: list[Flag] = []
    for declaration in Declaration.objects.filter(
        declarant_tax_code__in=[flagged_tax, sanctioned_tax]
    ).order_by("number"):
        is_flagged_broker = declaration.declarant_tax_code == flagged_tax
        broker = patterns.flagged.broker if is_flagged_broker else patterns.sanctioned.broker
        count = len([f for f in flags if f.broker == broker])
        if (is_flagged_broker and count < 6) or (not is_flagged_broker and count < 4):
            flags.append(
                Flag(
                    declaration=declaration,
                    kind=FlagKind.NO_AUTHORITY_LETTER,
                    status=FlagStatus.RESOLVED
                    if not is_flagged_broker and count == 3
                    else FlagStatus.OPEN,
                    broker=broker,
                    trader=Organization.objects.get(tax_code=declaration.trader_tax_code),
                    raised_at=declaration.registered_at + timedelta(minutes=5),
                )
            )
    Flag.objects.bulk_create(flags)
