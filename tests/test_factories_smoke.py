from datetime import date, timedelta

import pytest

from brokers.models import BrokerStatus
from brokers.status import broker_status
from contracts.models import ContractStatus
from contracts.status import contract_status, letter_is_valid
from tests.factories import LetterOfAuthorityFactory, SanctionFactory

pytestmark = pytest.mark.django_db


def test_a_fresh_letter_is_valid_until_its_broker_is_suspended() -> None:
    letter = LetterOfAuthorityFactory.create()
    today = date.today()
    assert contract_status(contract=letter.contract, on=today) == ContractStatus.ACTIVE
    assert letter_is_valid(letter=letter, on=today)
    SanctionFactory.create(broker=letter.contract.broker, starts_on=today - timedelta(days=1))
    broker = letter.contract.broker
    assert broker_status(broker=broker, on=today) == BrokerStatus.SUSPENDED
    assert not letter_is_valid(letter=letter, on=today)
