import pytest
from django.test import Client

from accounts.models import Organization, User
from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db

LINKS = {
    "customs_brokers": 'href="/customs/brokers/"',
    "dashboard": 'href="/customs/dashboard/"',
    "risk": 'href="/customs/risk/"',
    "upload": 'href="/declarations/upload/"',
    "my_declarations": 'href="/declarations/mine/"',
    "flags": 'href="/flags/"',
    "contracts": 'href="/contracts/"',
    "clients": 'href="/contracts/clients/"',
    "audit_log": 'href="/audit/"',
}


def _menu(client: Client) -> set[str]:
    html = client.get("/").content.decode()
    menu = html[html.index('id="main-nav"') : html.index("</nav>")]
    return {name for name, link in LINKS.items() if link in menu}


def test_an_anonymous_visitor_sees_no_private_link(client: Client) -> None:
    assert _menu(client) == set()


def test_a_customs_officer_sees_the_customs_links(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    assert _menu(client) == {
        "customs_brokers",
        "dashboard",
        "risk",
        "upload",
        "flags",
        "contracts",
        "audit_log",
    }


def test_a_trader_s_staff_sees_its_declarations_but_not_the_audit_log(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.TRADER))
    assert _menu(client) == {"my_declarations", "flags", "contracts"}


def test_a_trader_s_admin_also_sees_the_audit_log(client: Client) -> None:
    client.force_login(
        UserFactory.create(organization__kind=Organization.Kind.TRADER, role=User.Role.ADMIN)
    )
    assert _menu(client) == {"my_declarations", "flags", "contracts", "audit_log"}


def test_a_broker_s_staff_sees_its_clients(client: Client) -> None:
    client.force_login(UserFactory.create(organization=BrokerFactory.create().organization))
    assert _menu(client) == {"flags", "contracts", "clients"}


def test_every_link_shown_opens(client: Client) -> None:
    for user in (
        UserFactory.create(organization__kind=Organization.Kind.CUSTOMS),
        UserFactory.create(organization__kind=Organization.Kind.TRADER, role=User.Role.ADMIN),
        UserFactory.create(organization=BrokerFactory.create().organization),
    ):
        client.force_login(user)
        for name in _menu(client):
            url = LINKS[name].removeprefix('href="').removesuffix('"')
            assert client.get(url).status_code == 200, (user.organization, url)
