import unicodedata
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_switches_from_english_to_vietnamese(page: Any) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Search the broker register").is_visible()

    switch = page.locator("#language-switcher button[value=vi]")
    # Django spells the name with combining marks; compare the composed form.
    assert unicodedata.normalize("NFC", switch.inner_text()) == "Tiếng Việt"
    page.locator("#nav-language").click()
    switch.click()

    page.wait_for_selector("html[lang=vi]")
    assert page.get_by_role("link", name="Tra cứu sổ đăng ký đại lý").is_visible()
