"""Demo data of the compliance app, created by ``seed_demo`` after the apps before it.

About 20,000 declarations of the last 90 days, derived from the brokers, contracts and
letters on file (the few it needs and does not find are added first), with a realistic
share of each violation; then the scan runs, so that the demo trader, the demo broker and
the customs queue show flags. Skipped when the demo declarations exist already, so that
running ``seed_demo`` twice creates nothing twice.
"""

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum.vn import mst

from accounts.models import Organization, SigningCertificate, User
from accounts.provinces import Province
from brokers.models import Broker, BrokerAgent, Sanction
from brokers.search import broker_search_text
from compliance.models import Declaration
from compliance.scan import declarations_scan
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.services import (
    VERIFICATION_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    contracts_history_record,
)
from demo.brokers import ACTIVITIES, BRAND_WORDS, LEGAL_FORMS, person_name
from demo.contracts import demo_document

DEMO_TRADER_TAX_CODE = "0301234562"
DEMO_BROKER_TAX_CODE = "0201234569"
# Demo declaration numbers start with this (real ones are 12 digits starting with 10).
NUMBER_PREFIX = "309"
DECLARATIONS = 20_000
BROKERS_WANTED = 12
TRADERS_WANTED = 300
DAYS = 90
# Share of the declarations filed by brokers that break each rule (one rule each).
VIOLATION_SHARE = {
    "no_contract": 0.02,
    "contract_expired": 0.015,
    "broker_suspended": 0.01,
    "unlicensed_declarant": 0.01,
    "signature_misuse": 0.02,
    "no_authority_letter": 0.02,
}
SELF_FILED_SHARE = 0.35


@dataclass(frozen=True)
class Lane:
    """A trader filing through a broker's agent under a valid letter, with the broker's
    own certificate: a clean declaration unless one part is changed."""

    trader: str
    broker_tax_code: str
    agent_code: str
    serial: str


def _tax_code(seed: int, prefix: str) -> str:
    number = seed
    while True:
        stem = f"{prefix}{number:07d}"[:9]
        check = mst.calc_check_digit(stem)
        if len(check) == 1 and mst.is_valid(stem + check):
            return stem + check
        number += 1


def _serial(organization: Organization) -> str:
    return hashlib.sha256(f"demo-{organization.tax_code}".encode()).hexdigest()[:16].upper()


STREETS = ["Lê Hồng Phong", "Trần Phú", "Nguyễn Trãi", "Hai Bà Trưng", "Điện Biên Phủ", "Lạch Tray"]


def _company_name(number: int, activity: str, province: str) -> str:
    """A Vietnamese firm's name: legal form, trade, brand and the place, e.g. "Công ty Cổ
    phần Giao nhận Vận tải Minh Phát Hải Phòng"."""
    legal_form = LEGAL_FORMS[number % len(LEGAL_FORMS)]
    brand = BRAND_WORDS[number % len(BRAND_WORDS)]
    return f"{legal_form} {activity} {brand} {Province(province).label}"


def _ensure_organizations(kind: str, wanted: int, prefix: str, activity: str) -> list[Organization]:
    existing = list(Organization.objects.filter(kind=kind).order_by("pk"))
    taken = set(Organization.objects.values_list("tax_code", flat=True))
    new: list[Organization] = []
    seed = 1
    while len(existing) + len(new) < wanted:
        tax_code = _tax_code(seed, prefix)
        seed = int(tax_code[2:9]) + 1
        if tax_code in taken:
            continue
        taken.add(tax_code)
        number = len(existing) + len(new) + 1
        province = Province.HA_NOI if number % 2 else Province.HAI_PHONG
        street = STREETS[number % len(STREETS)]
        new.append(
            Organization(
                kind=kind,
                name=_company_name(number, activity, province),
                tax_code=tax_code,
                province=province,
                address=f"Số {number} đường {street}, {Province(province).label}",
            )
        )
    Organization.objects.bulk_create(new)
    return list(Organization.objects.filter(kind=kind).order_by("pk"))


def _ensure_brokers(today: date) -> list[Broker]:
    organizations = _ensure_organizations(
        Organization.Kind.BROKER, BROKERS_WANTED, "02", ACTIVITIES[0]
    )
    with_broker = set(Broker.objects.values_list("organization_id", flat=True))
    new = []
    for organization in organizations:
        if organization.pk in with_broker:
            continue
        broker = Broker(
            organization=organization,
            # The 8xxxx series: the register's seed numbers its licences from 00001.
            license_number=f"DL-{today.year - 3}-8{organization.pk:04d}",
            issued_on=today - timedelta(days=3 * 365),
            valid_until=today + timedelta(days=2 * 365),
        )
        broker.search_text = broker_search_text(broker)
        new.append(broker)
    Broker.objects.bulk_create(new)
    brokers = list(Broker.objects.select_related("organization").order_by("pk"))
    # Only brokers the register's own seed left without agents get three here.
    with_agents = set(BrokerAgent.objects.values_list("broker_id", flat=True).distinct())
    BrokerAgent.objects.bulk_create(
        BrokerAgent(
            broker=broker,
            full_name=person_name(random.Random(broker.pk * 10 + k)),
            agent_code=f"HQ-8{broker.pk:04d}-{k + 1}",
            valid_until=today + timedelta(days=365),
        )
        for broker in brokers
        if broker.pk not in with_agents
        for k in range(3)
    )
    return brokers


