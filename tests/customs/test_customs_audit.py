"""Every customs action is on the audit record, readable by customs and by the broker it is
about, and the chain it extends verifies until someone tampers with it."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from tests.audit.test_audit_chain import _tamper as tamper
from tests.customs.conftest import BrokerWithClients
from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _act_on_the_broker(client: Client, officer: User) -> None:
    client.force_login(officer)
    today = timezone.localdate().isoformat()
    client.post(
        "/customs/brokers/DL-0042/sanction/",
        {
            "kind": "suspension",
            "reason": "Missed reports",
            "decision_number": "11/QĐ-HQ",
            "starts_on": today,
            "ends_on": "",
            "confirm": "1",
        },
    )
    sanction_id = AuditEntry.objects.get(action="broker.suspend").object_id
    client.post(
        f"/customs/brokers/DL-0042/sanctions/{sanction_id}/lift/",
        {"reason": "Reports filed", "lifted_on": today},
    )
    client.post(
        "/customs/brokers/DL-0042/sanction/",
        {
            "kind": "revocation",
            "reason": "Smuggling",
            "decision_number": "12/QĐ-HQ",
            "starts_on": today,
            "confirm": "1",
        },
    )
    client.post("/customs/brokers/DL-0042/agents/NV-A1/withdraw/", {"reason": "Forged"})


def test_each_customs_action_is_recorded_with_actor_object_and_before_after(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    _act_on_the_broker(client, officer)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [entry.action for entry in entries] == [
        "broker.suspend",
        "broker.sanction_lift",
        "broker.revoke",
        "agent.withdraw",
    ]
    assert all(entry.actor == officer for entry in entries)
    assert all(entry.organization == broker_with_clients.broker.organization for entry in entries)
    suspend, lift, revoke, withdraw = entries
    assert suspend.object_type == "brokers.sanction" and suspend.before == {}
    assert suspend.after["decision_number"] == "11/QĐ-HQ"
    assert lift.before["lifted_on"] is None and lift.after["lift_reason"] == "Reports filed"
    assert revoke.after["kind"] == "revocation"
    assert withdraw.object_type == "brokers.brokeragent"
    assert withdraw.before == {"status": "active"} and withdraw.after["status"] == "withdrawn"


def test_customs_filters_the_log_by_organisation_and_object_type(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    _act_on_the_broker(client, officer)
    html = client.get(
        "/audit/", {"identifier": broker_with_clients.broker.organization.tax_code}
    ).content.decode()
    assert html.count(">Broker suspended</td>") == 1 and ">Sanction lifted</td>" in html
    assert ">Broker&#x27;s licence revoked</td>" in html
    assert ">Agent&#x27;s code withdrawn</td>" in html
    html = client.get("/audit/", {"object_type": "brokers.brokeragent"}).content.decode()
    assert ">Agent&#x27;s code withdrawn</td>" in html and ">Broker suspended</td>" not in html
    html = client.get("/audit/", {"organization": "Không có ai"}).content.decode()
    assert "No entries match." in html
    html = client.get("/audit/", {"object_type": "no.such"}).content.decode()
    assert "Select a valid choice." in html and ">Broker suspended</td>" not in html


def test_the_broker_admin_sees_the_entries_about_it_and_another_broker_does_not(
    client: Client, officer: User, broker_with_clients: BrokerWithClients
) -> None:
    _act_on_the_broker(client, officer)
    client.force_login(broker_with_clients.broker_admin)
    html = client.get("/audit/").content.decode()
    assert ">Broker suspended</td>" in html and ">Agent&#x27;s code withdrawn</td>" in html
    other = BrokerFactory.create()
    client.force_login(UserFactory.create(organization=other.organization, role=User.Role.ADMIN))
    html = client.get("/audit/").content.decode()
    assert ">Broker suspended</td>" not in html and "No entries match." in html


def test_audit_verify_passes_after_customs_actions_and_names_a_tampered_one(
    client: Client, officer: User, broker_with_clients: BrokerWithClients, capsys
) -> None:
    _act_on_the_broker(client, officer)
    call_command("audit_verify")
    assert "Audit chain intact: 4 entries." in capsys.readouterr().out
    revoke = AuditEntry.objects.get(action="broker.revoke")
    # An insider rewrites the revocation's decision number behind the application's back.
    tamper(
        "UPDATE audit_auditentry SET after = %s WHERE id = %s",
        ['{"kind": "revocation", "decision_number": "forged"}', revoke.id],
    )
    with pytest.raises(CommandError, match=f"entry #{revoke.id}: its content was changed"):
        call_command("audit_verify")
