"""Demo data of the contracts app, created by ``seed_demo`` after the apps before it.

A few hundred contracts among trader and broker organisations (some pending, some
expiring within 30 days, some expired, terminated or rejected) and letters of authority
under the active ones (some revoked); the demo trader and demo broker have some of each.
Brokers and agents come from the brokers app's seed when it has run; otherwise a few
are made here, keyed on ``DEMO-BRK-``/``DEMO-AG-`` numbers that the register never uses.
Everything is bulk-created in one transaction and keyed on the ``HĐDV-`` references, so
that a second run creates nothing.
"""

import hashlib
import io
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from faker import Faker
from pypdf import PdfWriter
from stdnum.vn import mst

from accounts.models import Organization, User
from accounts.provinces import Province
from brokers.models import Broker, BrokerAgent, CustomsOffice
from brokers.search import broker_search_text
from brokers.services import broker_create
from contracts.models import LetterNumberCounter, LetterOfAuthority, Service, ServiceContract
from contracts.services import (
    VERIFICATION_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    contracts_history_record,
)
from demo.brokers import BRAND_WORDS, person_name

DEMO_TRADER_TAX_CODE = "0301234562"
DEMO_BROKER_TAX_CODE = "0201234569"
REFERENCE_PREFIX = "HĐDV-"
CONTRACT_COUNT = 300
TRADER_TARGET = 150
BROKER_TARGET = 12
DOCUMENT_NAME = "contracts/demo/hop-dong-mau.pdf"
CONTRACT_KINDS = ["active", "pending", "expiring", "expired", "terminated", "rejected"]


def _tax_codes(start: int, count: int, taken: set[str]) -> list[str]:
    codes: list[str] = []
    number = start
    while len(codes) < count:
        stem = f"{number:09d}"
        number += 1
        check = mst.calc_check_digit(stem)
        if len(check) == 1 and stem + check not in taken:
            codes.append(stem + check)
    return codes


