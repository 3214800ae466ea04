"""The whole paper trail in a browser: the broker uploads a signed contract, the trader's
admin confirms it and issues a letter of authority, anybody verifies the letter."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test import Client

from accounts.models import Organization, User
from contracts.models import LetterOfAuthority, ServiceContract
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    OrganizationFactory,
    UserFactory,
    minimal_pdf,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_storage(tmp_path: Path) -> Any:
    field = ServiceContract._meta.get_field("document")
    original = field.storage  # type: ignore[union-attr]
    field.storage = FileSystemStorage(location=tmp_path / "private", base_url=None)  # type: ignore[union-attr]
    yield
    field.storage = original  # type: ignore[union-attr]


def _signed_in_tab(browser: Any, live_server: Any, user: User) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def test_upload_confirm_issue_and_verify(browser: Any, live_server: Any, page: Any) -> None:
    broker = BrokerFactory.create(organization__name="Công ty Đại lý Hải quan Bến Nghé")
    agent = BrokerAgentFactory.create(broker=broker, full_name="Lý Thị Thu Hà")
    broker_staff = UserFactory.create(organization=broker.organization)
    trader = OrganizationFactory.create(
        kind=Organization.Kind.TRADER, name="Công ty TNHH Dệt may Hưng Yên"
    )
    trader_admin = UserFactory.create(organization=trader, role=User.Role.ADMIN)
    today = date.today()

    # The broker uploads the signed contract.
    tab = _signed_in_tab(browser, live_server, broker_staff)
    tab.goto("/contracts/")
    tab.get_by_role("link", name="Upload a signed contract").click()
    tab.get_by_label("Client's tax code").fill(trader.tax_code)
    tab.get_by_label("Contract reference").fill("HĐ-2026/BN-07")
    tab.get_by_label("Signed on").fill(today.isoformat())
    tab.get_by_label("Valid from").fill(today.isoformat())
    tab.get_by_label("Valid until").fill((today + timedelta(days=365)).isoformat())
    tab.get_by_label("Preparing and filing customs declarations").check()
    tab.get_by_label("Signed contract (PDF, at most 10 MB)").set_input_files(
        {"name": "hop-dong.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}
    )
    tab.get_by_role("button", name="Upload").click()
    tab.get_by_text("the trader has been asked to confirm it").wait_for()
    assert tab.get_by_test_id("contract-status").inner_text() == "Pending"
    contract = ServiceContract.objects.get()
    assert tab.get_by_test_id("sha256").inner_text() == contract.document_sha256
    tab.context.close()

    # The trader's admin compares the SHA-256, confirms, and issues a letter.
    tab = _signed_in_tab(browser, live_server, trader_admin)
    tab.goto("/contracts/")
    tab.get_by_role("link", name="HĐ-2026/BN-07").click()
    tab.get_by_role("button", name="Confirm the contract").click()
    tab.get_by_text("Contract confirmed.").wait_for()
    assert tab.get_by_test_id("contract-status").inner_text() == "Active"
    tab.get_by_role("link", name="Issue a letter").click()
    tab.get_by_label("Agent").select_option(label=str(agent))
    tab.get_by_label("Preparing and filing customs declarations").check()
    tab.get_by_label("Shipment or invoice references (optional)").fill("INV-HY-2026-015")
    tab.get_by_role("button", name="Issue the letter").click()
    tab.get_by_text("issued.").wait_for()
    letter = LetterOfAuthority.objects.get()
    assert tab.get_by_test_id("letter-number").inner_text() == letter.number
    code = tab.get_by_test_id("verification-code").inner_text()
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"{letter.number}.pdf"
    tab.context.close()

    # Anybody, without signing in, checks the letter by its code.
    page.goto(f"/letters/verify/{code}/")
    verdict = page.get_by_test_id("verdict").inner_text()
    assert verdict.startswith("Valid today")
    assert page.get_by_text("Công ty TNHH Dệt may Hưng Yên").first.is_visible()
    assert page.get_by_text("Lý Thị Thu Hà").first.is_visible()
