from datetime import date, timedelta

import pytest
from django.utils import timezone

from contracts.models import ContractStatus, ServiceContract
from contracts.status import contract_status, contract_status_expression
from tests.factories import ServiceContractFactory

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)
END = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("changes", "on", "expected"),
    [
        ({}, date(2026, 6, 1), ContractStatus.ACTIVE),
        ({}, START, ContractStatus.ACTIVE),
        ({}, END, ContractStatus.ACTIVE),
        ({}, date(2025, 12, 31), ContractStatus.PENDING),
        ({}, date(2027, 1, 1), ContractStatus.EXPIRED),
        ({"confirmed_at": None, "confirmed_by": None}, date(2026, 6, 1), ContractStatus.PENDING),
        ({"terminated_on": date(2026, 6, 1)}, date(2026, 5, 31), ContractStatus.ACTIVE),
        ({"terminated_on": date(2026, 6, 1)}, date(2026, 6, 1), ContractStatus.TERMINATED),
        ({"terminated_on": date(2026, 6, 1)}, date(2027, 6, 1), ContractStatus.TERMINATED),
    ],
)
def test_status_derives_from_dates_and_actions(changes: dict, on: date, expected: str) -> None:
    defaults = {"valid_from": START, "valid_until": END, "signed_on": START}
    if "terminated_on" in changes:
        changes = {**changes, "termination_reason": "Hết nhu cầu", "terminated_at": timezone.now()}
    contract = ServiceContractFactory.create(**defaults, **changes)
    assert contract_status(contract=contract, on=on) == expected
    # The SQL twin gives the same answer.
    annotated = ServiceContract.objects.annotate(s=contract_status_expression(on=on)).get(
        pk=contract.pk
    )
    assert annotated.s == expected  # type: ignore[attr-defined]


def test_a_rejected_contract_stays_rejected() -> None:
    contract = ServiceContractFactory.create(
        confirmed_at=None,
        confirmed_by=None,
        rejected_at=timezone.now(),
        rejection_reason="Sai",
    )
    for on in (date.today() - timedelta(days=60), date.today(), date.today() + timedelta(days=900)):
        assert contract_status(contract=contract, on=on) == ContractStatus.REJECTED
