"""The demo organisations and their admin users, created by ``seed_demo``.

Every write goes through the services, and everything is looked up before it is
created, so that running ``seed_demo`` twice creates nothing twice.
"""

from dataclasses import dataclass

from accounts.models import Organization, User
from accounts.provinces import Province
from accounts.services import organization_create, user_create

DEMO_PASSWORD = "Demo-Registry-2026"  # noqa: S105 - a published demo login, not a secret


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    organization: str


@dataclass(frozen=True)
class DemoOrganization:
    kind: str
    name: str
    tax_code: str
    province: str
    address: str
    admin_email: str
    admin_name: str


DEMO_ORGANIZATIONS = [
    DemoOrganization(
        kind=Organization.Kind.CUSTOMS,
        name="Cục Hải quan",
        tax_code="0100101611",
        province=Province.HA_NOI,
        address="Số 9 Dương Đình Nghệ, phường Yên Hòa, Hà Nội",
        admin_email="customs@demo.test",
        admin_name="Nguyễn Văn Hải",
    ),
    DemoOrganization(
        kind=Organization.Kind.TRADER,
        name="Công ty TNHH Thương mại Sao Việt",
        tax_code="0301234562",
        province=Province.HO_CHI_MINH,
        address="123 Nguyễn Huệ, phường Sài Gòn, Thành phố Hồ Chí Minh",
        admin_email="trader@demo.test",
        admin_name="Trần Thị Mai",
    ),
    DemoOrganization(
        kind=Organization.Kind.BROKER,
        name="Công ty Cổ phần Đại lý Hải quan Hải Phòng",
        tax_code="0201234569",
        province=Province.HAI_PHONG,
        address="45 Lạch Tray, phường Gia Viên, Hải Phòng",
        admin_email="broker@demo.test",
        admin_name="Lê Minh Đức",
    ),
]


def seed() -> list[DemoLogin]:
    """Create the customs, trader and broker demo organisations, each with an admin user."""
    logins = []
    for spec in DEMO_ORGANIZATIONS:
        organization = Organization.objects.filter(tax_code=spec.tax_code).first()
        if organization is None:
            organization = organization_create(
                kind=spec.kind,
                name=spec.name,
                tax_code=spec.tax_code,
                province=spec.province,
                address=spec.address,
                email=spec.admin_email,
            )
        email, full_name = spec.admin_email, spec.admin_name
        if not User.objects.filter(email=email).exists():
            user_create(
                email=email,
                password=DEMO_PASSWORD,
                organization=organization,
                role=User.Role.ADMIN,
                full_name=full_name,
            )
        logins.append(
            DemoLogin(
                role=organization.get_kind_display(), email=email, organization=organization.name
            )
        )
    return logins