def demo_document() -> tuple[str, str]:
    """One small signed-contract PDF shared by every demo contract: (name, SHA-256)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Hợp đồng dịch vụ đại lý làm thủ tục hải quan (mẫu)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    content = buffer.getvalue()
    storage = ServiceContract._meta.get_field("document").storage  # type: ignore[union-attr]
    if not storage.exists(DOCUMENT_NAME):
        storage.save(DOCUMENT_NAME, ContentFile(content))
    with storage.open(DOCUMENT_NAME, "rb") as stored:
        return DOCUMENT_NAME, hashlib.sha256(stored.read()).hexdigest()


def _organizations(
    kind: str, target: int, start: int, fake: Faker, names: random.Random
) -> list[Organization]:
    existing = list(Organization.objects.filter(kind=kind).order_by("id"))
    missing = target - len(existing)
    if missing <= 0:
        return existing
    taken = set(Organization.objects.values_list("tax_code", flat=True))
    trade = "Thương mại" if kind == Organization.Kind.TRADER else "Đại lý Hải quan"
    new = []
    for code in _tax_codes(start, missing, taken):
        province = Province(random.choice(Province.values))
        new.append(
            Organization(
                kind=kind,
                name=f"Công ty TNHH {trade} {names.choice(BRAND_WORDS)} {province.label}",
                tax_code=code,
                province=province,
                address=f"{fake.street_address()}, {province.label}",
                email=f"lienhe-{code}@demo.test",
            )
        )
    Organization.objects.bulk_create(new)
    return list(Organization.objects.filter(kind=kind).order_by("id"))


def _one_user_each(
    organizations: list[Organization], role: str, names: random.Random
) -> dict[int, User]:
    """A user per organisation to stand as uploader or confirmer (no usable password)."""
    users: dict[int, User] = {}
    for user in User.objects.filter(organization__in=organizations).order_by("-role", "id"):
        users.setdefault(user.organization_id or 0, user)
    unusable = make_password(None)
    new = [
        User(
            email=f"contracts-{organization.tax_code}@demo.test",
            full_name=person_name(names),
            organization=organization,
            role=role,
            password=unusable,
        )
        for organization in organizations
        if organization.pk not in users
    ]
    User.objects.bulk_create(new)
    for user in User.objects.filter(email__in=[user.email for user in new]):
        users[user.organization_id or 0] = user
    return users


def _brokers(fake: Faker, names: random.Random, today: date) -> list[Broker]:
    demo_broker_org = Organization.objects.filter(tax_code=DEMO_BROKER_TAX_CODE).first()
    if (
        demo_broker_org is not None
        and not Broker.objects.filter(organization=demo_broker_org).exists()
    ):
        broker_create(
            organization=demo_broker_org,
            license_number="DEMO-BRK-0001",
            issued_on=today - timedelta(days=3 * 365),
            valid_until=today + timedelta(days=2 * 365),
        )
    if Broker.objects.count() < BROKER_TARGET:
        organizations = _organizations(
            Organization.Kind.BROKER, BROKER_TARGET, 207_300_000, fake, names
        )
        licensed = set(Broker.objects.values_list("organization_id", flat=True))
        unlicensed = [org for org in organizations if org.pk not in licensed]
        number = Broker.objects.filter(license_number__startswith="DEMO-BRK-").count() + 1
        new = []
        for organization in unlicensed[: BROKER_TARGET - Broker.objects.count()]:
            broker = Broker(
                organization=organization,
                license_number=f"DEMO-BRK-{number:04d}",
                issued_on=today - timedelta(days=random.randint(200, 2000)),
                valid_until=today + timedelta(days=random.randint(200, 1500)),
            )
            broker.search_text = broker_search_text(broker)
            new.append(broker)
            number += 1
        Broker.objects.bulk_create(new)
    brokers = list(Broker.objects.select_related("organization").order_by("id"))
    staffed = set(BrokerAgent.objects.values_list("broker_id", flat=True).distinct())
    without_agents = [broker for broker in brokers if broker.pk not in staffed]
    start = BrokerAgent.objects.filter(agent_code__startswith="DEMO-AG-").count() + 1
    agents = []
    for broker in without_agents:
        for _index in range(3):
            agents.append(
                BrokerAgent(
                    broker=broker,
                    full_name=person_name(names),
                    agent_code=f"DEMO-AG-{start:05d}",
                    valid_until=today + timedelta(days=random.randint(300, 1500)),
                )
            )
            start += 1
    BrokerAgent.objects.bulk_create(agents)
    return brokers


def _verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _i in range(VERIFICATION_CODE_LENGTH))


@dataclass(frozen=True)
class _Setting:
    """What every demo contract and letter shares: the day, the document and the people."""

    today: date
    now: datetime
    document_name: str
    document_sha256: str
    uploaders: dict[int, User]
    confirmers: dict[int, User]


def _pairs(traders: list[Organization], brokers: list[Broker]) -> list[tuple[Organization, Broker]]:
    """The demo pair first (one of each status), then pairs spread over everybody."""
    demo_trader = next((t for t in traders if t.tax_code == DEMO_TRADER_TAX_CODE), traders[0])
    demo_broker = next(
        (b for b in brokers if b.organization.tax_code == DEMO_BROKER_TAX_CODE), brokers[0]
    )
    pairs = [(demo_trader, demo_broker)] * 6
    pairs += [(demo_trader, broker) for broker in brokers[:6] if broker != demo_broker]
    pairs += [(trader, demo_broker) for trader in traders[1:9] if trader != demo_trader]
    while len(pairs) < CONTRACT_COUNT:
        pairs.append((random.choice(traders), random.choice(brokers)))
    return pairs


def _contract_kind(index: int) -> str:
    """The status the index-th contract is given: the first six one of each."""
    if index <= 6:
        return CONTRACT_KINDS[index - 1]
    kind = CONTRACT_KINDS[index % len(CONTRACT_KINDS)]
    if kind == "rejected" and index % 5:
        return "active"  # fewer rejections than anything else
    return kind


def _contract_period(kind: str, today: date) -> tuple[date, date]:
    """The first and last day of a contract of that status."""
    start = today - timedelta(days=random.randint(30, 300))
    end = start + timedelta(days=365)
    if kind == "pending":
        start = today + timedelta(days=random.randint(-10, 20))
        end = start + timedelta(days=365)
    elif kind == "expiring":
        end = today + timedelta(days=random.randint(2, 29))
    elif kind == "expired":
        start = today - timedelta(days=random.randint(400, 800))
        end = start + timedelta(days=365)
    return start, end


def _contract_review(contract: ServiceContract, kind: str, setting: _Setting) -> None:
    """Confirm, reject or terminate the contract as its status says, by the trader."""
    confirmer = setting.confirmers[contract.trader.pk]
    if kind != "pending":
        contract.confirmed_by = confirmer
        contract.confirmed_at = contract.uploaded_at + timedelta(days=1)
    if kind == "rejected":
        contract.confirmed_by = contract.confirmed_at = None
        contract.rejected_by = confirmer
        contract.rejected_at = contract.uploaded_at + timedelta(days=2)
        contract.rejection_reason = "Phạm vi dịch vụ không đúng thỏa thuận."
    if kind == "terminated":
        contract.terminated_by = confirmer
        contract.terminated_at = setting.now - timedelta(days=3)
        contract.terminated_on = setting.today - timedelta(days=3)
        contract.termination_reason = "Hai bên thỏa thuận chấm dứt hợp đồng trước hạn."


def _contract(
    index: int, kind: str, trader: Organization, broker: Broker, setting: _Setting
) -> ServiceContract:
    """The index-th demo contract between the pair, with the history of its status."""
    today = setting.today
    start, end = _contract_period(kind, today)
    contract = ServiceContract(
        trader=trader,
        broker=broker,
        reference=f"{REFERENCE_PREFIX}{index:04d}/{start.year}",
        signed_on=start - timedelta(days=random.randint(1, 20)),
        valid_from=start,
        valid_until=end,
        services=[*random.sample(Service.values, k=random.randint(1, 3)), "declaration"],
        document=setting.document_name,
        document_sha256=setting.document_sha256,
        uploaded_by=setting.uploaders[broker.organization_id],
        uploaded_at=setting.now - timedelta(days=(today - start).days + 5),
    )
    contract.services = sorted(set(contract.services))
    _contract_review(contract, kind, setting)
    return contract


def _contracts_create(
    pairs: list[tuple[Organization, Broker]], setting: _Setting
) -> list[tuple[str, ServiceContract]]:
    """A contract for each pair, bulk-created; (status, stored contract) in pair order."""
    contracts = []
    for index, (trader, broker) in enumerate(pairs, start=1):
        kind = _contract_kind(index)
        contracts.append((kind, _contract(index, kind, trader, broker, setting)))
    ServiceContract.objects.bulk_create([contract for _kind, contract in contracts])
    stored = {
        contract.reference: contract
        for contract in ServiceContract.objects.filter(reference__startswith=REFERENCE_PREFIX)
    }
    return [(kind, stored[draft.reference]) for kind, draft in contracts]


def _customs_offices_link(contracts: list[tuple[str, ServiceContract]]) -> None:
    """Two customs offices (or as many as there are) for each contract."""
    offices = list(CustomsOffice.objects.all())
    if not offices:
        return
    through = ServiceContract.customs_offices.through
    through.objects.bulk_create(
        [
            through(servicecontract_id=contract.pk, customsoffice_id=o.pk)
            for _kind, contract in contracts
            for o in random.sample(offices, k=min(2, len(offices)))
        ]
    )


def _letter(
    contract: ServiceContract,
    agent: BrokerAgent,
    *,
    number: int,
    index: int,
    revoked: bool,
    setting: _Setting,
) -> LetterOfAuthority:
    """The index-th letter under the contract: the first for its whole period."""
    today, now = setting.today, setting.now
    return LetterOfAuthority(
        contract=contract,
        agent=agent,
        number=f"LOA-{today.year}-{number:06d}",
        verification_code=_verification_code(),
        procedures=contract.services[:2],
        shipment_references=(
            f"Tờ khai nhập khẩu lô hàng INV-{today.year}-{number:05d}" if index == 1 else ""
        ),
        valid_from=contract.valid_from,
        valid_until=min(contract.valid_until, contract.valid_from + timedelta(days=180))
        if index
        else contract.valid_until,
        status=LetterOfAuthority.Status.REVOKED if revoked else LetterOfAuthority.Status.ISSUED,
        issued_by=contract.confirmed_by or setting.confirmers[contract.trader_id],
        issued_at=(contract.confirmed_at or now) + timedelta(hours=2),
        revoked_by=contract.confirmed_by if revoked else None,
        revoked_at=now - timedelta(days=1) if revoked else None,
        revocation_reason="Nhân viên đã chuyển công tác." if revoked else "",
    )


def _letters_create(contracts: list[tuple[str, ServiceContract]], setting: _Setting) -> int:
    """One to three letters under each contract that has been in force, numbered on from
    the year's counter, bulk-created; returns how many."""
    today = setting.today
    agents_by_broker: dict[int, list[BrokerAgent]] = {}
    for agent in BrokerAgent.objects.filter(withdrawn_on__isnull=True):
        agents_by_broker.setdefault(agent.broker_id, []).append(agent)
    counter, _created = LetterNumberCounter.objects.select_for_update().get_or_create(
        year=today.year
    )
    highest = LetterOfAuthority.objects.filter(number__startswith=f"LOA-{today.year}-").aggregate(
        Max("number")
    )["number__max"]
    number = max(counter.last_number, int(highest[-6:]) if highest else 0)
    letters = []
    for kind, contract in contracts:
        agents = agents_by_broker.get(contract.broker_id, [])
        if kind not in ("active", "expiring", "expired", "terminated") or not agents:
            continue
        for index in range(random.randint(1, 3)):
            number += 1
            letters.append(
                _letter(
                    contract,
                    random.choice(agents),
                    number=number,
                    index=index,
                    revoked=kind != "expired" and index == 2,
                    setting=setting,
                )
            )
    LetterOfAuthority.objects.bulk_create(letters)
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    return len(letters)


