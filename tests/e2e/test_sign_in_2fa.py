from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def test_a_customs_officer_signs_in_with_password_then_a_totp_code(page: Any) -> None:
    officer = UserFactory.create(
        email="officer@customs.test", organization=OrganizationFactory.create(customs=True)
    )
    device = TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("officer@customs.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()

    page.wait_for_url("**/accounts/2fa/verify/**")
    assert page.get_by_role("heading", name="Enter your code").is_visible()
    page.goto("/accounts/me/")
    page.wait_for_url("**/accounts/2fa/verify/**")  # nothing else before the code

    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/accounts/me/")
    assert page.get_by_role("heading", name="My account").is_visible()
    assert list(
        LoginEvent.objects.filter(user=officer).order_by("id").values_list("kind", flat=True)
    ) == [LoginEvent.Kind.SIGN_IN, LoginEvent.Kind.OTP_SUCCESS]


def test_during_a_back_off_the_page_says_how_long_to_wait_not_that_the_code_is_wrong(
    page: Any,
) -> None:
    from accounts.services.two_factor import otp_failure_note

    user = UserFactory.create(email="trader@backoff.test")
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    # Wrong codes from this browser's address (the live server sees 127.0.0.1) before.
    for _attempt in range(6):
        otp_failure_note(user=user, ip_address="127.0.0.1")

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("trader@backoff.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url("**/accounts/2fa/verify/**")
    assert "trader@backoff.test" not in page.locator("nav").inner_text()  # not signed in yet

    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")  # the right code
    page.get_by_role("button", name="Verify").click()
    message = page.locator(".invalid-feedback, .errorlist").first.inner_text()
    assert "Too many wrong codes from here. Wait" in message and "seconds" in message
    assert "not right" not in page.content()
    assert not LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.OTP_SUCCESS).exists()
