"""In a browser: a broker uploads a contract signed by both parties and reads the signature
panel; then anyone checks the same PDF on the public page."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage

from accounts.certificates import certificate_fingerprint
from accounts.models import Organization, TrustedCertificate
from contracts.models import ServiceContract
from tests.e2e.test_contract_journey import _signed_in_tab
from tests.factories import BrokerFactory, OrganizationFactory, UserFactory, minimal_pdf
from tests.signing import authority, person, signed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_storage(tmp_path: Path) -> Any:
    field = ServiceContract._meta.get_field("document")
    original = field.storage  # type: ignore[union-attr]
    field.storage = FileSystemStorage(location=tmp_path / "private", base_url=None)  # type: ignore[union-attr]
    yield
    field.storage = original  # type: ignore[union-attr]


def test_upload_a_signed_contract_and_read_the_panel(browser: Any, live_server: Any) -> None:
    broker = BrokerFactory.create(organization__name="Công ty Đại lý Bến Nghé")
    broker_staff = UserFactory.create(organization=broker.organization)
    trader = OrganizationFactory.create(kind=Organization.Kind.TRADER, name="Công ty Dệt Hưng Yên")
    ca = authority("CA Thử nghiệm")
    TrustedCertificate.objects.create(
        subject="CN=CA Thử nghiệm",
        issuer="CN=CA Thử nghiệm",
        serial_number="1",
        not_before=ca.certificate.not_valid_before_utc,
        not_after=ca.certificate.not_valid_after_utc,
        fingerprint_sha256=certificate_fingerprint(ca.certificate),
        der=ca.der,
    )
    trader_id = person(ca, name=trader.name, tax_code=trader.tax_code)
    broker_id = person(ca, name=broker.organization.name, tax_code=broker.organization.tax_code)

    def both_signed() -> bytes:
        return signed(
            signed(minimal_pdf(), trader_id, field_name="Trader"), broker_id, field_name="Broker"
        )

    # pyHanko runs its own event loop; Playwright's holds this thread's.
    with ThreadPoolExecutor(1) as executor:
        content = executor.submit(both_signed).result()
    today = date.today()
    tab = _signed_in_tab(browser, live_server, broker_staff)
    tab.goto("/contracts/upload/")
    tab.get_by_label("Client's tax code").fill(trader.tax_code)
    tab.get_by_label("Contract reference").fill("HĐ-2026/KY-01")
    tab.get_by_label("Signed on").fill(today.isoformat())
    tab.get_by_label("Valid from").fill(today.isoformat())
    tab.get_by_label("Valid until").fill((today + timedelta(days=365)).isoformat())
    tab.get_by_label("Preparing and filing customs declarations").check()
    tab.get_by_label("Signed contract (PDF, at most 10 MB)").set_input_files(
        {"name": "hop-dong.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    tab.get_by_role("button", name="Upload").click()
    tab.get_by_test_id("signature-panel").wait_for()
    assert tab.get_by_test_id("signatures-verified").is_visible()
    signers = tab.get_by_test_id("signer").all_inner_texts()
    assert signers == [trader.name, broker.organization.name]
    assert tab.get_by_test_id("signature-verdict").all_inner_texts() == ["Valid signature"] * 2
    assert tab.get_by_test_id("signer-tax-code").all_inner_texts() == [
        trader.tax_code,
        broker.organization.tax_code,
    ]
    assert tab.get_by_test_id("counts-for").all_inner_texts() == ["the trader", "the broker"]

    # Anyone checks the same PDF, signed out.
    tab.context.clear_cookies()
    tab.goto("/documents/verify/")
    tab.get_by_label("Signed PDF (at most 10 MB)").set_input_files(
        {"name": "hop-dong.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    tab.get_by_role("button", name="Check").click()
    tab.get_by_test_id("signature-panel").wait_for()
    assert tab.get_by_test_id("signature-verdict").all_inner_texts() == ["Valid signature"] * 2
    assert ServiceContract.objects.count() == 1
    tab.context.close()
