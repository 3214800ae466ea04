import pytest
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditEntry
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/letters/limit/"


@pytest.fixture
def trader() -> Organization:
    return OrganizationFactory.create(kind=Organization.Kind.TRADER)


def test_the_trader_admin_sets_the_limit(client: Client, trader: Organization) -> None:
    client.force_login(UserFactory.create(organization=trader, role=User.Role.ADMIN))
    assert 'name="limit"' in client.get("/letters/").content.decode()
    response = client.post(URL, {"limit": "3"}, follow=True)
    assert "Limit of active letters per contract saved." in response.content.decode()
    trader.refresh_from_db()
    assert trader.letters_per_contract_limit == 3
    entry = AuditEntry.objects.get(action="letter.limit_set")
    assert entry.before == {"letters_per_contract_limit": 5}
    assert entry.after == {"letters_per_contract_limit": 3}


@pytest.mark.parametrize("value", ["0", "51", "many"])
def test_a_bad_limit_is_refused(client: Client, trader: Organization, value: str) -> None:
    client.force_login(UserFactory.create(organization=trader, role=User.Role.ADMIN))
    response = client.post(URL, {"limit": value}, follow=True)
    assert "The limit must be between 1 and 50." in response.content.decode()
    trader.refresh_from_db()
    assert trader.letters_per_contract_limit == 5


@pytest.mark.parametrize("who", ["trader-staff", "broker-admin"])
def test_only_a_trader_admin_may_set_it(client: Client, trader: Organization, who: str) -> None:
    if who == "trader-staff":
        user = UserFactory.create(organization=trader, role=User.Role.STAFF)
    else:
        user = UserFactory.create(organization__kind=Organization.Kind.BROKER, role=User.Role.ADMIN)
    client.force_login(user)
    assert 'name="limit"' not in client.get("/letters/").content.decode()
    assert client.post(URL, {"limit": "9"}).status_code == 403
    assert client.get(URL).status_code == 405
