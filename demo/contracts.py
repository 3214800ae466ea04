"""Demo data of the contracts app, created by ``seed_demo`` after the apps before it.

A few hundred contracts among trader and broker organisations (some pending, some
expiring within 30 days, some expired, terminated or rejected) and letters of authority
under the active ones (some revoked); the demo trader and demo broker have some of each.
Brokers and agents come from the brokers app's seed when it has run; otherwise a few
are made here, keyed on ``DEMO-BRK-``/``DEMO-AG-`` numbers that the register never uses.
Everything is bulk-created in one transaction and keyed on the ``DEMO-`` references, so
that a second run creates nothing.
"""

import hashlib
import io
import random
import secrets
from collections.abc import Callable
from datetime import date, timedelta

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

DEMO_TRADER_TAX_CODE = "0301234562"
DEMO_BROKER_TAX_CODE = "0201234569"
REFERENCE_PREFIX = "DEMO-HĐ-"
CONTRACT_COUNT = 300
TRADER_TARGET = 150
BROKER_TARGET = 12
DOCUMENT_NAME = "contracts/demo/hop-dong-mau.pdf"


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


def _organizations(kind: str, target: int, start: int, fake: Faker) -> list[Organization]:
    existing = list(Organization.objects.filter(kind=kind).order_by("id"))
    missing = target - len(existing)
    if missing <= 0:
        return existing
    taken = set(Organization.objects.values_list("tax_code", flat=True))
    provinces = Province.values
    new = [
        Organization(
            kind=kind,
            name=(
                f"Công ty TNHH {fake.last_name()} {fake.first_name()}"
                if kind == Organization.Kind.TRADER
                else f"Công ty Đại lý Hải quan {fake.last_name()} {fake.first_name()}"
            ),
            tax_code=code,
            province=random.choice(provinces),
            address=fake.address().replace("\n", ", "),
            email=f"demo-{code}@demo.test",
        )
        for code in _tax_codes(start, missing, taken)
    ]
    Organization.objects.bulk_create(new)
    return list(Organization.objects.filter(kind=kind).order_by("id"))


def _one_user_each(organizations: list[Organization], role: str) -> dict[int, User]:
    """A user per organisation to stand as uploader or confirmer (no usable password)."""
    users: dict[int, User] = {}
    for user in User.objects.filter(organization__in=organizations).order_by("-role", "id"):
        users.setdefault(user.organization_id or 0, user)
    unusable = make_password(None)
    new = [
        User(
            email=f"contracts-{organization.tax_code}@demo.test",
            full_name=organization.name[:60],
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


def _brokers(fake: Faker, today: date) -> list[Broker]:
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
        organizations = _organizations(Organization.Kind.BROKER, BROKER_TARGET, 207_300_000, fake)
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
                    full_name=fake.name(),
                    agent_code=f"DEMO-AG-{start:05d}",
                    valid_until=today + timedelta(days=random.randint(300, 1500)),
                )
            )
            start += 1
    BrokerAgent.objects.bulk_create(agents)
    return brokers


