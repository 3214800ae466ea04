from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from brokers.models import BrokerAgent, Sanction
from tests.factories import BrokerAgentFactory, BrokerFactory, SanctionFactory

pytestmark = pytest.mark.django_db

IMPOSE = "/customs/brokers/DL-0777/sanction/"


def _lift(sanction: Sanction) -> str:
    return f"/customs/brokers/DL-0777/sanctions/{sanction.pk}/lift/"


def test_only_sanctions_still_in_the_way_may_be_lifted(client: Client, officer: User) -> None:
    today = timezone.localdate()
    broker = BrokerFactory.create(license_number="DL-0777")
    current = SanctionFactory.create(broker=broker, starts_on=today - timedelta(days=3))
    ended = SanctionFactory.create(
        broker=broker, starts_on=today - timedelta(days=90), ends_on=today - timedelta(days=60)
    )
    lifted = SanctionFactory.create(
        broker=broker,
        starts_on=today - timedelta(days=50),
        lifted_on=today - timedelta(days=40),
        lift_reason="Đã khắc phục",
    )
    client.force_login(officer)
    html = client.get("/customs/brokers/DL-0777/").content.decode()
    assert _lift(current) in html
    assert _lift(ended) not in html and _lift(lifted) not in html
    assert html.count("in force</span>") == 1
    assert IMPOSE in html


def test_a_revoked_broker_offers_reinstatement_and_no_new_sanction(
    client: Client, officer: User
) -> None:
    broker = BrokerFactory.create(license_number="DL-0777")
    revocation = SanctionFactory.create(
        broker=broker, kind=Sanction.Kind.REVOCATION, starts_on=timezone.localdate()
    )
    client.force_login(officer)
    html = client.get("/customs/brokers/DL-0777/").content.decode()
    assert IMPOSE not in html
    assert _lift(revocation) in html and "Reinstate" in html


def test_a_withdrawn_agent_offers_no_withdrawal(client: Client, officer: User) -> None:
    broker = BrokerFactory.create(license_number="DL-0777")
    BrokerAgentFactory.create(broker=broker, agent_code="NV-ON")
    BrokerAgentFactory.create(
        broker=broker,
        agent_code="NV-OFF",
        status=BrokerAgent.Status.WITHDRAWN,
        withdrawn_on=timezone.localdate(),
    )
    client.force_login(officer)
    html = client.get("/customs/brokers/DL-0777/").content.decode()
    assert "/agents/NV-ON/withdraw/" in html
    assert "NV-OFF" in html and "/agents/NV-OFF/withdraw/" not in html
