"""The risk page, /customs/risk/: the ranked certificates, brokers and traders with their
reasons, the charts, the filters; customs officers only."""

import re

import pytest
from django.test import Client

from accounts.models import Organization, User
from risk.refresh import risk_refresh
from tests.factories import UserFactory
from tests.risk.patterns import OTHER_OFFICE, Patterns, build_patterns

pytestmark = pytest.mark.django_db

URL = "/customs/risk/"


@pytest.fixture
def officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


@pytest.fixture
def patterns() -> Patterns:
    patterns = build_patterns()
    risk_refresh()
    return patterns


def _ranked(html: str) -> list[str]:
    table = html[html.index('id="ranked"') :]
    return re.findall(r'<tr data-key="([^"]+)">', table)


def test_the_page_ranks_certificates_with_their_reasons(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    html = client.get(URL).content.decode()
    # Only certificates used for three traders or more, the lent one first.
    assert _ranked(html) == [
        patterns.lent_serial,
        patterns.borrowed_serial,
        patterns.borrowing.serial,
    ]
    row = html[html.index(f'data-key="{patterns.lent_serial}"') :]
    row = row[: row.index("</tr>")]
    assert "Công ty Cho Mượn" in row
    assert 'data-score="100"' in row
    assert (
        "Share of its declarations filed by someone neither the trader nor a licensed broker: "
        "<strong>89%</strong> (peers 0%)"
    ) in row
    assert "Traders it signed for: <strong>5</strong> (peers 2)" in row
    assert f'href="/customs/risk/signer/{patterns.lent_serial}/"' in row


def test_each_list_has_its_tab(client: Client, officer: User, patterns: Patterns) -> None:
    client.force_login(officer)
    brokers = client.get(URL, {"list": "broker"}).content.decode()
    assert _ranked(brokers)[0] == patterns.sanctioned.broker.license_number
    assert "Suspensions and revocations on record: <strong>1</strong>" in brokers
    traders = client.get(URL, {"list": "trader"}).content.decode()
    assert _ranked(traders)[0] == patterns.switching.tax_code
    assert "Share of its recent declarations from a new declarant or signer" in traders
    assert client.get(URL, {"list": "nonsense"}).status_code == 200


def test_the_page_draws_a_chart_of_each_signal_over_the_window(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    html = client.get(URL).content.decode()
    charts = re.findall(r'<svg id="([a-z_]+)-chart"', html)
    assert charts == [
        "shared_signer",
        "declarant_switch",
        "agent_without_authority",
        "green_share",
        "flagged",
    ]
    lent = html[html.index('id="shared_signer-chart"') : html.index('id="declarant_switch-chart"')]
    bars = re.findall(r'data-day="[\d-]+" data-count="(\d+)"', lent)
    assert len(bars) == 90
    assert sum(int(count) for count in bars) == 8 + 3


def test_the_filters_narrow_the_lists_and_the_charts(
    client: Client, officer: User, patterns: Patterns
) -> None:
    client.force_login(officer)
    # The middleman filed at the other office only; the lender is of Hải Phòng.
    at_office = client.get(URL, {"office": OTHER_OFFICE}).content.decode()
    assert _ranked(at_office) == [patterns.lent_serial]
    lent = at_office[at_office.index('id="shared_signer-chart"') :]
    lent = lent[: lent.index("</svg>")]
    assert sum(int(c) for c in re.findall(r'data-count="(\d+)"', lent)) == 8
    elsewhere = client.get(URL, {"list": "signer", "province": "ha-noi"}).content.decode()
    assert _ranked(elsewhere) == []
    assert "Nothing matches." in elsewhere
    everyone = client.get(URL, {"min_traders": "1"}).content.decode()
    assert len(_ranked(everyone)) > 3


@pytest.mark.parametrize(
    "query",
    [{"province": "atlantis"}, {"office": "ZZZZ"}, {"min_traders": "0"}, {"min_traders": "x"}],
)
def test_a_filter_that_does_not_validate_says_so_and_lists_nothing(
    client: Client, officer: User, patterns: Patterns, query: dict[str, str]
) -> None:
    client.force_login(officer)
    response = client.get(URL, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in html
    assert _ranked(html) == []


def test_before_the_first_run_the_page_says_so(client: Client, officer: User) -> None:
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "The risk analysis has not run yet" in html
    assert "No analysis yet." in html


def test_the_page_speaks_vietnamese(client: Client, officer: User, patterns: Patterns) -> None:
    client.force_login(officer)
    html = client.get(URL, headers={"accept-language": "vi"}).content.decode()
    assert "Phân tích rủi ro" in html
    assert "Chứng thư số" in html


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_officers_see_it(client: Client, kind: str) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_refuses_post(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.post(URL).status_code == 405


def test_the_customs_navigation_links_to_it(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert 'href="/customs/risk/"' in client.get("/").content.decode()
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.TRADER))
    assert 'href="/customs/risk/"' not in client.get("/").content.decode()
