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


def test_the_demo_contracts_and_letters_have_their_history_on_the_record() -> None:
    from contracts.models import LetterOfAuthority, ServiceContract

    call_command("seed_demo")

    def recorded(action: str) -> set[str]:
        return set(AuditEntry.objects.filter(action=action).values_list("object_id", flat=True))

    def ids(queryset) -> set[str]:  # type: ignore[no-untyped-def]
        return {str(pk) for pk in queryset.values_list("pk", flat=True)}

    assert ids(ServiceContract.objects.all()) <= recorded("contract.upload")
    confirmed = ServiceContract.objects.filter(confirmed_at__isnull=False)
    assert ids(confirmed) <= recorded("contract.confirm")
    terminated = ServiceContract.objects.filter(terminated_at__isnull=False)
    assert terminated.exists() and ids(terminated) <= recorded("contract.terminate")
    assert ids(LetterOfAuthority.objects.all()) <= recorded("letter.issue")
    revoked = LetterOfAuthority.objects.filter(status=LetterOfAuthority.Status.REVOKED)
    assert revoked.exists() and ids(revoked) <= recorded("letter.revoke")
    call_command("seed_demo")
    assert AuditEntry.objects.filter(action="contract.upload").count() == (
        ServiceContract.objects.count()
    ), "a second run records nothing twice"
