import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from brokers.models import Broker, Sanction
from compliance.models import Declaration, Flag, FlagKind, FlagStatus, ScanRun
from tests.factories import BrokerFactory, OrganizationFactory, SanctionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/customs/dashboard/"


def _flag(
    *,
    kind: str,
    broker: Broker | None = None,
    trader: Organization | None = None,
    status: str = FlagStatus.OPEN,
    days_ago: int = 0,
) -> Flag:
    declaration = Declaration.objects.create(
        number=f"D{Declaration.objects.count():011d}",
        registered_at=timezone.now(),
        customs_office_code="03CE",
        trader_tax_code=trader.tax_code if trader else "0100000000",
        declarant_tax_code=broker.organization.tax_code if broker else "0100000000",
        channel=Declaration.Channel.GREEN,
    )
    noon = datetime.combine(
        timezone.localdate() - timedelta(days=days_ago),
        datetime.min.time().replace(hour=12),
        tzinfo=timezone.get_current_timezone(),
    )
    return Flag.objects.create(
        declaration=declaration,
        kind=kind,
        status=status,
        broker=broker,
        trader=trader,
        raised_at=noon,
    )


def _known_data_set() -> dict[str, Any]:
    """Brokers: 2 active, 1 suspended, 1 revoked, 1 expired. Open flags: 3 no_contract,
    1 broker_suspended; one resolved flag and one 100 days old."""
    today = timezone.localdate()
    active = BrokerFactory.create_batch(2)
    suspended = BrokerFactory.create(license_number="DL-SUSP", organization__name="Đại lý Tạm dừng")
    SanctionFactory.create(broker=suspended)
    SanctionFactory.create(broker=BrokerFactory.create(), kind=Sanction.Kind.REVOCATION)
    BrokerFactory.create(
        issued_on=today - timedelta(days=800), valid_until=today - timedelta(days=10)
    )
    trader = OrganizationFactory.create(name="Công ty Nhiều Cảnh Báo")
    quiet_trader = OrganizationFactory.create(name="Công ty Ít Cảnh Báo")
    _flag(kind=FlagKind.NO_CONTRACT, broker=suspended, trader=trader, days_ago=0)
    _flag(kind=FlagKind.NO_CONTRACT, broker=suspended, trader=trader, days_ago=0)
    _flag(kind=FlagKind.NO_CONTRACT, broker=active[0], trader=quiet_trader, days_ago=3)
    _flag(kind=FlagKind.BROKER_SUSPENDED, broker=suspended, trader=trader, days_ago=3)
    _flag(kind=FlagKind.SIGNATURE_MISUSE, trader=trader, status=FlagStatus.RESOLVED, days_ago=89)
    _flag(kind=FlagKind.SIGNATURE_MISUSE, trader=trader, days_ago=100)
    return {"suspended": suspended, "trader": trader, "active": active}


@pytest.fixture
def officer() -> User:
    return UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)


def _cell(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'data-{attribute}="{value}">(\d+)<', html)
    assert match, f"{attribute}={value} not on the page"
    return match.group(1)


def test_the_dashboard_shows_the_figures_of_a_known_data_set(client: Client, officer: User) -> None:
    data = _known_data_set()
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert [_cell(html, "status", s) for s in ("active", "suspended", "revoked", "expired")] == [
        "2",
        "1",
        "1",
        "1",
    ]
    assert _cell(html, "kind", "no_contract") == "3"
    assert _cell(html, "kind", "broker_suspended") == "1"
    # The 100-day-old open flag counts as open but not in the 90-day chart.
    assert _cell(html, "kind", "signature_misuse") == "1"
    assert _cell(html, "kind", "no_authority_letter") == "0"
    today = timezone.localdate()
    bars = dict(re.findall(r'data-day="([\d-]+)" data-count="(\d+)"', html))
    assert len(bars) == 90
    assert bars[today.isoformat()] == "2"
    assert bars[(today - timedelta(days=3)).isoformat()] == "2"
    assert bars[(today - timedelta(days=89)).isoformat()] == "1"
    assert sum(int(count) for count in bars.values()) == 5
    # Top brokers and traders by open flags, linked into the work queue.
    top_brokers = html[html.index('id="top-brokers"') :]
    assert top_brokers.index("Đại lý Tạm dừng") < top_brokers.index(
        data["active"][0].organization.name
    )
    assert '/flags/?status=open&amp;broker=DL-SUSP">3<' in html
    assert f'/flags/?status=open&amp;trader={data["trader"].tax_code}">4<' in html
    assert "/flags/?status=open&amp;kind=no_contract" in html


