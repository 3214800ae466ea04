from datetime import date, timedelta

import pytest

from brokers.models import BrokerStatus, Sanction
from brokers.selectors import broker_register_entry
from brokers.status import sanction_effective_on, sanction_liftable
from tests.factories import BrokerFactory, SanctionFactory

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("ends_on", "lifted_on", "liftable"),
    [
        (None, None, True),
        (TODAY, None, True),
        (TODAY + timedelta(days=30), None, True),
        (TODAY - timedelta(days=1), None, False),
        (None, TODAY - timedelta(days=3), False),
    ],
)
def test_a_sanction_is_liftable_until_it_is_lifted_or_ended(
    ends_on: date | None, lifted_on: date | None, liftable: bool
) -> None:
    sanction = Sanction(
        kind=Sanction.Kind.SUSPENSION,
        starts_on=TODAY - timedelta(days=10),
        ends_on=ends_on,
        lifted_on=lifted_on,
    )
    assert sanction_liftable(sanction, TODAY) is liftable


def test_a_sanction_dated_in_the_past_takes_effect_today() -> None:
    assert sanction_effective_on(TODAY - timedelta(days=5), today=TODAY) == TODAY
    assert sanction_effective_on(TODAY, today=TODAY) == TODAY
    assert sanction_effective_on(TODAY + timedelta(days=5), today=TODAY) == TODAY + timedelta(
        days=5
    )


@pytest.mark.django_db
def test_the_register_entry_carries_the_status_and_each_sanction_s_answers() -> None:
    broker = BrokerFactory.create(license_number="DL-0500")
    ended = SanctionFactory.create(
        broker=broker, starts_on=TODAY - timedelta(days=60), ends_on=TODAY - timedelta(days=30)
    )
    current = SanctionFactory.create(broker=broker, starts_on=TODAY - timedelta(days=2))
    entry = broker_register_entry(license_number="DL-0500", on=TODAY)
    assert entry is not None
    assert entry.status == BrokerStatus.SUSPENDED  # type: ignore[attr-defined]
    answers = {s.pk: (s.in_force, s.liftable) for s in entry.sanctions.all()}  # type: ignore[attr-defined]
    assert answers == {ended.pk: (False, False), current.pk: (True, True)}
    assert broker_register_entry(license_number="DL-NONE", on=TODAY) is None
