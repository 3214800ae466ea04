from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from audit.models import AuditEntry
from brokers.models import BrokerStatus, Sanction
from brokers.status import broker_status
from tests.customs.conftest import BrokerWithClients
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/customs/brokers/DL-0042/sanction/"


def _data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "suspension",
        "reason": "Missed two quarterly reports",
        "decision_number": "123/QĐ-HQ",
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": "",
    }
    data.update(overrides)
    return data


def test_the_form_opens_on_the_action_asked_for(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    html = client.get(URL, {"kind": "revocation"}).content.decode()
    assert '<option value="revocation" selected>' in html


def test_the_first_step_shows_the_consequences_and_changes_nothing(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    html = client.post(URL, _data()).content.decode()
    assert "2 traders hold contracts in force with this broker." in html
    assert "3 letters of authority to its agents are live." in html
    assert "Confirm the suspension" in html
    assert 'name="decision_number" value="123/QĐ-HQ"' in html
    assert not Sanction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_confirming_suspends_the_broker_records_it_and_emails_the_parties(
    client: Client,
    officer: User,
    broker_with_clients: BrokerWithClients,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**_data(), "confirm": "1"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/customs/brokers/DL-0042/"
    assert "The broker is suspended." in html
    assert "123/QĐ-HQ" in html
    sanction = Sanction.objects.get()
    assert sanction.decided_by == officer
    assert broker_status(broker=broker_with_clients.broker, on=timezone.localdate()) == (
        BrokerStatus.SUSPENDED
    )
    entry = AuditEntry.objects.get(action="broker.suspend")
    assert entry.actor == officer and entry.organization == broker_with_clients.broker.organization
    assert len(mail.outbox) == 3


def test_confirming_a_revocation_revokes_the_licence(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    response = client.post(URL, {**_data(kind="revocation"), "confirm": "1"}, follow=True)
    assert "The broker&#x27;s licence is revoked." in response.content.decode()
    assert broker_status(broker=broker_with_clients.broker, on=timezone.localdate()) == (
        BrokerStatus.REVOKED
    )
    assert AuditEntry.objects.filter(action="broker.revoke").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": "  "}, "This field is required."),
        ({"decision_number": ""}, "This field is required."),
        ({"starts_on": "23/13/2026"}, "Enter a valid date."),
        (
            {"ends_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "The end date is before the start date.",
        ),
        (
            {"kind": "revocation", "ends_on": timezone.localdate().isoformat()},
            "A revocation has no end date.",
        ),
        ({"kind": "warning"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client: Client,
    officer: User,
    broker_with_clients: BrokerWithClients,
    overrides: dict[str, str],
    message: str,
) -> None:
    client.force_login(officer)
    response = client.post(URL, {**_data(**overrides), "confirm": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Sanction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_first_step_refuses_dates_the_sanction_may_not_have(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    html = client.post(URL, _data(ends_on=yesterday)).content.decode()
    assert "The end date is before the start date." in html
    assert "Confirm the suspension" not in html


def test_a_revoked_broker_cannot_be_sanctioned_again(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    client.post(URL, {**_data(kind="revocation"), "confirm": "1"})
    response = client.post(URL, {**_data(), "confirm": "1"})
    assert "This broker&#x27;s licence is already revoked." in response.content.decode()
    assert Sanction.objects.count() == 1


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_officers_may_sanction(
    client: Client, broker_with_clients: BrokerWithClients, kind: str
) -> None:
    client.force_login(UserFactory.create(organization__kind=kind, role=User.Role.ADMIN))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**_data(), "confirm": "1"}).status_code == 403
    assert not Sanction.objects.exists()


def test_anonymous_is_sent_to_sign_in(
    client: Client, broker_with_clients: BrokerWithClients
) -> None:
    response = client.post(URL, {**_data(), "confirm": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Sanction.objects.exists()


def test_an_unknown_broker_is_404(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.post("/customs/brokers/DL-NOPE/sanction/", _data()).status_code == 404


def test_the_wrong_method_is_refused(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    client.force_login(officer)
    assert client.put(URL).status_code == 405