def _grow(size: int) -> None:
    for n in range(size):
        broker = BrokerFactory.create()
        trader = OrganizationFactory.create()
        if n % 3 == 0:
            SanctionFactory.create(broker=broker)
        _flag(kind=FlagKind.NO_CONTRACT, broker=broker, trader=trader, days_ago=n % 90)
        _flag(kind=FlagKind.SIGNATURE_MISUSE, broker=broker, trader=trader, days_ago=n % 7)
    ScanRun.objects.create(mode=ScanRun.Mode.FULL, requested_by=UserFactory.create())


@pytest.fixture
def memory_cache(settings: Any) -> None:
    # The database cache of the test settings would add its own queries to the count.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.mark.parametrize("size", [3, 40])
def test_the_dashboard_loads_in_constant_queries(
    client: Client,
    officer: User,
    size: int,
    memory_cache: None,
    django_assert_num_queries: Any,
) -> None:
    _grow(size)
    client.force_login(officer)
    # Session, user and its organisation; brokers by status; the four flag figures; the
    # last scan. The menu's count of open flags comes from the figures just counted.
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert "Last scan started" in response.content.decode()
    # Within the minute the flag figures come from the cache; broker statuses stay fresh.
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert "Last scan started" in response.content.decode()


def test_a_sanction_shows_on_the_dashboard_at_once(
    client: Client, officer: User, memory_cache: None
) -> None:
    broker = BrokerFactory.create()
    client.force_login(officer)
    assert _cell(client.get(URL).content.decode(), "status", "suspended") == "0"
    SanctionFactory.create(broker=broker)
    assert _cell(client.get(URL).content.decode(), "status", "suspended") == "1"


def test_an_empty_dashboard_draws_an_empty_chart(client: Client, officer: User) -> None:
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "The scan has not run yet." in html
    assert html.count('data-count="0"') == 90
    assert "No open flags." in html


def test_the_dashboard_draws_its_chart_with_dots_in_vietnamese(
    client: Client, officer: User
) -> None:
    _known_data_set()
    client.force_login(officer)
    html = client.get(URL, headers={"accept-language": "vi"}).content.decode()
    assert "Bảng điều khiển hải quan" in html
    heights = re.findall(r'<rect x="[^"]*" y="[^"]*" width="[^"]*" height="([^"]*)"', html)
    assert heights and all("," not in height for height in heights)


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_officers_see_the_dashboard(client: Client, kind: str) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_refuses_post(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.post(URL).status_code == 405


def test_beat_recounts_the_flag_figures_ahead_of_the_page(
    client: Client, officer: User, memory_cache: None, django_assert_num_queries: Any
) -> None:
    from compliance.tasks import dashboard_figures_refresh

    data = _known_data_set()
    dashboard_figures_refresh.delay()
    client.force_login(officer)
    # The page reads the recounted figures (the menu's count of open flags too): session,
    # user, organisation, brokers, last scan.
    with django_assert_num_queries(5):
        html = client.get(URL).content.decode()
    assert _cell(html, "kind", "no_contract") == "3"
    # A flag raised since shows at the next recount, not before.
    _flag(kind=FlagKind.NO_CONTRACT, broker=data["suspended"], trader=data["trader"])
    html = client.get(URL).content.decode()
    assert _cell(html, "kind", "no_contract") == "3"
    waiting = html.split('id="nav-waiting">', 1)[1].split("<", 1)[0]
    dashboard_figures_refresh.delay()
    html = client.get(URL).content.decode()
    assert _cell(html, "kind", "no_contract") == "4"
    # The menu's count of open flags moves with the figures.
    assert html.split('id="nav-waiting">', 1)[1].split("<", 1)[0] == str(int(waiting) + 1)