def _ensure_certificates(organizations: list[Organization]) -> None:
    with_certificate = set(SigningCertificate.objects.values_list("organization_id", flat=True))
    now = timezone.now()
    SigningCertificate.objects.bulk_create(
        SigningCertificate(
            organization=organization,
            serial_number=_serial(organization),
            subject=f"CN={organization.name}, O={organization.tax_code}",
            issuer="CN=Demo CA",
            not_before=now - timedelta(days=365),
            not_after=now + timedelta(days=2 * 365),
            fingerprint_sha256=hashlib.sha256(organization.tax_code.encode()).hexdigest(),
            der=b"demo",
        )
        for organization in organizations
        if organization.pk not in with_certificate
    )


def _demo_contracts(
    trader: Organization,
    broker: Broker,
    earlier_broker: Broker | None,
    today: date,
    shared: dict[str, Any],
) -> list[ServiceContract]:
    """A contract in force with the broker and, when one is given, an expired contract
    with an earlier broker."""
    contracts = [
        ServiceContract(
            broker=broker,
            reference=f"{trader.pk:04d}/{today.year}/HĐĐL",
            signed_on=today - timedelta(days=200),
            valid_from=today - timedelta(days=180),
            valid_until=today + timedelta(days=365),
            services=["declaration"],
            **shared,
        )
    ]
    if earlier_broker is not None:
        contracts.append(
            ServiceContract(
                broker=earlier_broker,
                reference=f"{trader.pk:04d}/{today.year - 2}/HĐĐL",
                signed_on=today - timedelta(days=800),
                valid_from=today - timedelta(days=760),
                valid_until=today - timedelta(days=400),
                services=["declaration"],
                **shared,
            )
        )
    return contracts


def _contracts_build(
    traders: list[Organization], brokers: list[Broker], today: date, by: User
) -> list[ServiceContract]:
    """The contracts of the traders without one, spread over the brokers; the demo trader's
    is with the demo broker."""
    covered = set(ServiceContract.objects.values_list("trader_id", flat=True))
    document, document_sha256 = demo_document()
    contracts = []
    for index, trader in enumerate(traders):
        if trader.pk in covered:
            continue
        broker = brokers[index % len(brokers)]
        if trader.tax_code == DEMO_TRADER_TAX_CODE:
            broker = next(b for b in brokers if b.organization.tax_code == DEMO_BROKER_TAX_CODE)
        shared = {
            "trader": trader,
            "document": document,
            "document_sha256": document_sha256,
        }
        shared |= {"uploaded_by": by, "confirmed_by": by, "confirmed_at": timezone.now()}
        earlier_broker = brokers[(index + 5) % len(brokers)] if index % 10 == 0 else None
        contracts += _demo_contracts(trader, broker, earlier_broker, today, shared)
    return contracts


def _letters_create(contracts: list[ServiceContract], today: date, by: User) -> None:
    """A letter for an agent of the broker under each contract still in force."""
    first_agent = {
        broker_id: agent_id
        for broker_id, agent_id in BrokerAgent.objects.order_by("-pk").values_list(
            "broker_id", "pk"
        )
    }
    LetterOfAuthority.objects.bulk_create(
        LetterOfAuthority(
            contract=contract,
            agent_id=first_agent[contract.broker_id],
            # The 9xxxxx series: the service numbers a year's letters from 000001.
            number=f"LOA-{today.year}-9{contract.pk:05d}",
            verification_code=_demo_letter_code(contract.pk),
            procedures=["declaration"],
            valid_from=contract.valid_from,
            valid_until=contract.valid_until,
            issued_by=by,
        )
        for contract in contracts
        if contract.valid_until >= today
    )


def _ensure_contracts(
    traders: list[Organization], brokers: list[Broker], today: date, by: User
) -> None:
    """A contract in force and a letter for each trader without one, and an expired
    contract with another broker for a tenth of them."""
    contracts = _contracts_build(traders, brokers, today, by)
    ServiceContract.objects.bulk_create(contracts)
    _letters_create(contracts, today, by)
    # On the audit log as the contract services would have recorded each step.
    contracts_history_record(
        contracts=contracts,
        letters=LetterOfAuthority.objects.filter(contract__in=contracts)
        .select_related("contract__trader", "contract__broker__organization", "agent")
        .order_by("pk"),
    )