def _verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _i in range(VERIFICATION_CODE_LENGTH))


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

    brokers = _brokers(fake, today)
    traders = _organizations(Organization.Kind.TRADER, TRADER_TARGET, 313_700_000, fake)
    demo_trader = next((t for t in traders if t.tax_code == DEMO_TRADER_TAX_CODE), traders[0])
    demo_broker = next(
        (b for b in brokers if b.organization.tax_code == DEMO_BROKER_TAX_CODE), brokers[0]
    )
    uploaders = _one_user_each([broker.organization for broker in brokers], User.Role.STAFF)
    confirmers = _one_user_each(traders, User.Role.ADMIN)
    document_name, document_sha256 = demo_document()
    offices = list(CustomsOffice.objects.all())

    # The demo pair first (one of each status), then pairs spread over everybody.
    pairs = [(demo_trader, demo_broker)] * 6
    pairs += [(demo_trader, broker) for broker in brokers[:6] if broker != demo_broker]
    pairs += [(trader, demo_broker) for trader in traders[1:9] if trader != demo_trader]
    while len(pairs) < CONTRACT_COUNT:
        pairs.append((random.choice(traders), random.choice(brokers)))
    kinds = ["active", "pending", "expiring", "expired", "terminated", "rejected"]

    contracts = []
    for index, (trader, broker) in enumerate(pairs, start=1):
        kind = kinds[index % len(kinds)] if index > 6 else kinds[index - 1]
        if index > 6 and kind == "rejected" and index % 5:
            kind = "active"  # fewer rejections than anything else
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
        contract = ServiceContract(
            trader=trader,
            broker=broker,
            reference=f"{REFERENCE_PREFIX}{index:04d}/{start.year}",
            signed_on=start - timedelta(days=random.randint(1, 20)),
            valid_from=start,
            valid_until=end,
            services=[*random.sample(Service.values, k=random.randint(1, 3)), "declaration"],
            document=document_name,
            document_sha256=document_sha256,
            uploaded_by=uploaders[broker.organization_id],
            uploaded_at=now - timedelta(days=(today - start).days + 5),
        )
        contract.services = sorted(set(contract.services))
        if kind != "pending":
            contract.confirmed_by = confirmers[trader.pk]
            contract.confirmed_at = contract.uploaded_at + timedelta(days=1)
        if kind == "rejected":
            contract.confirmed_by = contract.confirmed_at = None
            contract.rejected_by = confirmers[trader.pk]
            contract.rejected_at = contract.uploaded_at + timedelta(days=2)
            contract.rejection_reason = "Phạm vi dịch vụ không đúng thỏa thuận."
        if kind == "terminated":
            contract.terminated_by = confirmers[trader.pk]
            contract.terminated_at = now - timedelta(days=3)
            contract.terminated_on = today - timedelta(days=3)
            contract.termination_reason = "Hai bên thỏa thuận chấm dứt hợp đồng trước hạn."
        contracts.append((kind, contract))
    ServiceContract.objects.bulk_create([contract for _kind, contract in contracts])
    stored = {
        contract.reference: contract
        for contract in ServiceContract.objects.filter(reference__startswith=REFERENCE_PREFIX)
    }
    if offices:
        through = ServiceContract.customs_offices.through
        through.objects.bulk_create(
            [
                through(servicecontract_id=stored[contract.reference].pk, customsoffice_id=o.pk)
                for _kind, contract in contracts
                for o in random.sample(offices, k=min(2, len(offices)))
            ]
        )

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
    for kind, draft in contracts:
        contract = stored[draft.reference]
        agents = agents_by_broker.get(contract.broker_id, [])
        if kind not in ("active", "expiring", "expired", "terminated") or not agents:
            continue
        for letter_index in range(random.randint(1, 3)):
            number += 1
            revoked = kind != "expired" and letter_index == 2
            letters.append(
                LetterOfAuthority(
                    contract=contract,
                    agent=random.choice(agents),
                    number=f"LOA-{today.year}-{number:06d}",
                    verification_code=_verification_code(),
                    procedures=contract.services[:2],
                    shipment_references=(
                        f"Tờ khai nhập khẩu lô hàng INV-{today.year}-{number:05d}"
                        if letter_index == 1
                        else ""
                    ),
                    valid_from=contract.valid_from,
                    valid_until=min(contract.valid_until, contract.valid_from + timedelta(days=180))
                    if letter_index
                    else contract.valid_until,
                    status=(
                        LetterOfAuthority.Status.REVOKED
                        if revoked
                        else LetterOfAuthority.Status.ISSUED
                    ),
                    issued_by=contract.confirmed_by or confirmers[contract.trader_id],
                    issued_at=(contract.confirmed_at or now) + timedelta(hours=2),
                    revoked_by=contract.confirmed_by if revoked else None,
                    revoked_at=now - timedelta(days=1) if revoked else None,
                    revocation_reason="Nhân viên đã chuyển công tác." if revoked else "",
                )
            )
    LetterOfAuthority.objects.bulk_create(letters)
    # The demo's history goes on the audit log as the services would have written it.
    contracts_history_record(
        contracts=ServiceContract.objects.filter(reference__startswith=REFERENCE_PREFIX)
        .select_related("trader", "broker__organization", "uploaded_by")
        .order_by("pk"),
        letters=LetterOfAuthority.objects.filter(contract__reference__startswith=REFERENCE_PREFIX)
        .select_related("contract__trader", "contract__broker__organization", "agent")
        .order_by("pk"),
    )
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    say(
        f"Contracts: {len(contracts)} contracts among {len(traders)} traders and "
        f"{len(brokers)} brokers, {len(letters)} letters of authority."
    )
