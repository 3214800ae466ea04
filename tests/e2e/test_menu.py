"""The menu fits from a phone to a wide screen, in both languages, for every role: no page
scrolls sideways, the bar is one line on a desktop and the account menu is reachable."""

import re
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Organization, User
from tests.e2e.browser import sign_in
from tests.factories import BrokerFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _user(role: str) -> User:
    if role == "trader":
        organization = OrganizationFactory.create(
            kind=Organization.Kind.TRADER, name="Công ty TNHH Thương mại Dịch vụ Sao Việt Hải Phòng"
        )
    elif role == "broker":
        organization = BrokerFactory.create(
            organization__name="Công ty Cổ phần Đại lý Hải quan Cảng Hải Phòng"
        ).organization
    else:
        organization = OrganizationFactory.create(kind=Organization.Kind.CUSTOMS)
    return UserFactory.create(
        organization=organization,
        role=User.Role.ADMIN,
        email=f"nguyen.van.hai.{role}@congty-thuong-mai.example.vn",
    )


def _open(page: Any, live_server: Any, role: str, language: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, _user(role))
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page.goto("/brokers/")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 1440])
@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("role", ["trader", "broker", "customs"])
def test_the_menu_is_one_line_on_a_desktop(
    page: Any, live_server: Any, role: str, language: str, width: int
) -> None:
    _open(page, live_server, role, language, width)
    _no_sideways_scroll(page)
    menu = page.locator("#main-nav")
    assert menu.is_visible() and not page.locator(".navbar-toggler").is_visible()
    tops = {
        round(box["y"])
        for box in (item.bounding_box() for item in menu.locator(":scope > ul > li").all())
        if box is not None
    }
    assert len(tops) == 1, tops  # every top item on the same line
    for name in ("#nav-account", "#nav-language"):
        box = page.locator(name).bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
    page.locator("#nav-account").click()
    sign_out = page.get_by_role("button", name="Sign out" if language == "en" else "Đăng xuất")
    expect(sign_out).to_be_visible()


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("role", ["trader", "broker", "customs"])
def test_on_a_phone_the_menu_opens_behind_the_toggler(
    page: Any, live_server: Any, role: str, language: str
) -> None:
    _open(page, live_server, role, language, 390)
    _no_sideways_scroll(page)
    assert not page.locator("#main-nav").is_visible()
    page.locator(".navbar-toggler").click()
    # Opened once its sliding is over (Bootstrap's "collapsing" becomes "show"): a click
    # during the slide can land before the menu is where it shows.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.locator("#nav-account").click()
    sign_out = page.get_by_role("button", name="Sign out" if language == "en" else "Đăng xuất")
    expect(sign_out).to_be_visible()
    _no_sideways_scroll(page)


def test_the_menu_counts_what_waits(page: Any, live_server: Any) -> None:
    from tests.factories import ServiceContractFactory

    user = _user("trader")
    ServiceContractFactory.create(trader=user.organization, confirmed_at=None, confirmed_by=None)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, user)
    page.goto("/")
    assert page.locator("#nav-waiting").inner_text().startswith("1")
    page.locator("#nav-contracts").click()
    assert "1" in page.get_by_role("link", name="Contracts").inner_text()
