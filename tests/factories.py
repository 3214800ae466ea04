import hashlib
import random
from datetime import date, timedelta
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum.vn import mst

from accounts.models import Organization, User
from accounts.provinces import Province
from brokers.models import Broker, BrokerAgent, CustomsOffice, Sanction
from brokers.search import broker_search_text
from contracts.models import LetterOfAuthority, ServiceContract


def valid_tax_code(seed: int) -> str:
    """A valid 10-digit tax code, different for every seed."""
    number = (seed * 7919 + 100_000_000) % 1_000_000_000
    while True:
        stem = f"{number:09d}"
        check = mst.calc_check_digit(stem)
        # Some stems have no valid check digit (remainder 10), and stdnum refuses a few
        # others (e.g. 1000000001): keep only what the site itself accepts.
        if len(check) == 1 and mst.is_valid(stem + check):
            return stem + check
        number += 1


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("tax_code",)

    kind = Organization.Kind.TRADER
    name = factory.Sequence(lambda n: f"Công ty TNHH Thử nghiệm {n}")
    tax_code = factory.Sequence(valid_tax_code)
    province = factory.LazyFunction(lambda: random.choice(Province.values))
    address = "1 Tràng Tiền, Hà Nội"
    email = factory.Sequence(lambda n: f"org{n}@example.test")

    class Params:
        trader = factory.Trait(kind=Organization.Kind.TRADER)
        broker = factory.Trait(kind=Organization.Kind.BROKER)
        customs = factory.Trait(kind=Organization.Kind.CUSTOMS)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    organization = factory.SubFactory(OrganizationFactory)
    role = User.Role.STAFF

    class Params:
        admin = factory.Trait(role=User.Role.ADMIN)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or "correct horse battery staple")
        if create:
            obj.save()

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """Sign-in needs a verified address (mandatory verification); ``verified_email=False``
        makes a user who has not confirmed theirs yet."""
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


def minimal_pdf(text: str = "Hợp đồng dịch vụ đại lý hải quan") -> bytes:
    """A real one-page PDF made with pypdf (blank page, title in the metadata)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class CustomsOfficeFactory(factory.django.DjangoModelFactory[CustomsOffice]):
    class Meta:
        model = CustomsOffice
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 100:02d}C{n // 100 % 10}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Chi cục Hải quan khu vực {n}")
    province = Province.HAI_PHONG


class BrokerFactory(factory.django.DjangoModelFactory[Broker]):
    class Meta:
        model = Broker

    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.BROKER)
    license_number = factory.Sequence(lambda n: f"DL-{n:05d}")
    issued_on = factory.LazyFunction(lambda: date.today() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=3 * 365))
    # The register's search column, computed as the services compute it (from an unsaved
    # broker with the factory's organisation and licence number).
    search_text = factory.LazyAttribute(
        lambda o: broker_search_text(
            Broker(organization=o.organization, license_number=o.license_number)
        )
    )


class BrokerAgentFactory(factory.django.DjangoModelFactory[BrokerAgent]):
    class Meta:
        model = BrokerAgent

    broker = factory.SubFactory(BrokerFactory)
    full_name = factory.Sequence(lambda n: f"Phạm Thị Hương {n}")
    agent_code = factory.Sequence(lambda n: f"NV{n:06d}")
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=2 * 365))


class SanctionFactory(factory.django.DjangoModelFactory[Sanction]):
    class Meta:
        model = Sanction

    broker = factory.SubFactory(BrokerFactory)
    kind = Sanction.Kind.SUSPENSION
    reason = "Không duy trì đủ điều kiện hoạt động đại lý làm thủ tục hải quan"
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-HQ")
    starts_on = factory.LazyFunction(date.today)
    ends_on = None


class ServiceContractFactory(factory.django.DjangoModelFactory[ServiceContract]):
    """A confirmed contract in force today unless told otherwise (``confirmed_at=None``)."""

    class Meta:
        model = ServiceContract

    trader = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.TRADER)
    broker = factory.SubFactory(BrokerFactory)
    reference = factory.Sequence(lambda n: f"HĐ-{n:05d}/2026")
    signed_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    valid_from = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=335))
    services = factory.LazyFunction(lambda: ["declaration"])
    document = factory.LazyFunction(lambda: ContentFile(minimal_pdf(), name="contract.pdf"))
    document_sha256 = factory.LazyAttribute(
        lambda o: hashlib.sha256(o.document.read()).hexdigest() if o.document else ""
    )
    uploaded_by = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..broker.organization")
    )
    confirmed_at = factory.LazyFunction(timezone.now)
    confirmed_by = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..trader"), role=User.Role.ADMIN
    )


class LetterOfAuthorityFactory(factory.django.DjangoModelFactory[LetterOfAuthority]):
    class Meta:
        model = LetterOfAuthority

    contract = factory.SubFactory(ServiceContractFactory)
    agent = factory.SubFactory(
        BrokerAgentFactory, broker=factory.SelfAttribute("..contract.broker")
    )
    number = factory.Sequence(lambda n: f"LOA-2026-{n:06d}")
    verification_code = factory.Sequence(lambda n: f"VERIFY{n:08d}")
    procedures = factory.LazyFunction(lambda: ["declaration"])
    valid_from = factory.LazyAttribute(lambda o: o.contract.valid_from)
    valid_until = factory.LazyAttribute(lambda o: o.contract.valid_until)
    issued_by = factory.LazyAttribute(lambda o: o.contract.confirmed_by)


# Contracts and letters


def encrypted_pdf() -> bytes:
    """A real PDF protected by a user password."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_of_size(size: int) -> bytes:
    """A PDF padded with a comment up to ``size`` bytes (for the size limit)."""
    pdf = minimal_pdf()
    return pdf + b"%" + b"x" * max(0, size - len(pdf) - 2) + b"\n"


