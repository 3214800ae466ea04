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
