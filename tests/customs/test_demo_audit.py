"""The demo data set is built through the services, so its audit chain is complete."""

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from brokers.models import BrokerAgent, Sanction

pytestmark = pytest.mark.django_db


def test_the_demo_chain_verifies_and_records_every_sanction_and_withdrawal(capsys) -> None:
    call_command("seed_demo")
    call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out
    recorded = set(
        AuditEntry.objects.filter(
            action__in=["broker.suspend", "broker.revoke"], object_type="brokers.sanction"
        ).values_list("object_id", flat=True)
    )
    assert {str(pk) for pk in Sanction.objects.values_list("pk", flat=True)} <= recorded
    lifted = set(
        AuditEntry.objects.filter(action="broker.sanction_lift").values_list("object_id", flat=True)
    )
    assert {
        str(pk)
        for pk in Sanction.objects.filter(lifted_on__isnull=False).values_list("pk", flat=True)
    } <= lifted
    withdrawn = set(
        AuditEntry.objects.filter(action="agent.withdraw").values_list("object_id", flat=True)
    )
    assert {
        str(pk)
        for pk in BrokerAgent.objects.filter(status=BrokerAgent.Status.WITHDRAWN).values_list(
            "pk", flat=True
        )
    } <= withdrawn
