"""The demo organisations and their admin users, created by ``seed_demo``.

Every write goes through the services, and everything is looked up before it is
created, so that running ``seed_demo`` twice creates nothing twice.
"""

from base64 import b32encode
from binascii import unhexlify
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.models import LoginEvent, Organization, SigningCertificate, User
from accounts.provinces import Province
from accounts.services import organization_create, organization_security_policy_update, user_create
from accounts.services.certificates import certificate_register

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


# Customs always needs 2FA; the demo trader follows the customs advice of a password age.
DEMO_POLICIES = {
    Organization.Kind.CUSTOMS: (True, None),
    Organization.Kind.TRADER: (False, 180),
    Organization.Kind.BROKER: (False, None),
}

DEMO_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


def demo_certificate_pem(*, common_name: str, tax_code: str, serial: int) -> bytes:
    """A self-signed signing certificate standing in for the organisation's USB token."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.USER_ID, f"MST:{tax_code}"),
        ]
    )
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Demo Signing CA")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3 * 365))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def _policy_seed(organization: Organization, admin: User) -> None:
    """The organisation's security policy as DEMO_POLICIES has it."""
    require_2fa, max_age = DEMO_POLICIES[Organization.Kind(organization.kind)]
    if (organization.require_2fa, organization.password_max_age_days) != (require_2fa, max_age):
        organization_security_policy_update(
            organization=organization,
            require_2fa=require_2fa,
            password_max_age_days=max_age,
            by=admin,
        )


def _certificate_seed(organization: Organization, admin: User, index: int) -> None:
    """A signing certificate for an organisation that has none."""
    if not SigningCertificate.objects.filter(organization=organization).exists():
        certificate_register(
            organization=organization,
            content=demo_certificate_pem(
                common_name=organization.name,
                tax_code=organization.tax_code,
                serial=0x5EED0000 + index,
            ),
            by=admin,
        )


def _login_events_seed(organization: Organization, admin: User) -> None:
    """A few past sign-ins (one failed) and a sign-out, for an admin who has none."""
    if LoginEvent.objects.filter(user=admin).exists():
        return
    now = timezone.now()
    rows = [
        (LoginEvent.Kind.SIGN_IN_FAILED, 50, "113.161.4.20"),
        (LoginEvent.Kind.SIGN_IN, 49, "113.161.4.20"),
        (LoginEvent.Kind.SIGN_OUT, 45, "113.161.4.20"),
        (LoginEvent.Kind.SIGN_IN, 26, "14.232.10.7"),
    ]
    LoginEvent.objects.bulk_create(
        LoginEvent(
            user=admin,
            organization=organization,
            email=admin.email,
            kind=kind,
            occurred_at=now - timedelta(hours=hours_ago),
            ip_address=ip_address,
            user_agent=DEMO_USER_AGENT,
        )
        for kind, hours_ago, ip_address in rows
    )


def _second_factor_seed(admin: User, say: Callable[[str], None]) -> None:
    """A confirmed TOTP device for the admin, whose secret is printed for the demo."""
    device = TOTPDevice.objects.filter(user=admin, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=admin, name="Demo authenticator", key=random_hex(20), confirmed=True
        )
    secret = b32encode(unhexlify(device.key)).decode()
    say(
        f"  {admin.email} signs in with a second factor: add the TOTP secret {secret} "
        "to an authenticator app (30 s, 6 digits)."
    )


def _security_seed(
    organization: Organization, admin: User, index: int, say: Callable[[str], None]
) -> None:
    """The policy, certificate, sign-ins and verified e-mail of a demo organisation's admin,
    and a second factor for customs."""
    _policy_seed(organization, admin)
    _certificate_seed(organization, admin, index)
    _login_events_seed(organization, admin)
    EmailAddress.objects.get_or_create(
        user=admin, email=admin.email, defaults={"verified": True, "primary": True}
    )
    if organization.kind == Organization.Kind.CUSTOMS:
        _second_factor_seed(admin, say)


def seed(*, say: Callable[[str], None] = print) -> list[DemoLogin]:
    """Create the customs, trader and broker demo organisations, each with an admin user,
    its security policy, a signing certificate and a few login events."""
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
        admin = User.objects.filter(email=email).first()
        if admin is None:
            admin = user_create(
                email=email,
                password=DEMO_PASSWORD,
                organization=organization,
                role=User.Role.ADMIN,
                full_name=full_name,
            )
        _security_seed(organization, admin, DEMO_ORGANIZATIONS.index(spec), say)
        logins.append(
            DemoLogin(
                role=organization.get_kind_display(), email=email, organization=organization.name
            )
        )
    return logins
