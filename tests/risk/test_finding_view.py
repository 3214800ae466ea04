"""A finding's page, /customs/risk/<subject>/<key>/: every signal with its value, the
peers' median and its points, and the declarations behind it."""

import re

import pytest
from django.test import Client

from accounts.models import Organization, User
from risk.refresh import risk_refresh
from tests.factories import UserFactory
from tests.risk.patterns import MIDDLEMAN, Patterns, build_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


@pytest.fixture
def patterns() -> Patterns:
    patterns = build_patterns()
    risk_refresh()
    return patterns


def _declarations(html: str) -> list[str]:
    return re.findall(r'<tr data-number="(\d+)">', html)


def test_a_certificate_s_page_shows_every_signal_and_its_declarations(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    html = client.get(f"/customs/risk/signer/{patterns.lent_serial}/").content.decode()
    assert 'data-score="100"' in html
    signals = re.findall(r'<tr data-signal="([a-z_]+)"', html)
    assert signals == ["unlicensed_declarant", "not_own_certificate", "traders", "declarants"]
    assert "Compared with: nationwide" in html
    # The nine declarations of the window signed with it, newest first; not the one of
    # 120 days ago.
    numbers = _declarations(html)
    assert len(numbers) == 9
    newest = min(
        (d for d in patterns.declarations if d.signer_serial == patterns.lent_serial),
        key=lambda d: -d.registered_at.timestamp(),
    )
    assert numbers[0] == newest.number
    assert html.count(MIDDLEMAN) == 8
    assert "Open a flag from this finding" in html


def test_a_broker_s_and_a_trader_s_pages(client: Client, officer: User, patterns: Patterns) -> None:
    client.force_login(officer)
    broker = client.get(f"/customs/risk/broker/{patterns.green.broker.license_number}/")
    html = broker.content.decode()
    assert broker.status_code == 200
    assert "Compared with: same province and similar volume, 10-29 (10)" in html
    assert re.search(
        r'data-signal="green_share"><td>[^<]+</td><td class="text-end">100%</td>', html
    )
    assert len(_declarations(html)) == 12
    trader = client.get(f"/customs/risk/trader/{patterns.switching.tax_code}/").content.decode()
    assert 'data-score="50"' in trader
    assert len(_declarations(trader)) == 10
    assert patterns.new_broker.broker.organization.tax_code in trader


@pytest.mark.parametrize(
    "path",
    [
        "/customs/risk/agent/AG-1/",
        "/customs/risk/signer/NO-SUCH-SERIAL/",
        "/customs/risk/broker/DL-NOPE/",
        "/customs/risk/trader/0100000000/",
    ],
)
def test_an_unknown_finding_is_not_found(
    client: Client, officer: User, patterns: Patterns, path: str
) -> None:
    client.force_login(officer)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_officers_see_a_finding(client: Client, patterns: Patterns, kind: str) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    assert client.get(f"/customs/risk/signer/{patterns.lent_serial}/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client, patterns: Patterns) -> None:
    response = client.get(f"/customs/risk/signer/{patterns.lent_serial}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_refuses_post(client: Client, officer: User, patterns: Patterns) -> None:
    client.force_login(officer)
    assert client.post(f"/customs/risk/signer/{patterns.lent_serial}/").status_code == 405
