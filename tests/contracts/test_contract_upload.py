import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditEntry
from contracts.models import ServiceContract
from tests.factories import (
    BrokerFactory,
    CustomsOfficeFactory,
    OrganizationFactory,
    UserFactory,
    encrypted_pdf,
    minimal_pdf,
    pdf_of_size,
)

pytestmark = pytest.mark.django_db

URL = "/contracts/upload/"


@pytest.fixture
def broker_user() -> User:
    broker = BrokerFactory.create()
    return UserFactory.create(organization=broker.organization)


@pytest.fixture
def trader() -> Organization:
    return OrganizationFactory.create(
        kind=Organization.Kind.TRADER, name="Công ty TNHH Hải Đăng", email="hai-dang@example.test"
    )


def _post(client: Client, trader: Organization, content: bytes, name: str = "contract.pdf"):  # type: ignore[no-untyped-def]
    today = date.today()
    office = CustomsOfficeFactory.create()
    return client.post(
        URL,
        {
            "trader_tax_code": trader.tax_code,
            "reference": "HĐ-01/2026",
            "signed_on": today.isoformat(),
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
            "services": ["declaration", "duties"],
            "customs_offices": [office.pk],
            "document": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def _stored_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_a_valid_pdf_is_stored_privately_with_its_sha256(
    client: Client,
    broker_user: User,
    trader: Organization,
    private_storage: Path,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(broker_user)
    content = minimal_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, trader, content)
    contract = ServiceContract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contracts/{contract.pk}/"
    assert contract.trader == trader
    assert contract.uploaded_by == broker_user
    assert contract.services == ["declaration", "duties"]
    assert contract.document_sha256 == hashlib.sha256(content).hexdigest()
    stored = _stored_files(private_storage)
    assert len(stored) == 1 and stored[0].read_bytes() == content
    assert contract.confirmed_at is None
    page = client.get(response["Location"]).content.decode()
    assert contract.document_sha256 in page
    assert "Pending" in page
    entry = AuditEntry.objects.get(action="contract.upload")
    assert entry.organization == trader and entry.counterparty == broker_user.organization
    # Both parties hear of it: the trader's address and the broker's.
    recipients = {address for message in mailoutbox for address in message.to}
    assert "hai-dang@example.test" in recipients
    assert broker_user.organization is not None
    assert broker_user.organization.email in recipients


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"This is just text, renamed.\n" * 50, "contract.pdf", "not a PDF"),
        (b"%PDF-1.7\nnot really a pdf at all", "contract.pdf", "not a readable PDF"),
        (encrypted_pdf(), "contract.pdf", "encrypted"),
        (pdf_of_size(11 * 1024 * 1024), "contract.pdf", "at most 10 MB"),
    ],
    ids=["renamed-text", "fake-header", "encrypted", "11-megabytes"],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(
    client: Client,
    broker_user: User,
    trader: Organization,
    private_storage: Path,
    content: bytes,
    name: str,
    message: str,
) -> None:
    client.force_login(broker_user)
    response = _post(client, trader, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ServiceContract.objects.count() == 0
    assert _stored_files(private_storage) == []
    assert not AuditEntry.objects.filter(action="contract.upload").exists()


def test_an_unknown_or_malformed_tax_code_is_refused(
    client: Client, broker_user: User, private_storage: Path
) -> None:
    client.force_login(broker_user)
    unknown = OrganizationFactory.build(kind=Organization.Kind.TRADER)
    response = _post(client, unknown, minimal_pdf())
    assert "No trader with tax code" in response.content.decode()
    malformed = OrganizationFactory.build(tax_code="0123456788")
    response = _post(client, malformed, minimal_pdf())
    assert response.status_code == 200
    assert "tax code" in response.content.decode().lower()
    assert ServiceContract.objects.count() == 0
    assert _stored_files(private_storage) == []


def test_a_contract_ending_before_it_starts_is_refused(
    client: Client, broker_user: User, trader: Organization
) -> None:
    client.force_login(broker_user)
    response = client.post(
        URL,
        {
            "trader_tax_code": trader.tax_code,
            "reference": "HĐ-02",
            "signed_on": "2026-01-01",
            "valid_from": "2026-06-01",
            "valid_until": "2026-05-01",
            "services": ["declaration"],
            "document": SimpleUploadedFile("c.pdf", minimal_pdf()),
        },
    )
    assert "The contract must end after it starts." in response.content.decode()
    assert ServiceContract.objects.count() == 0


def test_a_contract_signed_after_it_ends_is_refused_and_its_file_not_stored(
    client: Client, broker_user: User, trader: Organization, private_storage: Path
) -> None:
    client.force_login(broker_user)
    response = client.post(
        URL,
        {
            "trader_tax_code": trader.tax_code,
            "reference": "HĐ-03",
            "signed_on": "2026-06-01",
            "valid_from": "2026-01-01",
            "valid_until": "2026-05-01",
            "services": ["declaration"],
            "document": SimpleUploadedFile("c.pdf", minimal_pdf()),
        },
    )
    assert "The contract cannot be signed after it ends." in response.content.decode()
    assert ServiceContract.objects.count() == 0
    assert _stored_files(private_storage) == []


def test_a_trader_may_not_upload(client: Client, trader: Organization) -> None:
    client.force_login(UserFactory.create(organization=trader, role=User.Role.ADMIN))
    assert client.get(URL).status_code == 403
    assert _post(client, trader, minimal_pdf()).status_code == 403
    assert ServiceContract.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_form_shows_for_broker_staff_and_other_methods_are_refused(
    client: Client, broker_user: User
) -> None:
    client.force_login(broker_user)
    assert "Signed contract (PDF, at most 10 MB)" in client.get(URL).content.decode()
    assert client.put(URL).status_code == 405


def test_the_same_reference_twice_is_refused_and_the_second_file_not_stored(
    client: Client, broker_user: User, trader: Organization, private_storage: Path
) -> None:
    client.force_login(broker_user)
    _post(client, trader, minimal_pdf())
    response = _post(client, trader, minimal_pdf("Bản khác"))
    assert "You already uploaded a contract with this reference." in response.content.decode()
    assert ServiceContract.objects.count() == 1
    assert len(_stored_files(private_storage)) == 1
