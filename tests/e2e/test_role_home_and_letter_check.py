"""Each role lands on its home after signing in, and the public letter check says why a
letter is not valid."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Organization, User
from tests.e2e.browser import sign_in
from tests.factories import (
    LetterOfAuthorityFactory,
    SanctionFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_trader_s_home_lists_the_contract_to_confirm(page: Any, live_server: Any) -> None:
    contract = ServiceContractFactory.create(
        reference="HĐ-CHỜ-01", confirmed_at=None, confirmed_by=None
    )
    sign_in(page, live_server, UserFactory.create(organization=contract.trader))
    page.goto("/home/")
    assert page.locator("#count-contracts-waiting").inner_text() == "1"
    page.locator("#home-contracts-waiting").get_by_role("link", name="HĐ-CHỜ-01").click()
    page.wait_for_url(f"**/contracts/{contract.pk}/")


def test_a_broker_s_home_lists_its_agents(page: Any, live_server: Any) -> None:
    letter = LetterOfAuthorityFactory.create(agent__full_name="Phạm Thu Hà")
    broker = letter.contract.broker
    sign_in(page, live_server, UserFactory.create(organization=broker.organization))
    page.goto("/home/")
    agents = page.locator("#home-agents").inner_text()
    assert "Phạm Thu Hà" in agents and "1 live letter" in agents


def test_customs_lands_on_the_dashboard(page: Any, live_server: Any) -> None:
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS, role=User.Role.ADMIN)
    sign_in(page, live_server, officer)
    page.goto("/home/")
    page.wait_for_url("**/customs/dashboard/")


@pytest.mark.parametrize(
    ("change", "reason"),
    [("suspend", "The broker is suspended."), ("expire", "the letter has expired")],
)
def test_the_letter_check_says_why_and_shows_no_green(
    page: Any, live_server: Any, change: str, reason: str
) -> None:
    today = timezone.localdate()
    letter = LetterOfAuthorityFactory.create()
    if change == "suspend":
        SanctionFactory.create(broker=letter.contract.broker, starts_on=today)
    else:
        type(letter).objects.filter(pk=letter.pk).update(
            valid_from=today - timedelta(days=30), valid_until=today - timedelta(days=1)
        )
    page.goto(f"/letters/verify/{letter.verification_code}/")
    verdict = page.get_by_test_id("verdict")
    assert verdict.inner_text().startswith("Not valid today")
    assert reason in page.locator("#letter-invalid-reasons").inner_text()
    assert page.locator(".alert-success, .bg-success").count() == 0
