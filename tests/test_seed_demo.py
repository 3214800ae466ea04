import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import Organization, User
from demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "brokers", "contracts", "compliance"}
    }


def test_seed_demo_creates_the_demo_organisations_and_prints_the_logins(capsys) -> None:
    call_command("seed_demo")
    output = capsys.readouterr().out
    for kind in Organization.Kind.values:
        assert Organization.objects.filter(kind=kind).exists()
    for email in ("customs@demo.test", "trader@demo.test", "broker@demo.test"):
        user = User.objects.get(email=email)
        assert user.role == User.Role.ADMIN
        assert user.check_password(DEMO_PASSWORD)
        assert email in output
    assert DEMO_PASSWORD in output


def test_seed_demo_twice_creates_nothing_twice() -> None:
    call_command("seed_demo")
    first = _row_counts()
    call_command("seed_demo")
    assert _row_counts() == first
