"""The register in Chromium: typing without diacritics narrows the list in place (htmx),
the URL follows, and a suspended broker's page shows the sanction."""

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organization
from accounts.provinces import Province
from tests.factories import BrokerFactory, OrganizationFactory, SanctionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _broker(name: str, license_number: str) -> Any:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.BROKER, name=name, province=Province.HAI_PHONG
    )
    return BrokerFactory.create(organization=organization, license_number=license_number)


def test_search_without_diacritics_then_open_a_suspended_broker(page: Any) -> None:
    suspended = _broker("Công ty TNHH Đại lý Hải Phòng Xanh", "HP-00001")
    SanctionFactory.create(
        broker=suspended,
        reason="Không nộp báo cáo định kỳ",
        decision_number="321/QĐ-HQ",
        starts_on=timezone.localdate() - timedelta(days=3),
    )
    _broker("Công ty Cổ phần Giao nhận Hà Nội", "HN-00001")

    page.goto("/brokers/")
    assert page.locator("#register-results tbody tr").count() == 2
    # Mark the document: a full page load would lose it, an htmx swap keeps it.
    page.evaluate("window.__noReload = true")

    page.fill("#id_q", "dai ly hai phong")

    results = page.locator("#register-results tbody tr")
    results.first.wait_for()
    expect(results).to_have_count(1)
    assert "Công ty TNHH Đại lý Hải Phòng Xanh" in results.first.inner_text()
    assert page.evaluate("window.__noReload") is True
    # The address bar follows the search, so that it can be bookmarked and reloaded.
    assert parse_qs(urlparse(page.url).query)["q"] == ["dai ly hai phong"]
    page.reload()
    assert page.locator("#register-results tbody tr").count() == 1

    page.get_by_role("link", name="Công ty TNHH Đại lý Hải Phòng Xanh").click()

    page.wait_for_url("**/brokers/HP-00001/")
    alert = page.locator("#sanction-alert")
    assert "This broker's licence is suspended." in alert.inner_text()
    assert "321/QĐ-HQ" in alert.inner_text()
    assert "Không nộp báo cáo định kỳ" in alert.inner_text()
    assert page.locator("[data-status=suspended]").first.is_visible()


def test_the_register_works_with_javascript_off(browser: Any, live_server: Any) -> None:
    _broker("Công ty TNHH Đại lý Hải Phòng Xanh", "HP-00001")
    _broker("Công ty Cổ phần Giao nhận Hà Nội", "HN-00001")
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/brokers/")
        page.fill("#id_q", "giao nhan")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/brokers/?q=giao+nhan*")

        rows = page.locator("#register-results tbody tr")
        assert rows.count() == 1
        assert "Công ty Cổ phần Giao nhận Hà Nội" in rows.first.inner_text()
    finally:
        context.close()


def test_the_search_box_keeps_its_text_after_back(page: Any) -> None:
    _broker("Công ty TNHH Đại lý Hải Phòng Xanh", "HP-00001")
    _broker("Công ty Cổ phần Giao nhận Hà Nội", "HN-00001")
    page.goto("/brokers/")
    page.fill("#id_q", "hai phong xanh")
    page.wait_for_url("**/brokers/?q=hai%20phong%20xanh*")
    expect(page.get_by_role("link", name="Công ty Cổ phần Giao nhận Hà Nội")).to_have_count(0)

    page.get_by_role("link", name="Công ty TNHH Đại lý Hải Phòng Xanh").first.click()
    page.wait_for_url("**/brokers/HP-00001/")
    page.go_back()

    expect(page.locator("#id_q")).to_have_value("hai phong xanh")
    expect(page.get_by_role("link", name="Công ty Cổ phần Giao nhận Hà Nội")).to_have_count(0)
