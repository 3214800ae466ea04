import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from audit.models import AuditEntry
from brokers.models import BrokerAgent
from contracts.status import letter_is_valid
from tests.customs.conftest import BrokerWithClients
from tests.factories import BrokerAgentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/customs/brokers/DL-0042/agents/NV-A1/withdraw/"


def test_the_form_shows_how_many_letters_stop_verifying(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Agent One" in html
    assert "2 live letters of authority to this agent will stop verifying as valid." in html


def test_withdrawing_the_code_stops_its_letters_verifying_and_is_recorded(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    response = client.post(URL, {"reason": "Certificate forged"}, follow=True)
    html = response.content.decode()
    assert "The agent&#x27;s code is withdrawn." in html
    assert "Certificate forged" in html
    agent = BrokerAgent.objects.get(agent_code="NV-A1")
    assert agent.status == BrokerAgent.Status.WITHDRAWN
    letter = type(broker_with_clients.letters[0]).objects.get(pk=broker_with_clients.letters[0].pk)
    assert not letter_is_valid(letter=letter, on=timezone.localdate())
    entry = AuditEntry.objects.get(action="agent.withdraw")
    assert entry.actor == officer and entry.after["reason"] == "Certificate forged"


def test_a_withdrawal_needs_a_reason(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    response = client.post(URL, {"reason": " "})
    assert "This field is required." in response.content.decode()
    assert BrokerAgent.objects.get(agent_code="NV-A1").status == BrokerAgent.Status.ACTIVE


def test_withdrawing_twice_is_refused(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    client.post(URL, {"reason": "Left"})
    response = client.post(URL, {"reason": "Left again"})
    assert "This agent&#x27;s code has already been withdrawn." in response.content.decode()
    assert AuditEntry.objects.filter(action="agent.withdraw").count() == 1


def test_an_agent_of_another_broker_is_404(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    BrokerAgentFactory.create(agent_code="NV-OTHER")
    client.force_login(officer)
    response = client.post("/customs/brokers/DL-0042/agents/NV-OTHER/withdraw/", {"reason": "x"})
    assert response.status_code == 404
    assert BrokerAgent.objects.get(agent_code="NV-OTHER").status == BrokerAgent.Status.ACTIVE


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_officers_may_withdraw(
    client: Client, broker_with_clients: BrokerWithClients, kind: str
) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    assert client.post(URL, {"reason": "x"}).status_code == 403
    assert BrokerAgent.objects.get(agent_code="NV-A1").status == BrokerAgent.Status.ACTIVE


def test_anonymous_and_wrong_method(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    assert "/accounts/login/" in client.post(URL, {"reason": "x"})["Location"]
    client.force_login(officer)
    assert client.put(URL).status_code == 405
