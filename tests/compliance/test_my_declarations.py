from typing import Any

import pytest
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditEntry
from compliance.models import DeclarationAlert
from compliance.scan import declarations_scan
from tests.compliance.world import World, build_world
from tests.factories import DeclarationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/declarations/mine/"


@pytest.fixture
def world() -> World:
    world = build_world()
    declarations_scan()
    return world


def test_a_trader_sees_every_declaration_in_its_name_with_who_filed_it(
    client: Client, world: World
) -> None:
    client.force_login(UserFactory.create(organization=world.trader))
    html = client.get(URL).content.decode()
    misuse = world.declarations["signature_misuse"]
    assert misuse.number in html
    assert world.broker.organization.name in html  # who filed it
    assert misuse.signer_serial in html  # whose signature
    assert "AG-NOLETTER" in html  # which agent
    assert world.agent.full_name in html
    assert "signed with a certificate not the broker&#x27;s own" in html
    assert "your company" in html  # the self-filed one
    assert world.declarations["no_contract"].number not in html  # another trader's


def test_the_page_runs_a_bounded_number_of_queries(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    DeclarationFactory.create_batch(20, trader_tax_code=world.trader.tax_code)
    client.force_login(UserFactory.create(organization=world.trader))
    # Session, user, the menu's counts, count, page, flags, declarant names, agent names,
    # alert setting: the same for 20 rows as for 2.
    with django_assert_max_num_queries(10):
        html = client.get(URL).content.decode()
    assert html.count("<tr>") == 1 + 6 + 20  # the header, the world's six, the new ones


@pytest.mark.parametrize("kind", [Organization.Kind.BROKER, Organization.Kind.CUSTOMS])
def test_only_traders_have_the_page(client: Client, kind: str) -> None:
    client.force_login(UserFactory.create(organization__kind=kind))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert "/accounts/login/" in client.get(URL)["Location"]


def test_a_trader_admin_turns_the_email_for_every_declaration_on_and_off(
    client: Client, world: World
) -> None:
    client.force_login(UserFactory.create(organization=world.trader, role=User.Role.ADMIN))
    response = client.post("/declarations/alert/", {"email_every_declaration": "on"}, follow=True)
    assert "will get an e-mail for every declaration" in response.content.decode()
    assert DeclarationAlert.objects.get(organization=world.trader).email_every_declaration
    entry = AuditEntry.objects.get(action="declaration_alert.change")
    assert entry.organization == world.trader
    assert entry.after == {"email_every_declaration": True}
    client.post("/declarations/alert/", {})
    assert not DeclarationAlert.objects.get(organization=world.trader).email_every_declaration


def test_staff_may_not_change_the_email_setting(client: Client, world: World) -> None:
    client.force_login(UserFactory.create(organization=world.trader, role=User.Role.STAFF))
    response = client.post("/declarations/alert/", {"email_every_declaration": "on"})
    assert response.status_code == 403
    assert not DeclarationAlert.objects.exists()
    assert client.get("/declarations/alert/").status_code == 405