# Declarations and flags

from compliance.models import Declaration, Flag  # noqa: E402


class DeclarationFactory(factory.django.DjangoModelFactory[Declaration]):
    """A green-channel declaration filed today by the trader itself unless told otherwise."""

    class Meta:
        model = Declaration

    number = factory.Sequence(lambda n: f"10{n:010d}")
    registered_at = factory.LazyFunction(timezone.now)
    customs_office_code = "03CE"
    trader_tax_code = factory.Sequence(valid_tax_code)
    declarant_tax_code = factory.LazyAttribute(lambda o: o.trader_tax_code)
    agent_code = ""
    signer_serial = ""
    channel = Declaration.Channel.GREEN


class FlagFactory(factory.django.DjangoModelFactory[Flag]):
    class Meta:
        model = Flag

    declaration = factory.SubFactory(DeclarationFactory)
    kind = "no_contract"


# Accounts and security

# Imported here, in this block, so that parallel edits of the header do not collide.
from accounts.models import AbuseReport, ApiToken, LoginEvent, SigningCertificate  # noqa: E402


def signing_certificate_bytes(
    *,
    common_name: str = "Công ty TNHH Thử nghiệm",
    serial: int | None = None,
    pem: bool = True,
    issuer_name: str = "VNPT-CA Test",
    days: int = 365,
) -> bytes:
    """A real X.509 certificate made in the test, PEM or DER."""
    from datetime import UTC, datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    encoding = serialization.Encoding.PEM if pem else serialization.Encoding.DER
    return certificate.public_bytes(encoding)


class SigningCertificateFactory(factory.django.DjangoModelFactory[SigningCertificate]):
    class Meta:
        model = SigningCertificate

    organization = factory.SubFactory(OrganizationFactory)
    serial_number = factory.Sequence(lambda n: f"54{n:06X}")
    subject = factory.Sequence(lambda n: f"CN=Công ty TNHH Thử nghiệm {n}")
    issuer = "CN=VNPT-CA Test"
    not_before = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    not_after = factory.LazyFunction(lambda: timezone.now() + timedelta(days=335))
    fingerprint_sha256 = factory.Sequence(lambda n: hashlib.sha256(f"cert{n}".encode()).hexdigest())
    der = b"not used by these tests"


class LoginEventFactory(factory.django.DjangoModelFactory[LoginEvent]):
    class Meta:
        model = LoginEvent

    user = factory.SubFactory(UserFactory)
    organization = factory.LazyAttribute(lambda o: o.user.organization if o.user else None)
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "someone@example.test")
    kind = LoginEvent.Kind.SIGN_IN
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


class AbuseReportFactory(factory.django.DjangoModelFactory[AbuseReport]):
    class Meta:
        model = AbuseReport

    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.TRADER)
    reporter = factory.SubFactory(UserFactory, organization=factory.SelfAttribute("..organization"))
    kind = AbuseReport.Kind.SIGNATURE
    description = "Chữ ký số của công ty bị đại lý dùng để khai tờ khai mà chúng tôi không biết."
    happened_from = factory.LazyFunction(lambda: date.today() - timedelta(days=10))


class ApiTokenFactory(factory.django.DjangoModelFactory[ApiToken]):
    """A token whose raw key is ``f"raw-key-{n}"`` (see ``raw_key``); use
    ``accounts.services.api_token_create`` when the test needs the real flow."""

    user = factory.SubFactory(UserFactory)
    purpose = factory.Sequence(lambda n: f"Client {n}")
    scope = ApiToken.Scope.READ
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))
    raw_key = factory.Sequence(lambda n: f"raw-key-{n}")
    prefix = factory.LazyAttribute(lambda o: o.raw_key[:8])
    key_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.raw_key.encode()).hexdigest())

    class Meta:
        model = ApiToken
        exclude = ("raw_key",)
