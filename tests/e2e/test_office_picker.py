"""A customs officer picks the offices a broker serves in the register's admin with the
office picker: typing without accents filters the list, the keyboard and the mouse tick
offices, a chip removes one, and the broker is saved with exactly the offices chosen."""

from typing import Any

import pytest
from django.conf import settings

from accounts.models import Organization
from brokers.models import Broker
from tests.e2e.browser import sign_in
from tests.factories import BrokerFactory, CustomsOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_filters_without_accents_picks_two_offices_and_saves(
    page: Any, live_server: Any
) -> None:
    saigon = CustomsOfficeFactory.create(
        code="02CI", name="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I"
    )
    port = CustomsOfficeFactory.create(code="03CE", name="Chi cục Hải quan cửa khẩu cảng Đình Vũ")
    zone = CustomsOfficeFactory.create(code="03EE", name="Chi cục Hải quan khu công nghiệp Đình Vũ")
    CustomsOfficeFactory.create(code="03CC", name="Chi cục Hải quan cửa khẩu cảng Hải Phòng")
    broker = BrokerFactory.create(organization__name="Công ty TNHH Giao nhận Hải Minh")
    broker.customs_offices.set([saigon])
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS, is_staff=True)
    sign_in(page, live_server, officer)

    page.goto(f"/{settings.ADMIN_URL}brokers/broker/{broker.pk}/change/")
    assert not page.locator("select[data-office-picker]").is_visible()
    filter_box = page.get_by_role("searchbox", name="Customs offices served")
    filter_box.fill("dinh vu")
    options = page.locator(".office-picker-option:visible")
    assert options.all_inner_texts() == [f"{port}", f"{zone}"]

    filter_box.press("ArrowDown")  # to the first office shown, ticked with the space bar
    page.keyboard.press("Space")
    page.locator(".office-picker-option label", has_text=str(zone)).click()  # the mouse
    page.get_by_role("button", name=f"Remove {saigon}").press("Enter")
    chips = page.locator(".office-picker-chip")
    cross = "\u00d7"  # the chip's mark, hidden from screen readers
    assert [chip.text_content() for chip in chips.all()] == [f"{port}{cross}", f"{zone}{cross}"]
    assert page.evaluate("document.activeElement.classList.contains('office-picker-chip')")

    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()
    offices = Broker.objects.get(pk=broker.pk).customs_offices.all()
    assert sorted(office.code for office in offices) == ["03CE", "03EE"]
