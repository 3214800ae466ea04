import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from audit.models import AuditEntry
from brokers.models import BrokerStatus, Sanction
from brokers.status import broker_status
from customs.services import sanction_impose
from tests.customs.conftest import BrokerWithClients
from tests.factories import BrokerFactory, SanctionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanction(broker_with_clients: BrokerWithClients) -> Sanction:
    return sanction_impose(
        broker=broker_with_clients.broker,
        kind=Sanction.Kind.REVOCATION,
        reason="Fraud",
        decision_number="1/QĐ-HQ",
        starts_on=timezone.localdate(),
        by=None,
        notify=False,
    )


def _url(sanction: Sanction) -> str:
    return f"/customs/brokers/DL-0042/sanctions/{sanction.pk}/lift/"


def test_reinstating_a_revoked_broker(
    client: Client, officer: User, broker_with_clients: BrokerWithClients, sanction: Sanction
) -> None:
    client.force_login(officer)
    html = client.get(_url(sanction)).content.decode()
    assert "Fraud" in html
    assert "2 traders hold contracts in force with this broker." in html
    assert "3 letters of authority to its agents are live." in html
    today = timezone.localdate().isoformat()
    response = client.post(
        _url(sanction), {"reason": "Decision annulled on appeal", "lifted_on": today}, follow=True
    )
    assert "The sanction is lifted." in response.content.decode()
    sanction.refresh_from_db()
    assert sanction.lifted_by == officer and sanction.lift_reason == "Decision annulled on appeal"
    assert broker_status(broker=broker_with_clients.broker, on=timezone.localdate()) == (
        BrokerStatus.ACTIVE
    )
    entry = AuditEntry.objects.get(action="broker.sanction_lift")
    assert entry.before["lifted_on"] is None and entry.after["lifted_on"] == today


def test_lifting_twice_is_refused(client: Client, officer: User, sanction: Sanction) -> None:
    client.force_login(officer)
    data = {"reason": "ok", "lifted_on": timezone.localdate().isoformat()}
    client.post(_url(sanction), data)
    response = client.post(_url(sanction), data)
    assert "This sanction has already been lifted." in response.content.decode()
    assert AuditEntry.objects.filter(action="broker.sanction_lift").count() == 1


def test_a_lift_without_a_reason_is_refused(
    client: Client, officer: User, sanction: Sanction
) -> None:
    client.force_login(officer)
    response = client.post(_url(sanction), {"reason": "", "lifted_on": "2026-01-01"})
    assert "This field is required." in response.content.decode()
    sanction.refresh_from_db()
    assert sanction.lifted_on is None


def test_a_sanction_of_another_broker_is_404(
    client: Client, officer: User, sanction: Sanction
) -> None:
    other = SanctionFactory.create(broker=BrokerFactory.create())
    client.force_login(officer)
    url = f"/customs/brokers/DL-0042/sanctions/{other.pk}/lift/"
    assert client.post(url, {"reason": "x", "lifted_on": "2026-01-01"}).status_code == 404
    other.refresh_from_db()
    assert other.lifted_on is None


def test_only_customs_officers_may_lift(
    client: Client, broker_with_clients: BrokerWithClients, sanction: Sanction
) -> None:
    client.force_login(broker_with_clients.broker_admin)
    response = client.post(_url(sanction), {"reason": "x", "lifted_on": "2026-01-01"})
    assert response.status_code == 403
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.TRADER))
    assert client.get(_url(sanction)).status_code == 403
    sanction.refresh_from_db()
    assert sanction.lifted_on is None


def test_anonymous_and_wrong_method(client: Client, officer: User, sanction: Sanction) -> None:
    assert "/accounts/login/" in client.get(_url(sanction))["Location"]
    client.force_login(officer)
    assert client.delete(_url(sanction)).status_code == 405
