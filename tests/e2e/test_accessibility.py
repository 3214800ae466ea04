"""axe-core (vendored under static/vendor/axe-core) on the main pages, in both languages,
signed out and signed in for each role: any serious or critical violation fails, and every
one is printed with the page and the elements it was found on."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from accounts.models import Organization, User
from compliance.models import Flag
from compliance.scan import declarations_scan
from tests.compliance.world import World, build_world
from tests.e2e.browser import sign_in
from tests.factories import LetterOfAuthorityFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR, "static", "vendor", "axe-core", "axe.min.js")


def _pages(role: str, world: World) -> list[str]:
    letter = LetterOfAuthorityFactory.create(contract=world.contract, agent=world.agent)
    license_number = world.broker.license_number
    flag = Flag.objects.filter(declaration__trader_tax_code=world.trader.tax_code).first()
    assert flag is not None
    pages = {
        "anonymous": [
            "/",
            "/brokers/",
            f"/brokers/{license_number}/",
            f"/letters/verify/{letter.verification_code}/",
            "/letters/verify/UNKNOWN00000/",
            "/documents/verify/",
            "/accounts/login/",
            "/accounts/signup/",
        ],
        "trader": [
            "/home/",
            "/contracts/",
            f"/contracts/{world.contract.pk}/",
            f"/contracts/{world.contract.pk}/letters/new/",
            "/letters/",
            f"/letters/{letter.pk}/",
            "/declarations/mine/",
            "/flags/",
            f"/flags/{flag.pk}/",
            "/accounts/me/",
            "/accounts/2fa/",
            "/audit/",
        ],
        "broker": [
            "/home/",
            "/contracts/",
            "/contracts/upload/",
            "/contracts/clients/",
            "/letters/",
            "/flags/",
        ],
        "customs": [
            "/home/",
            "/customs/dashboard/",
            "/customs/brokers/",
            f"/customs/brokers/{license_number}/",
            "/customs/risk/",
            "/customs/trust-list/",
            "/flags/",
            f"/flags/{flag.pk}/",
            "/declarations/upload/",
            "/audit/",
        ],
    }
    return pages[role]


def _user(role: str, world: World) -> User | None:
    if role == "trader":
        return UserFactory.create(organization=world.trader, role=User.Role.ADMIN)
    if role == "broker":
        return UserFactory.create(organization=world.broker.organization, role=User.Role.ADMIN)
    if role == "customs":
        return UserFactory.create(
            organization__kind=Organization.Kind.CUSTOMS, role=User.Role.ADMIN
        )
    return None


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # The site's CSP forbids injected scripts; evaluating the file's text is not a script
        # element, so it runs.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("role", ["anonymous", "trader", "broker", "customs"])
def test_main_pages_have_no_serious_accessibility_violation(
    page: Any, live_server: Any, role: str, language: str
) -> None:
    world = build_world()
    declarations_scan()
    pages = _pages(role, world)
    user = _user(role, world)
    if user is not None:
        sign_in(page, live_server, user)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )

    found: list[str] = []
    nodes_found: list[int] = []
    for url in pages:
        response = page.goto(url)
        # The check of an unknown code is a 404 page, in the layout like any other.
        assert response is not None and response.status == (404 if "UNKNOWN" in url else 200)
        assert page.locator("html").get_attribute("lang") == language
        for violation in _serious_violations(page):
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            nodes_found.append(len(violation["nodes"]))
            found.append(
                f"{url} [{violation['impact']}] {violation['id']}: {violation['help']} "
                f"({len(violation['nodes'])} nodes: {targets})"
            )
    # The menus open, and a phone's layout (tables as cards, the menu behind its button).
    page.goto(pages[0])
    menus = ["#nav-language"] + (["#nav-account"] if user is not None else [])
    for menu in menus:
        page.locator(menu).click()
        found += [f"{pages[0]} {menu} open: {v['id']}" for v in _serious_violations(page)]
        page.keyboard.press("Escape")
    page.set_viewport_size({"width": 390, "height": 800})
    for url in pages[:3]:
        page.goto(url)
        found += [f"{url} at 390 px: {v['id']}" for v in _serious_violations(page)]
    print(f"axe: {role} {language}: {len(found)} violations, {sum(nodes_found)} nodes")
    print("\n".join(found))
    assert not found, "\n".join(found)


def test_the_skip_link_comes_first_and_focus_is_visible(page: Any) -> None:
    page.goto("/brokers/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the page, past the menu
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
