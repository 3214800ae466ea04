from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from brokers.models import BrokerAgent, BrokerStatus, Sanction
from brokers.status import broker_status
from customs.services import agent_withdraw, sanction_impose, sanction_lift
from tests.factories import BrokerAgentFactory, BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def test_suspension_changes_status_for_its_dates_and_is_audited() -> None:
    broker = BrokerFactory.create(
        issued_on=TODAY - timedelta(days=400), valid_until=TODAY + timedelta(days=400)
    )
    officer = UserFactory.create()
    sanction = sanction_impose(
        broker=broker,
        kind=Sanction.Kind.SUSPENSION,
        reason="Missed quarterly reports",
        decision_number="123/QĐ-HQ",
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=30),
        by=officer,
    )
    assert broker_status(broker=broker, on=TODAY - timedelta(days=1)) == BrokerStatus.ACTIVE
    assert broker_status(broker=broker, on=TODAY) == BrokerStatus.SUSPENDED
    assert broker_status(broker=broker, on=TODAY + timedelta(days=31)) == BrokerStatus.ACTIVE
    entry = AuditEntry.objects.get(object_id=str(sanction.pk), action="broker.suspend")
    assert entry.actor == officer
    assert entry.after["decision_number"] == "123/QĐ-HQ"


def test_lifting_ends_the_suspension_and_keeps_the_history() -> None:
    broker = BrokerFactory.create(
        issued_on=TODAY - timedelta(days=400), valid_until=TODAY + timedelta(days=400)
    )
    sanction = sanction_impose(
        broker=broker,
        kind=Sanction.Kind.SUSPENSION,
        reason="r",
        decision_number="1",
        starts_on=TODAY - timedelta(days=5),
        by=None,
    )
    sanction_lift(sanction=sanction, reason="Reports filed", by=None, lifted_on=TODAY)
    assert broker_status(broker=broker, on=TODAY) == BrokerStatus.ACTIVE
    assert broker_status(broker=broker, on=TODAY - timedelta(days=1)) == BrokerStatus.SUSPENDED
    assert Sanction.objects.filter(broker=broker).count() == 1
    with pytest.raises(ValidationError):
        sanction_lift(sanction=sanction, reason="again", by=None)


def test_bad_sanctions_are_refused_and_nothing_is_stored() -> None:
    broker = BrokerFactory.create()
    with pytest.raises(ValidationError):
        sanction_impose(
            broker=broker,
            kind=Sanction.Kind.SUSPENSION,
            reason="",
            decision_number="1",
            starts_on=TODAY,
            by=None,
        )
    with pytest.raises(ValidationError):
        sanction_impose(
            broker=broker,
            kind=Sanction.Kind.REVOCATION,
            reason="fraud",
            decision_number="2",
            starts_on=TODAY,
            ends_on=TODAY + timedelta(days=3),
            by=None,
        )
    assert not Sanction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_agent_withdrawal_is_stored_once_and_audited() -> None:
    agent = BrokerAgentFactory.create()
    agent_withdraw(agent=agent, reason="Left the firm", by=None, on=TODAY)
    agent.refresh_from_db()
    assert agent.status == BrokerAgent.Status.WITHDRAWN
    assert not agent.is_valid_on(TODAY)
    assert AuditEntry.objects.filter(action="agent.withdraw", object_id=str(agent.pk)).count() == 1
    with pytest.raises(ValidationError):
        agent_withdraw(agent=agent, reason="again", by=None)
