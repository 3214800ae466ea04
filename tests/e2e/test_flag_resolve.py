from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Organization
from compliance.models import Flag, FlagStatus
from compliance.scan import declarations_scan
from tests.compliance.world import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_customs_resolves_a_flag_from_the_queue(page: Any, live_server: Any) -> None:
    world = build_world()
    declarations_scan()
    officer = UserFactory.create(
        organization__kind=Organization.Kind.CUSTOMS, full_name="Nguyễn Văn Hải"
    )
    sign_in(page, live_server, officer)

    page.goto("/flags/?kind=no_contract")
    number = world.declarations["no_contract"].number
    row = page.locator("tr", has_text=number)
    row.get_by_role("link", name="no contract").click()

    page.wait_for_selector("text=No contract on file.")
    page.select_option("#decision-action", "resolved")
    page.fill("#decision-note", "Hợp đồng số 12/2026 đã được bổ sung")
    page.get_by_role("button", name="Save decision").click()

    page.wait_for_selector("text=The flag is now resolved.")
    assert page.locator("#flag-status").inner_text() == "resolved"
    assert "Hợp đồng số 12/2026 đã được bổ sung" in page.locator("#flag-history").inner_text()
    assert "Nguyễn Văn Hải" in page.locator("#flag-history").inner_text()
    flag = Flag.objects.get(kind="no_contract")
    assert flag.status == FlagStatus.RESOLVED and flag.resolved_by == officer