def _lanes(today: date) -> list[Lane]:
    """Every (trader, broker, agent, serial) that may file today, from the letters on file."""
    serials = dict(
        SigningCertificate.objects.filter(organization__kind=Organization.Kind.BROKER)
        .order_by("pk")
        .values_list("organization_id", "serial_number")
    )
    from contracts.status import letter_in_force

    lanes = []
    for trader, broker_org_id, broker_tax_code, agent_code in (
        LetterOfAuthority.objects.filter(letter_in_force(on=today - timedelta(days=DAYS)))
        .filter(letter_in_force(on=today))
        .values_list(
            "contract__trader__tax_code",
            "contract__broker__organization_id",
            "contract__broker__organization__tax_code",
            "agent__agent_code",
        )
        .order_by("pk")
    ):
        if broker_org_id in serials:
            lanes.append(Lane(trader, broker_tax_code, agent_code, serials[broker_org_id]))
    return lanes


def seed(*, say: Callable[[str], None]) -> None:
    """About 20,000 declarations with a realistic share of violations, then the scan."""
    if Declaration.objects.filter(number__startswith=NUMBER_PREFIX).exists():
        say("Compliance: demo declarations already in place.")
        return
    today = timezone.localdate()
    demo_trader = Organization.objects.filter(tax_code=DEMO_TRADER_TAX_CODE).first()
    demo_broker = Organization.objects.filter(tax_code=DEMO_BROKER_TAX_CODE).first()
    officer = User.objects.filter(organization__kind=Organization.Kind.CUSTOMS).first()
    if demo_trader is None or demo_broker is None or officer is None:
        say("Compliance: the demo organisations are missing; run the accounts seed first.")
        return
    with transaction.atomic():
        brokers = _ensure_brokers(today)
        traders = _ensure_organizations(
            Organization.Kind.TRADER, TRADERS_WANTED, "03", "Thương mại Xuất nhập khẩu"
        )
        _ensure_certificates([b.organization for b in brokers] + traders)
        _ensure_contracts(traders, brokers, today, officer)
        suspended = next(
            (b for b in brokers if b.organization.tax_code != DEMO_BROKER_TAX_CODE), None
        )
        if suspended is not None and not Sanction.objects.exists():
            Sanction.objects.create(
                broker=suspended,
                kind=Sanction.Kind.SUSPENSION,
                reason="Không duy trì đủ điều kiện hoạt động đại lý làm thủ tục hải quan",
                decision_number="123/QĐ-HQ",
                starts_on=today - timedelta(days=45),
                decided_by=officer,
            )
        created = _declarations_create(today, traders, brokers)
    run = declarations_scan(full=True)
    say(f"Compliance: {created} declarations, {run.flags_created} flags raised by the scan.")


@dataclass(frozen=True)
class _Filings:
    """What the declarations are drawn from: the lanes, and the parties and serials that
    each violation swaps in."""

    good: list[Lane]
    sanctioned: list[Lane]
    demo_lanes: list[Lane]
    traders: list[Organization]
    trader_serials: dict[str, str]
    broker_serials: dict[str, str]
    broker_tax_codes: list[str]
    contracted: set[tuple[str, str]]
    expired: list[tuple[str, str]]


def _expired_pairs(today: date) -> list[tuple[str, str]]:
    """Pairs whose only contract ended before the period: filing through them is late."""
    return sorted(
        set(
            ServiceContract.objects.filter(
                valid_until__lt=today - timedelta(days=DAYS)
            ).values_list("trader__tax_code", "broker__organization__tax_code")
        )
        - set(
            ServiceContract.objects.filter(
                valid_until__gte=today - timedelta(days=DAYS)
            ).values_list("trader__tax_code", "broker__organization__tax_code")
        )
    )


def _filings(
    today: date, lanes: list[Lane], traders: list[Organization], brokers: list[Broker]
) -> _Filings:
    """The lanes split by the broker's sanction, with the parties on file."""
    suspended_ids = set(Sanction.objects.values_list("broker_id", flat=True))
    suspended_tax = {b.organization.tax_code for b in brokers if b.pk in suspended_ids}
    good = [lane for lane in lanes if lane.broker_tax_code not in suspended_tax]
    return _Filings(
        good=good,
        sanctioned=[lane for lane in lanes if lane.broker_tax_code in suspended_tax],
        demo_lanes=[lane for lane in good if lane.trader == DEMO_TRADER_TAX_CODE] or good[:1],
        traders=traders,
        trader_serials=dict(
            SigningCertificate.objects.filter(organization__in=traders).values_list(
                "organization__tax_code", "serial_number"
            )
        ),
        broker_serials=dict(
            SigningCertificate.objects.filter(
                organization__kind=Organization.Kind.BROKER
            ).values_list("organization__tax_code", "serial_number")
        ),
        broker_tax_codes=[b.organization.tax_code for b in brokers],
        contracted=set(
            ServiceContract.objects.values_list(
                "trader__tax_code", "broker__organization__tax_code"
            )
        ),
        expired=_expired_pairs(today),
    )


