from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from contracts.models import LetterOfAuthority, ServiceContract
from contracts.status import contract_status_expression

pytestmark = pytest.mark.django_db


def test_the_seed_gives_the_demo_trader_and_broker_contracts_of_every_status() -> None:
    call_command("seed_demo")
    today = timezone.localdate()
    contracts = ServiceContract.objects.annotate(status=contract_status_expression(on=today))
    assert contracts.count() >= 300
    for field in ("trader__tax_code", "broker__organization__tax_code"):
        code = "0301234562" if field == "trader__tax_code" else "0201234569"
        statuses = Counter(contracts.filter(**{field: code}).values_list("status", flat=True))
        assert {"pending", "active", "expired", "terminated"} <= set(statuses)
    expiring = contracts.filter(status="active", valid_until__lte=today + timedelta(days=30))
    assert expiring.filter(trader__tax_code="0301234562").exists()
    letters = LetterOfAuthority.objects.filter(contract__trader__tax_code="0301234562")
    assert set(letters.values_list("status", flat=True)) == {"issued", "revoked"}
    assert LetterOfAuthority.objects.filter(
        contract__broker__organization__tax_code="0201234569"
    ).exists()
