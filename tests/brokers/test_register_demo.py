"""seed_demo fills a realistic register: ~1,000 brokers, ~3,000 agents, sanctions on record."""

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from brokers.models import Broker, BrokerAgent, Sanction
from brokers.selectors import broker_search

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_register() -> None:
    call_command("seed_demo", stdout=None)

    assert 1000 <= Broker.objects.count() <= 1100
    assert 2500 <= BrokerAgent.objects.count() <= 3500
    assert Broker.objects.values("organization__province").distinct().count() >= 20
    statuses = {broker.status for broker in broker_search()}  # type: ignore[attr-defined]
    assert {"active", "suspended", "revoked", "expired"} <= statuses
    sanctions = Sanction.objects.all()
    assert 30 <= sanctions.count() <= 60
    assert all(s.reason and s.decision_number and s.decided_by_id for s in sanctions)
    assert (
        AuditEntry.objects.filter(action="broker.revoke").count()
        == sanctions.filter(kind="revocation").count()
    )
    # The names carry diacritics and are found without them.
    assert broker_search(q="hai phong").filter(organization__name__contains="Hải Phòng").exists()
    assert Broker.objects.get(license_number="DL-2020-00001").agents.count() == 3
