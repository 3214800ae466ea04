from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client

from accounts.models import Organization
from brokers.models import Sanction
from tests.factories import (
    BrokerFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    """Hand the browser a session made by Django's test client (sign-in itself is tested
    by the accounts pages)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_an_officer_suspends_a_broker_and_the_register_shows_it(
    page: Any, live_server: Any, settings: Any
) -> None:
    broker = BrokerFactory.create(
        license_number="DL-7777",
        organization=OrganizationFactory.create(
            kind=Organization.Kind.BROKER, name="Đại lý Cảng Cái Mép"
        ),
    )
    contract = ServiceContractFactory.create(broker=broker)
    LetterOfAuthorityFactory.create(contract=contract)
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    _sign_in(page, live_server, officer)

    page.goto("/customs/brokers/DL-7777/")
    assert page.locator("#broker-status").inner_text().strip() == "Active"
    page.get_by_role("link", name="Suspend").click()
    page.get_by_label("Reason").fill("Did not keep the conditions of its licence")
    page.get_by_label("Decision number").fill("345/QĐ-HQ")
    page.get_by_role("button", name="Continue").click()

    consequences = page.locator("#consequences").inner_text()
    assert "1 trader holds a contract in force with this broker." in consequences
    assert "1 letter of authority to its agents is live." in consequences
    assert not Sanction.objects.exists()
    page.get_by_role("button", name="Confirm the suspension").click()

    page.wait_for_url("**/customs/brokers/DL-7777/")
    assert "The broker is suspended." in page.locator("main").inner_text()
    assert page.locator("#broker-status").inner_text().strip() == "Suspended"
    assert "345/QĐ-HQ" in page.locator("#sanctions").inner_text()
    assert Sanction.objects.get().decided_by == officer
    # The broker and its one trader were told, in Vietnamese: nobody there chose English.
    assert len(mail.outbox) == 2
    assert all(
        "Tạm dừng hoạt động đại lý làm thủ tục hải quan Đại lý Cảng Cái Mép (DL-7777)" in m.subject
        for m in mail.outbox
    )

    # The public register shows it at once, to anyone.
    page.context.clear_cookies()
    page.goto("/brokers/?q=cai mep")
    assert "Suspended" in page.locator("main").inner_text()
    page.goto("/brokers/DL-7777/")
    public = page.locator("main").inner_text()
    assert "Suspended" in public
    assert "345/QĐ-HQ" in public
    assert "Did not keep the conditions of its licence" in public
