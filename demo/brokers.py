"""Demo data of the brokers app, created by ``seed_demo`` after the apps before it.

A realistic register: customs offices, the demo broker with its agents, about 1,000
broker firms across the provinces with about 3,000 agents, and a few dozen suspensions
and revocations. The bulk is written with ``bulk_create`` (search text computed as the
services do) so that the seed stays fast; sanctions go through the customs services so
that they are on the audit record. Everything is looked up first: a second run creates
nothing.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from faker import Faker
from stdnum.vn import mst

from accounts.models import Organization, User
from accounts.provinces import Province
from brokers.models import Broker, BrokerAgent, CustomsOffice, Sanction
from brokers.search import broker_search_text
from brokers.services import agent_create, broker_create
from customs.services import sanction_impose, sanction_lift

DEMO_BROKER_TAX_CODE = "0201234569"  # the demo broker organisation of demo.accounts
DEMO_BROKER_LICENCE = "DL-2020-00001"
CUSTOMS_EMAIL = "customs@demo.test"
BROKER_COUNT = 1000
AGENTS_PER_BROKER = (1, 5)  # about 3 on average

CUSTOMS_OFFICES = [
    ("01B1", "Chi cục Hải quan cửa khẩu sân bay quốc tế Nội Bài", Province.HA_NOI),
    ("01IK", "Chi cục Hải quan Bắc Hà Nội", Province.HA_NOI),
    ("01PR", "Chi cục Hải quan Gia Thụy", Province.HA_NOI),
    ("03CC", "Chi cục Hải quan cửa khẩu cảng Hải Phòng khu vực I", Province.HAI_PHONG),
    ("03CE", "Chi cục Hải quan cửa khẩu cảng Đình Vũ", Province.HAI_PHONG),
    ("03TG", "Chi cục Hải quan cửa khẩu cảng Hải Phòng khu vực III", Province.HAI_PHONG),
    ("02CI", "Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I", Province.HO_CHI_MINH),
    ("02CX", "Chi cục Hải quan cửa khẩu cảng Cát Lái", Province.HO_CHI_MINH),
    ("02B1", "Chi cục Hải quan cửa khẩu sân bay quốc tế Tân Sơn Nhất", Province.HO_CHI_MINH),
    ("34CE", "Chi cục Hải quan cửa khẩu cảng Đà Nẵng", Province.DA_NANG),
    ("15BB", "Chi cục Hải quan cửa khẩu quốc tế Hữu Nghị", Province.LANG_SON),
    ("10BB", "Chi cục Hải quan cửa khẩu quốc tế Lào Cai", Province.LAO_CAI),
    ("20BC", "Chi cục Hải quan cửa khẩu Móng Cái", Province.QUANG_NINH),
    ("18BC", "Chi cục Hải quan Bắc Ninh", Province.BAC_NINH),
    ("47NG", "Chi cục Hải quan Biên Hòa", Province.DONG_NAI),
    ("43CN", "Chi cục Hải quan Sóng Thần", Province.HO_CHI_MINH),
    ("54CB", "Chi cục Hải quan cửa khẩu cảng Cần Thơ", Province.CAN_THO),
    ("41CB", "Chi cục Hải quan cửa khẩu cảng Nha Trang", Province.KHANH_HOA),
]

BRAND_WORDS = [
    "Minh Phát",
    "Thành Công",
    "Hoàng Long",
    "Sao Việt",
    "Ánh Dương",
    "Phú Thịnh",
    "An Khang",
    "Đại Dương",
    "Tân Cảng",
    "Việt Thắng",
    "Hưng Thịnh",
    "Trường Sơn",
    "Bảo Ngọc",
    "Đông Á",
    "Thái Bình Dương",
    "Hải Âu",
    "Phương Nam",
    "Kim Long",
    "Nhật Quang",
    "Toàn Cầu",
    "Vạn Xuân",
    "Lạc Hồng",
    "Hòa Bình",
    "Song Hà",
    "Đức Tín",
    "Gia Phát",
    "Mặt Trời Đỏ",
    "Sông Hồng",
]
ACTIVITIES = [
    "Đại lý Hải quan",
    "Giao nhận Vận tải",
    "Tiếp vận",
    "Logistics",
    "Dịch vụ Hải quan",
    "Thương mại và Giao nhận",
    "Vận tải Quốc tế",
    "Dịch vụ Xuất nhập khẩu",
]
LEGAL_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"]
# Most brokers sit where the ports, airports and border gates are.
PROVINCE_WEIGHTS: dict[str, int] = {
    Province.HO_CHI_MINH: 30, Province.HA_NOI: 22, Province.HAI_PHONG: 16,
    Province.DA_NANG: 5, Province.QUANG_NINH: 4, Province.LANG_SON: 3, Province.LAO_CAI: 2,
    Province.BAC_NINH: 3, Province.DONG_NAI: 4, Province.CAN_THO: 2, Province.KHANH_HOA: 2,
}  # fmt: skip
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
                "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Ngọc", "Đức", "Thu", "Hữu", "Gia", "Bảo"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
               "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phương", "Quân",
               "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]  # fmt: skip
SUSPENSION_REASONS = [
    "Không duy trì đủ điều kiện hoạt động đại lý làm thủ tục hải quan",
    "Không thực hiện chế độ báo cáo định kỳ với cơ quan hải quan",
    "Nhân viên đại lý không có chứng chỉ nghiệp vụ khai hải quan còn hiệu lực",
    "Không xuất trình được hợp đồng đại lý với chủ hàng",
]
REVOCATION_REASONS = [
    "Sử dụng tài khoản và chữ ký số của chủ hàng để khai hải quan",
    "Thông đồng với chủ hàng gian lận thương mại",
    "Buôn lậu, vận chuyển trái phép hàng hóa qua biên giới",
]


def person_name(rng: random.Random) -> str:
    """A Vietnamese full name, family name first (Faker's vi_VN names put it last, and mix
    in English given names)."""
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"


def _tax_code(seed: int) -> str:
    """A valid, deterministic 10-digit tax code (MST) for the n-th demo broker."""
    number = 300_000_000 + seed * 104_729
    while True:
        stem = f"{number % 1_000_000_000:09d}"
        check = mst.calc_check_digit(stem)
        if len(check) == 1:
            return stem + check
        number += 1


def _offices() -> list[CustomsOffice]:
    existing = set(CustomsOffice.objects.values_list("code", flat=True))
    CustomsOffice.objects.bulk_create(
        [
            CustomsOffice(code=code, name=name, province=province)
            for code, name, province in CUSTOMS_OFFICES
            if code not in existing
        ]
    )
    return list(CustomsOffice.objects.filter(code__in=[code for code, _n, _p in CUSTOMS_OFFICES]))


def _demo_broker(offices: list[CustomsOffice]) -> int:
    organization = Organization.objects.filter(tax_code=DEMO_BROKER_TAX_CODE).first()
    if organization is None or Broker.objects.filter(organization=organization).exists():
        return 0
    broker = broker_create(
        organization=organization,
        license_number=DEMO_BROKER_LICENCE,
        issued_on=date(2020, 3, 2),
        valid_until=date(2030, 3, 1),
        customs_offices=[o for o in offices if o.province == Province.HAI_PHONG],
    )
    for number, name in enumerate(["Lê Minh Đức", "Phạm Thị Thu Hà", "Vũ Quốc Huy"], start=1):
        agent_create(
            broker=broker,
            full_name=name,
            agent_code=f"HQ-HP-{number:05d}",
            valid_until=date(2029, 12, 31),
        )
    return 1


def _organizations_create(
    wanted: dict[str, int], taken: set[str], rng: random.Random, fake: Faker
) -> QuerySet[Organization]:
    """The broker firms not yet on file, spread over the provinces by weight."""
    provinces = list(PROVINCE_WEIGHTS) + [p for p in Province.values if p not in PROVINCE_WEIGHTS]
    weights = [PROVINCE_WEIGHTS.get(p, 1) for p in provinces]
    new_organizations = []
    for tax_code, number in wanted.items():
        if tax_code in taken:
            continue
        province = rng.choices(provinces, weights)[0]
        name = (
            f"{rng.choice(LEGAL_FORMS)} {rng.choice(ACTIVITIES)} {rng.choice(BRAND_WORDS)}"
            f" {Province(province).label}"
        )
        new_organizations.append(
            Organization(
                kind=Organization.Kind.BROKER,
                name=name,
                tax_code=tax_code,
                province=province,
                address=f"{fake.street_address()}, {Province(province).label}",
                phone=fake.phone_number(),
                email=f"lienhe{number}@daily-demo.test",
            )
        )
    Organization.objects.bulk_create(new_organizations, batch_size=500)
    return Organization.objects.filter(tax_code__in=[o.tax_code for o in new_organizations])


def _brokers_create(
    organizations: QuerySet[Organization], wanted: dict[str, int], rng: random.Random
) -> list[Broker]:
    """A licence for each firm, issued over the last nine years."""
    today = timezone.localdate()
    brokers = []
    for organization in organizations:
        number = wanted[organization.tax_code]
        issued_on = today - timedelta(days=rng.randint(60, 9 * 365))
        # One in twenty licences has run out and was not renewed.
        lifetime = rng.randint(365, 2 * 365) if number % 20 == 0 else rng.randint(10, 12) * 365
        broker = Broker(
            organization=organization,
            license_number=f"DL-{issued_on.year}-{number + 1:05d}",
            issued_on=issued_on,
            valid_until=issued_on + timedelta(days=lifetime),
        )
        broker.search_text = broker_search_text(broker)
        brokers.append(broker)
    Broker.objects.bulk_create(brokers, batch_size=500)
    return list(
        Broker.objects.filter(organization__in=organizations).select_related("organization")
    )


def _agents(broker: Broker, number: int, rng: random.Random) -> list[BrokerAgent]:
    """One to five agents of the n-th broker, licensed as long as the broker."""
    return [
        BrokerAgent(
            broker=broker,
            full_name=person_name(rng),
            agent_code=f"HQ-{number:05d}-{index + 1}",
            valid_until=broker.valid_until,
        )
        for index in range(rng.randint(*AGENTS_PER_BROKER))
    ]


def _offices_and_agents_create(
    brokers: list[Broker],
    offices: list[CustomsOffice],
    wanted: dict[str, int],
    rng: random.Random,
) -> None:
    """The customs offices each broker serves (the local ones first) and its agents."""
    through = Broker.customs_offices.through
    links = []
    agents = []
    for broker in brokers:
        local = [o for o in offices if o.province == broker.organization.province]
        served = local or rng.sample(offices, 1)
        served += rng.sample(offices, rng.randint(0, 2))
        for office in {o.pk: o for o in served}.values():
            links.append(through(broker_id=broker.pk, customsoffice_id=office.pk))
        agents += _agents(broker, wanted[broker.organization.tax_code], rng)
    through.objects.bulk_create(links, batch_size=1000)
    BrokerAgent.objects.bulk_create(agents, batch_size=1000)


def _register(offices: list[CustomsOffice], rng: random.Random, fake: Faker) -> list[Broker]:
    """About 1,000 broker firms with their agents, created in bulk."""
    wanted = {_tax_code(n): n for n in range(1, BROKER_COUNT + 1)}
    taken = set(Organization.objects.filter(tax_code__in=wanted).values_list("tax_code", flat=True))
    if len(taken) == len(wanted):
        return []
    organizations = _organizations_create(wanted, taken, rng, fake)
    brokers = _brokers_create(organizations, wanted, rng)
    _offices_and_agents_create(brokers, offices, wanted, rng)
    return brokers


def _sanctions(brokers: list[Broker], rng: random.Random) -> int:
    """A few dozen suspensions (in force, ended, lifted) and revocations, by customs."""
    officer = User.objects.filter(email=CUSTOMS_EMAIL).first()
    today = timezone.localdate()
    chosen = rng.sample(brokers, min(len(brokers), 45))
    for index, broker in enumerate(chosen):
        decision = f"{100 + index}/QĐ-HQ"
        if index < 12:  # revoked
            sanction_impose(
                broker=broker,
                kind=Sanction.Kind.REVOCATION,
                reason=rng.choice(REVOCATION_REASONS),
                decision_number=decision,
                starts_on=today - timedelta(days=rng.randint(1, 400)),
                by=officer,
                notify=False,
            )
            continue
        starts_on = today - timedelta(days=rng.randint(1, 500))
        ends_on = None if index % 3 == 0 else starts_on + timedelta(days=rng.randint(30, 180))
        sanction = sanction_impose(
            broker=broker,
            kind=Sanction.Kind.SUSPENSION,
            reason=rng.choice(SUSPENSION_REASONS),
            decision_number=decision,
            starts_on=starts_on,
            ends_on=ends_on,
            by=officer,
            notify=False,
        )
        if index % 5 == 0 and (ends_on is None or ends_on > today):
            sanction_lift(
                sanction=sanction,
                reason="Đã khắc phục vi phạm và bổ sung hồ sơ",
                by=officer,
                notify=False,
                lifted_on=min(today, starts_on + timedelta(days=20)),
            )
    return len(chosen)


@transaction.atomic
def seed(*, say: Callable[[str], None]) -> None:
    """Customs offices, the demo broker's licence and agents, and the public register."""
    rng = random.Random(2026)
    fake = Faker("vi_VN")
    fake.seed_instance(2026)
    offices = _offices()
    demo = _demo_broker(offices)
    brokers = _register(offices, rng, fake)
    sanctions = _sanctions(brokers, rng) if brokers else 0
    say(
        f"Broker register: {demo + len(brokers)} brokers, "
        f"{BrokerAgent.objects.count()} agents in total, {sanctions} new sanctions."
    )
