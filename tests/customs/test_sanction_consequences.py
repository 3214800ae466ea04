from datetime import timedelta

import pytest
from django.utils import timezone

from brokers.models import Sanction
from contracts.selectors import agent_live_letters_count, broker_sanction_consequences
from contracts.status import letter_is_valid
from customs.services import agent_withdraw, sanction_impose, sanction_lift
from tests.customs.conftest import BrokerWithClients

pytestmark = pytest.mark.django_db


def test_consequences_count_contracts_traders_and_live_letters(
    broker_with_clients: BrokerWithClients, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(2):
        consequences = broker_sanction_consequences(broker_with_clients.broker)
    assert consequences.active_contracts == 2
    assert consequences.traders == 2
    assert consequences.live_letters == 3
    assert agent_live_letters_count(broker_with_clients.agent) == 2


@pytest.mark.parametrize("kind", [Sanction.Kind.SUSPENSION, Sanction.Kind.REVOCATION])
def test_letters_to_the_agents_stop_verifying_while_sanctioned(
    broker_with_clients: BrokerWithClients, kind: str
) -> None:
    today = timezone.localdate()
    letter = broker_with_clients.letters[0]
    assert letter_is_valid(letter=letter, on=today)
    sanction = sanction_impose(
        broker=broker_with_clients.broker,
        kind=kind,
        reason="Collusion with the goods owner",
        decision_number="9/QĐ-HQ",
        starts_on=today,
        by=None,
        notify=False,
    )
    letter.refresh_from_db()
    assert not letter_is_valid(letter=letter, on=today)
    assert letter_is_valid(letter=letter, on=today - timedelta(days=1))
    sanction_lift(sanction=sanction, reason="Court annulled", by=None, notify=False)
    letter = type(letter).objects.get(pk=letter.pk)
    assert letter_is_valid(letter=letter, on=today)


def test_letters_to_a_withdrawn_agent_stop_verifying(
    broker_with_clients: BrokerWithClients,
) -> None:
    today = timezone.localdate()
    agent_withdraw(agent=broker_with_clients.agent, reason="Left the firm", by=None)
    statuses = [
        letter_is_valid(letter=type(letter).objects.get(pk=letter.pk), on=today)
        for letter in broker_with_clients.letters
    ]
    # The two letters to the withdrawn agent fail; the one to the other agent still verifies.
    assert statuses == [False, False, True]
    assert broker_sanction_consequences(broker_with_clients.broker).live_letters == 1


def test_declarations_filed_during_the_suspension_are_flagged_by_the_scan(
    broker_with_clients: BrokerWithClients,
) -> None:
    from datetime import datetime

    from compliance.models import Flag, FlagKind
    from compliance.scan import declarations_scan
    from tests.factories import DeclarationFactory

    today = timezone.localdate()
    broker = broker_with_clients.broker
    trader = broker_with_clients.traders[0]
    sanction_impose(
        broker=broker,
        kind=Sanction.Kind.SUSPENSION,
        reason="Missed its reports",
        decision_number="12/QĐ-HQ",
        starts_on=today - timedelta(days=2),
        ends_on=today - timedelta(days=1),
        by=None,
        notify=False,
    )

    def filed_on(number: str, day: int) -> None:
        moment = datetime.combine(today - timedelta(days=day), datetime.min.time()).replace(
            hour=10, tzinfo=timezone.get_current_timezone()
        )
        DeclarationFactory.create(
            number=number,
            registered_at=moment,
            trader_tax_code=trader.tax_code,
            declarant_tax_code=broker.organization.tax_code,
            agent_code=broker_with_clients.agent.agent_code,
        )

    filed_on("100000000001", 3)  # before the suspension
    filed_on("100000000002", 2)  # during it
    filed_on("100000000003", 0)  # after it ended
    declarations_scan(full=True)

    suspended = Flag.objects.filter(kind=FlagKind.BROKER_SUSPENDED)
    assert list(suspended.values_list("declaration__number", flat=True)) == ["100000000002"]
    assert suspended.get().broker == broker