def _case(rng: random.Random) -> str:
    """Self-filed, clean, or the one rule broken, in the shares set above."""
    r = rng.random()
    if r < SELF_FILED_SHARE:
        return "self"
    threshold = SELF_FILED_SHARE
    for kind, share in VIOLATION_SHARE.items():
        threshold += share
        if r < threshold:
            return kind
    return "clean"


def _parties(
    case: str, lane: Lane, index: int, filings: _Filings, rng: random.Random
) -> tuple[str, str, str, str]:
    """(trader, declarant, agent code, signer serial) of a filing on the lane, with the
    part changed that the case breaks."""
    trader, declarant, agent, serial = (
        lane.trader,
        lane.broker_tax_code,
        lane.agent_code,
        lane.serial,
    )
    if case == "self":
        declarant, agent, serial = trader, "", filings.trader_serials.get(trader, "")
    elif case == "no_contract":
        free = [t for t in filings.broker_tax_codes if (trader, t) not in filings.contracted]
        declarant = free[index % len(free)] if free else declarant
        agent, serial = "", filings.broker_serials.get(declarant, "")
    elif case == "contract_expired" and filings.expired:
        trader, declarant = filings.expired[index % len(filings.expired)]
        agent, serial = "", filings.broker_serials.get(declarant, "")
    elif case == "broker_suspended" and filings.sanctioned:
        lane = filings.sanctioned[index % len(filings.sanctioned)]
        trader, declarant = lane.trader, lane.broker_tax_code
        agent, serial = lane.agent_code, lane.serial
    elif case == "unlicensed_declarant":
        # A trader drawn at random may be this trader itself: then it files on its own.
        declarant, agent = rng.choice(filings.traders).tax_code, ""
    elif case == "signature_misuse":
        serial = filings.trader_serials.get(trader, "")
    elif case == "no_authority_letter":
        agent = f"{agent}X"
    return trader, declarant, agent, serial


def _demo_letter_code(seed: int) -> str:
    """A code of the real letters' alphabet and length, the same on every run, so that the
    public check reads it like any other."""
    digest = hashlib.sha256(f"demo{seed}".encode()).digest()
    return "".join(
        VERIFICATION_ALPHABET[byte % len(VERIFICATION_ALPHABET)]
        for byte in digest[:VERIFICATION_CODE_LENGTH]
    )


def _declaration(
    index: int, today: date, now: datetime, filings: _Filings, rng: random.Random
) -> Declaration:
    """The index-th demo declaration, on a day of the period during office hours."""
    # The demo trader files a share of its own, so its page has something to show.
    lane = rng.choice(filings.demo_lanes if index % 25 == 0 else filings.good)
    day = today - timedelta(days=rng.randrange(DAYS))
    registered_at = timezone.make_aware(
        datetime.combine(day, time(7)) + timedelta(minutes=rng.randrange(11 * 60))
    )
    # Today's office hours may not be over yet: nothing is declared in the future.
    registered_at = min(registered_at, now - timedelta(minutes=1 + index % 60))
    trader, declarant, agent, serial = _parties(_case(rng), lane, index, filings, rng)
    return Declaration(
        number=f"{NUMBER_PREFIX}{index:09d}",
        registered_at=registered_at,
        customs_office_code=rng.choice(["03CE", "02CI", "01B1", "34NG"]),
        trader_tax_code=trader,
        declarant_tax_code=declarant,
        agent_code=agent,
        signer_serial=serial,
        channel=rng.choices(["green", "yellow", "red"], weights=[70, 22, 8])[0],
        changed_at=now,
        created_at=now,
    )


def _declarations_create(today: date, traders: list[Organization], brokers: list[Broker]) -> int:
    """The demo declarations, drawn from the lanes on file, bulk-created; returns how many."""
    rng = random.Random(2026)
    lanes = _lanes(today)
    if not lanes:
        return 0
    filings = _filings(today, lanes, traders, brokers)
    now = timezone.now()
    declarations = [_declaration(index, today, now, filings, rng) for index in range(DECLARATIONS)]
    Declaration.objects.bulk_create(declarations, batch_size=2000)
    return len(declarations)
