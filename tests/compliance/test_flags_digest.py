import pytest
from django.core import mail

from accounts.models import User
from compliance.emails import scan_run_notify
from compliance.scan import declarations_scan
from tests.compliance.world import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_trader_admin_gets_one_digest_per_run_with_its_new_flags() -> None:
    world = build_world()
    UserFactory.create(
        organization=world.trader, role=User.Role.ADMIN, email="boss@sv.test", language="en"
    )
    UserFactory.create(organization=world.trader, role=User.Role.STAFF, email="clerk@sv.test")
    run = declarations_scan()
    mail.outbox.clear()
    sent = scan_run_notify(scan_run=run)
    by_recipient = {address: m for m in mail.outbox for address in m.to}
    digest = by_recipient["boss@sv.test"]
    assert "clerk@sv.test" not in by_recipient
    assert digest.subject == "4 new compliance flags on declarations in your name"
    assert world.declarations["signature_misuse"].number in digest.body
    assert world.declarations["no_contract"].number not in digest.body
    assert "/declarations/mine/" in digest.body
    # One digest per trader with admins (the world's three traders each have some).
    assert sent == len(mail.outbox) == len({tuple(m.to) for m in mail.outbox})


def test_a_run_that_found_nothing_new_sends_nothing() -> None:
    build_world()
    declarations_scan()
    mail.outbox.clear()
    assert scan_run_notify(scan_run=declarations_scan()) == 0
    assert mail.outbox == []
