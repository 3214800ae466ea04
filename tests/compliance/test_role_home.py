"""/home/: where every sign-in lands. Customs on its dashboard; a trader or a broker on what
waits for it, its own only; the menu counts the same."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from compliance.models import FlagStatus
from tests.factories import (
    BrokerAgentFactory,
    BrokerFactory,
    DeclarationFactory,
    FlagFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/home/"


def _trader_with_work(name: str = "Công ty TNHH Sao Việt") -> Organization:
    """A trader with one contract to confirm, one letter ending in ten days and one open
    flag (and a resolved one, which does not wait)."""
    today = timezone.localdate()
    trader = OrganizationFactory.create(kind=Organization.Kind.TRADER, name=name)
    ServiceContractFactory.create(
        trader=trader, reference=f"CHO-{trader.pk}", confirmed_at=None, confirmed_by=None
    )
    contract = ServiceContractFactory.create(trader=trader, reference=f"HIEU-LUC-{trader.pk}")
    LetterOfAuthorityFactory.create(
        contract=contract, number=f"LOA-2026-9{trader.pk:05d}", valid_until=today + timedelta(10)
    )
    LetterOfAuthorityFactory.create(contract=contract, valid_until=today + timedelta(200))
    declaration = DeclarationFactory.create(trader_tax_code=trader.tax_code)
    FlagFactory.create(declaration=declaration, trader=trader)
    FlagFactory.create(
        declaration=DeclarationFactory.create(trader_tax_code=trader.tax_code),
        trader=trader,
        status=FlagStatus.RESOLVED,
    )
    return trader


def _counts(html: str) -> tuple[str, str, str]:
    def figure(name: str) -> str:
        start = html.index(f'id="count-{name}">') + len(f'id="count-{name}">')
        return html[start : html.index("<", start)]

    return figure("contracts-waiting"), figure("letters-expiring"), figure("open-flags")


def test_a_trader_sees_what_waits_for_it_and_not_another_trader_s(client: Client) -> None:
    trader = _trader_with_work()
    other = _trader_with_work("Công ty Người Khác")
    client.force_login(UserFactory.create(organization=trader, role=User.Role.ADMIN))

    html = client.get(URL).content.decode()

    assert _counts(html) == ("1", "1", "1")
    assert f"CHO-{trader.pk}" in html and f"LOA-2026-9{trader.pk:05d}" in html
    assert "contract waiting for your confirmation" in html
    assert f"CHO-{other.pk}" not in html and f"LOA-2026-9{other.pk:05d}" not in html
    assert 'id="nav-waiting">3' in html  # the menu counts what waits


def test_a_broker_sees_contracts_under_review_expiring_and_its_agents(client: Client) -> None:
    today = timezone.localdate()
    broker = BrokerFactory.create()
    ServiceContractFactory.create(
        broker=broker, reference="XEM-XET-1", confirmed_at=None, confirmed_by=None
    )
    ending = ServiceContractFactory.create(
        broker=broker, reference="SAP-HET-1", valid_until=today + timedelta(days=20)
    )
    agent = BrokerAgentFactory.create(broker=broker, full_name="Trần Thị Mai")
    LetterOfAuthorityFactory.create(contract=ending, agent=agent)
    ServiceContractFactory.create(reference="KHAC-1", confirmed_at=None, confirmed_by=None)
    BrokerAgentFactory.create(full_name="Người Của Đại Lý Khác")
    client.force_login(UserFactory.create(organization=broker.organization))

    html = client.get(URL).content.decode()

    assert "Contracts under review" in html and "XEM-XET-1" in html and "SAP-HET-1" in html
    assert "Trần Thị Mai" in html and "1 live letter ·" in html
    assert "KHAC-1" not in html and "Người Của Đại Lý Khác" not in html
    assert _counts(html)[0] == "1"


def test_customs_lands_on_its_dashboard(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/customs/dashboard/"


def test_a_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_only_reads(client: Client) -> None:
    client.force_login(UserFactory.create(organization=_trader_with_work()))
    assert client.post(URL).status_code == 405


def test_signing_in_lands_on_the_role_home(client: Client) -> None:
    user = UserFactory.create(organization=_trader_with_work())
    user.set_password("Một-mật-khẩu-dài-2026")
    user.save()
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "Một-mật-khẩu-dài-2026"}
    )
    assert response.status_code == 302 and response["Location"] == URL


@pytest.mark.parametrize("extra", [0, 8])
def test_the_home_runs_a_fixed_number_of_queries(
    client: Client, extra: int, django_assert_num_queries: Any
) -> None:
    trader = _trader_with_work()
    for _ in range(extra):
        _trader_with_work()  # other traders' work weighs nothing
        ServiceContractFactory.create(trader=trader, confirmed_at=None, confirmed_by=None)
    client.force_login(UserFactory.create(organization=trader))
    # Session, user and organisation; the counts (once for the menu, once for the page);
    # contracts waiting, contracts ending, letters ending, open flags.
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
