"""The compliance e-mails in each reader's language, with links on the site's address."""

from typing import Any

import pytest
from django.core import mail

from accounts.models import User
from compliance.emails import declarations_alert_send, scan_run_notify
from compliance.models import DeclarationAlert
from compliance.scan import declarations_scan
from tests.compliance.world import build_world
from tests.factories import DeclarationFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://dangky.example.vn"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE


def test_a_traders_admins_get_the_digest_each_in_their_language() -> None:
    world = build_world()
    UserFactory.create(
        organization=world.trader, role=User.Role.ADMIN, email="en@sv.test", language="en"
    )
    UserFactory.create(
        organization=world.trader, role=User.Role.ADMIN, email="vi@sv.test", language="vi"
    )
    run = declarations_scan()
    mail.outbox.clear()
    scan_run_notify(scan_run=run)
    english = next(m for m in mail.outbox if "en@sv.test" in m.to)
    vietnamese = next(m for m in mail.outbox if "vi@sv.test" in m.to)
    assert english.to == ["en@sv.test"]
    assert english.subject == "4 new compliance flags on declarations in your name"
    assert vietnamese.subject == "4 cảnh báo tuân thủ mới trên các tờ khai đứng tên công ty"
    for message in (english, vietnamese):
        assert f"{SITE}/declarations/mine/" in message.body
        assert world.declarations["signature_misuse"].number in message.body


def test_the_declaration_alert_is_in_each_admins_language() -> None:
    trader = OrganizationFactory.create(email="office@trader.test")
    UserFactory.create(
        organization=trader, role=User.Role.ADMIN, email="en@trader.test", language="en"
    )
    UserFactory.create(organization=trader, role=User.Role.ADMIN, email="vi@trader.test")
    DeclarationAlert.objects.create(organization=trader, email_every_declaration=True)
    declaration = DeclarationFactory.create(trader_tax_code=trader.tax_code, number="305009")
    assert declarations_alert_send(numbers=[declaration.number]) == 2
    by_reader = {tuple(message.to): message for message in mail.outbox}
    # The organisation's own address is not alerted; each admin reads their own language.
    assert set(by_reader) == {("en@trader.test",), ("vi@trader.test",)}
    assert by_reader[("en@trader.test",)].subject == (
        "Declaration 305009 was filed in your company's name"
    )
    assert by_reader[("vi@trader.test",)].subject == (
        "Tờ khai 305009 đã được khai đứng tên công ty bạn"
    )
    assert all(f"{SITE}/declarations/mine/" in message.body for message in mail.outbox)
