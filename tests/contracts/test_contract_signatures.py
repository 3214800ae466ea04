"""The digital signatures of an uploaded contract: validated, matched to the parties, shown
on the contract's page; a lent signature refused and kept for customs."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.certificates import certificate_fingerprint
from accounts.models import Organization, SigningCertificate, TrustedCertificate, User
from audit.models import AuditAction, AuditEntry
from contracts.models import ContractRefusal, ServiceContract
from tests.factories import BrokerFactory, OrganizationFactory, UserFactory, minimal_pdf
from tests.signing import Identity, authority, page_changed, person, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def ca() -> Identity:
    return authority()


@pytest.fixture
def trusted(ca: Identity) -> Identity:
    TrustedCertificate.objects.create(
        subject="CN=Test CA",
        issuer="CN=Test CA",
        serial_number="1",
        not_before=ca.certificate.not_valid_before_utc,
        not_after=ca.certificate.not_valid_after_utc,
        fingerprint_sha256=certificate_fingerprint(ca.certificate),
        der=ca.der,
    )
    return ca


@pytest.fixture
def broker_user() -> User:
    return UserFactory.create(organization=BrokerFactory.create().organization)


@pytest.fixture
def trader() -> Organization:
    return OrganizationFactory.create(kind=Organization.Kind.TRADER, name="Công ty Hải Đăng")


def _register(organization: Organization, identity: Identity) -> SigningCertificate:
    from accounts.services.certificates import certificate_register

    return certificate_register(
        organization=organization, content=identity.pem, by=UserFactory.create()
    )


def _upload(client: Client, trader: Organization, content: bytes, reference: str = "HĐ-7"):  # type: ignore[no-untyped-def]
    today = date.today()
    return client.post(
        "/contracts/upload/",
        {
            "trader_tax_code": trader.tax_code,
            "reference": reference,
            "signed_on": today.isoformat(),
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
            "services": ["declaration"],
            "document": SimpleUploadedFile("c.pdf", content, content_type="application/pdf"),
        },
    )


def _both_signed(trader: Organization, broker: Organization, ca: Identity) -> bytes:
    trader_id = person(ca, name=trader.name, tax_code=trader.tax_code)
    broker_id = person(ca, name=broker.name, tax_code=broker.tax_code)
    return signed(
        signed(minimal_pdf(), trader_id, field_name="Trader"), broker_id, field_name="Broker"
    )


def test_two_valid_signatures_mark_the_contract_verified(
    client: Client, broker_user: User, trader: Organization, trusted: Identity
) -> None:
    assert broker_user.organization is not None
    client.force_login(broker_user)
    response = _upload(client, trader, _both_signed(trader, broker_user.organization, trusted))
    assert response.status_code == 302
    contract = ServiceContract.objects.get()
    assert contract.signatures_verified
    rows = list(contract.signatures.order_by("position"))
    assert [row.counts_for for row in rows] == ["trader", "broker"]
    assert all(row.verdict == "valid" and row.intact and row.covers_document for row in rows)
    assert rows[0].signer_tax_code == trader.tax_code
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Signatures verified" in page
    assert trader.tax_code in page and "Valid signature" in page


def test_a_change_after_signing_is_reported(
    client: Client, broker_user: User, trader: Organization, trusted: Identity
) -> None:
    assert broker_user.organization is not None
    client.force_login(broker_user)
    content = page_changed(_both_signed(trader, broker_user.organization, trusted))
    assert _upload(client, trader, content).status_code == 302
    contract = ServiceContract.objects.get()
    assert not contract.signatures_verified
    for row in contract.signatures.all():
        assert row.intact and not row.covers_document
        assert "changed_after" in row.problems and row.verdict == "invalid"


def test_an_unregistered_certificate_counts_for_nobody(
    client: Client, broker_user: User, trader: Organization, ca: Identity
) -> None:
    """Not on the trust list, not registered: untrusted, for neither party."""
    client.force_login(broker_user)
    stranger = person(ca, name="Người lạ", tax_code=trader.tax_code)
    _upload(client, trader, signed(minimal_pdf(), stranger))
    row = ServiceContract.objects.get().signatures.get()
    assert row.verdict == "untrusted" and not row.trusted
    assert row.counts_for == ""
    assert "untrusted" in row.problems and "not_registered" in row.problems


def test_a_registered_certificate_counts_without_the_trust_list(
    client: Client, broker_user: User, trader: Organization, ca: Identity
) -> None:
    client.force_login(broker_user)
    own = person(ca, name=trader.name)
    _register(trader, own)
    _upload(client, trader, signed(minimal_pdf(), own))
    row = ServiceContract.objects.get().signatures.get()
    assert row.counts_for == "trader" and row.registered_to == trader


def test_an_expired_certificate_is_reported(
    client: Client, broker_user: User, trader: Organization, trusted: Identity
) -> None:
    client.force_login(broker_user)
    old = person(trusted, name=trader.name, tax_code=trader.tax_code, expired=True)
    _upload(client, trader, signed(minimal_pdf(), old))
    row = ServiceContract.objects.get().signatures.get()
    assert not row.valid_at_signing and row.verdict == "invalid"
    assert "not_valid_when_signed" in row.problems


def test_a_chain_outside_the_trust_list_is_untrusted_not_invalid(
    client: Client, broker_user: User, trader: Organization, trusted: Identity
) -> None:
    client.force_login(broker_user)
    other_ca = authority("Unlisted CA")
    _upload(client, trader, signed(minimal_pdf(), person(other_ca, name="X", tax_code="")))
    row = ServiceContract.objects.get().signatures.get()
    assert row.verdict == "untrusted" and row.intact and row.covers_document


def test_the_broker_signing_with_the_traders_certificate_is_refused(
    client: Client, broker_user: User, trader: Organization, ca: Identity
) -> None:
    client.force_login(broker_user)
    traders_own = person(ca, name=trader.name, tax_code=trader.tax_code)
    certificate = _register(trader, traders_own)
    content = signed(
        signed(minimal_pdf(), traders_own, field_name="Trader"), traders_own, field_name="Broker"
    )
    response = _upload(client, trader, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert certificate.serial_number in page and "registered to the trader" in page
    assert not ServiceContract.objects.exists()
    refusal = ContractRefusal.objects.get()
    assert refusal.certificate == certificate and refusal.signed_for == "broker"
    assert AuditEntry.objects.filter(action=AuditAction.CONTRACT_SIGNATURE_MISUSE).exists()


def test_the_policy_refuses_to_confirm_unverified_contracts(
    client: Client, broker_user: User, trader: Organization
) -> None:
    client.force_login(broker_user)
    _upload(client, trader, minimal_pdf())
    contract = ServiceContract.objects.get()
    trader.require_verified_contract_signatures = True
    trader.save()
    admin = UserFactory.create(organization=trader, role=User.Role.ADMIN)
    client.force_login(admin)
    response = client.post(f"/contracts/{contract.pk}/confirm/", follow=True)
    assert "verified digital signatures" in response.content.decode()
    contract.refresh_from_db()
    assert contract.confirmed_at is None


def test_another_organisation_cannot_see_the_panel(
    client: Client, broker_user: User, trader: Organization, trusted: Identity
) -> None:
    assert broker_user.organization is not None
    client.force_login(broker_user)
    _upload(client, trader, _both_signed(trader, broker_user.organization, trusted))
    contract = ServiceContract.objects.get()
    stranger = UserFactory.create(
        organization=OrganizationFactory.create(kind=Organization.Kind.TRADER)
    )
    client.force_login(stranger)
    assert client.get(f"/contracts/{contract.pk}/").status_code == 404


def test_the_scan_turns_a_refused_upload_into_a_flag_for_customs(
    client: Client, broker_user: User, trader: Organization, ca: Identity
) -> None:
    from compliance.models import Flag, FlagKind
    from compliance.scan import declarations_scan

    client.force_login(broker_user)
    traders_own = person(ca, name=trader.name, tax_code=trader.tax_code)
    _register(trader, traders_own)
    content = signed(
        signed(minimal_pdf(), traders_own, field_name="Trader"), traders_own, field_name="Broker"
    )
    _upload(client, trader, content)
    declarations_scan()
    declarations_scan()  # a second run adds nothing
    flag = Flag.objects.get(kind=FlagKind.SIGNATURE_MISUSE)
    assert flag.contract_refusal == ContractRefusal.objects.get()
    assert flag.declaration is None and flag.trader == trader
    officer = UserFactory.create(
        organization=OrganizationFactory.create(kind=Organization.Kind.CUSTOMS)
    )
    client.force_login(officer)
    assert "HĐ-7" in client.get("/flags/").content.decode()
    page = client.get(f"/flags/{flag.pk}/").content.decode()
    assert "registered to the trader" in page
    api = client.get("/api/v1/flags/?kind=signature_misuse").json()
    assert api["count"] == 1