def _history_record() -> None:
    """The demo's history goes on the audit log as the services would have written it."""
    contracts_history_record(
        contracts=ServiceContract.objects.filter(reference__startswith=REFERENCE_PREFIX)
        .select_related("trader", "broker__organization", "uploaded_by")
        .order_by("pk"),
        letters=LetterOfAuthority.objects.filter(contract__reference__startswith=REFERENCE_PREFIX)
        .select_related("contract__trader", "contract__broker__organization", "agent")
        .order_by("pk"),
    )


@transaction.atomic
def seed(*, say: Callable[[str], None]) -> None:
    """Contracts and letters for a few hundred trader-broker pairs (idempotent)."""
    if ServiceContract.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
        say("Contracts: demo contracts already in place.")
        return
    random.seed(20260501)
    fake = Faker("vi_VN")
    fake.seed_instance(20260501)
    today = timezone.localdate()
    now = timezone.now()
    names = random.Random(20260501)
    brokers = _brokers(fake, names, today)
    traders = _organizations(Organization.Kind.TRADER, TRADER_TARGET, 313_700_000, fake, names)
    uploaders = _one_user_each([broker.organization for broker in brokers], User.Role.STAFF, names)
    confirmers = _one_user_each(traders, User.Role.ADMIN, names)
    document_name, document_sha256 = demo_document()
    setting = _Setting(today, now, document_name, document_sha256, uploaders, confirmers)
    contracts = _contracts_create(_pairs(traders, brokers), setting)
    _customs_offices_link(contracts)
    letters = _letters_create(contracts, setting)
    _history_record()
    say(
        f"Contracts: {len(contracts)} contracts among {len(traders)} traders and "
        f"{len(brokers)} brokers, {letters} letters of authority."
    )
