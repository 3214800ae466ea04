"""The audit log on a phone: its entries are cards, and the page does not scroll sideways."""

from typing import Any

import pytest

from accounts.models import Organization, User
from audit.models import AuditAction
from audit.services import audit_record
from tests.e2e.browser import sign_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_on_a_phone_the_entries_are_cards_without_sideways_scrolling(
    page: Any, live_server: Any
) -> None:
    trader = OrganizationFactory.create(
        kind=Organization.Kind.TRADER, name="Công ty TNHH Thương mại Dịch vụ Sao Việt Hải Phòng"
    )
    admin = UserFactory.create(
        organization=trader,
        role=User.Role.ADMIN,
        email="nguyen.van.hai.quan.tri@congty-thuong-mai-sao-viet.example.vn",
    )
    audit_record(
        action=AuditAction.ORGANIZATION_SECURITY_POLICY,
        obj=trader,
        actor=admin,
        organization=trader,
        before={"require_two_factor": False, "password_max_age_days": 90},
        after={"require_two_factor": True, "password_max_age_days": 30},
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, admin)
    page.goto("/audit/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row = page.locator("main table tbody tr").first
    assert row.evaluate("element => getComputedStyle(element).display") == "block"
    heading = page.locator("main table thead").bounding_box()
    assert heading is not None and heading["width"] <= 1  # read from each cell's label
    # Time, action and object each read on the card, within the screen's width.
    for label, text in (
        ("Time", "/"),
        ("Action", "Security policy changed"),
        ("Object", "Sao Việt Hải Phòng"),
    ):
        cell = row.locator(f'td[data-label="{label}"]')
        assert text in cell.inner_text()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
