import pytest
from django.core.management import call_command

from compliance.models import Declaration, Flag, FlagKind

pytestmark = pytest.mark.django_db


def test_the_demo_shows_flags_of_every_kind_on_the_demo_trader_and_broker() -> None:
    call_command("seed_demo")
    assert Declaration.objects.filter(number__startswith="309").count() == 20_000
    kinds = set(Flag.objects.values_list("kind", flat=True))
    assert kinds == set(FlagKind.values)
    assert Flag.objects.filter(trader__tax_code="0301234562").exists()
    assert Flag.objects.filter(broker__organization__tax_code="0201234569").exists()
    # A realistic share: most declarations are clean.
    assert Flag.objects.count() < 0.15 * 20_000
