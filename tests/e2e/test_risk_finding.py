from typing import Any

import pytest

from accounts.models import Organization
from compliance.models import Flag, FlagKind
from risk.refresh import risk_refresh
from tests.e2e.test_flag_resolve import sign_in
from tests.factories import UserFactory
from tests.risk.patterns import build_patterns

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_takes_a_lent_certificate_from_the_ranking_to_the_work_queue(
    page: Any, live_server: Any
) -> None:
    patterns = build_patterns()
    risk_refresh()
    sign_in(page, live_server, UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))

    page.goto("/")
    page.locator("#nav-customs").click()
    page.get_by_role("link", name="Risk analysis").click()
    first = page.locator("#ranked tbody tr").first
    assert "Công ty Cho Mượn" in first.inner_text()
    first.get_by_role("link", name=patterns.lent_serial).click()

    assert page.locator("#score").inner_text() == "100"
    page.fill("#id_note", "Xác minh người khai 1099900009")
    page.get_by_role("button", name="Open a flag from this finding").click()

    page.wait_for_selector("text=The finding is in the flags work queue.")
    flag = Flag.objects.get(kind=FlagKind.RISK_PATTERN)
    assert page.url.endswith(f"/flags/{flag.pk}/")
    assert "Xác minh người khai 1099900009" in page.content()
    page.goto("/flags/?kind=risk_pattern")
    assert page.locator(f'a[href="/flags/{flag.pk}/"]').count() >= 1
