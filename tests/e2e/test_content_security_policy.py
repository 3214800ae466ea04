"""The pages run under their Content-Security-Policy without a single violation: every
script they need is a file of the site (a violation would break the page for real users)."""

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def test_the_main_pages_break_no_rule_of_the_policy(page: Any) -> None:
    broker = BrokerFactory.create()
    user = UserFactory.create(email="csp@example.test")
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    for path in ("/", "/brokers/", f"/brokers/{broker.license_number}/", "/api/docs/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/api/docs/")
    page.locator(".swagger-ui").first.wait_for()  # Swagger UI started from its script file

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("csp@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.wait_for_load_state("networkidle")
    assert violations == []
