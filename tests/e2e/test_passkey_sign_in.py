"""Passkeys in a real Chromium: its virtual authenticator (Chrome DevTools Protocol,
``WebAuthn.addVirtualAuthenticator``) stands in for the phone, computer or security key,
and django-otp-webauthn's own script talks to it as it would to a real one."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import LoginEvent, User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture(params=["internal"])
def passkey_page(
    request: pytest.FixtureRequest, page: Any, live_server: Any, settings: Any
) -> Iterator[Any]:
    """The page fixture's tab with an authenticator (user verification on) that keeps
    discoverable credentials: built into the computer ("internal") unless a test asks for a
    security key ("usb"); the site's passkeys bound to the live server."""
    assert live_server.url.startswith("http://localhost:")  # a secure context, unlike an IP
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    authenticator = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": request.param,
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.authenticator = (session, authenticator["authenticatorId"])
    yield page
    session.send("WebAuthn.disable")


def wait_for_path(page: Any, path: str) -> None:
    """Wait until the tab shows ``path`` (a glob would also match it in a ``next=``)."""
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def sign_in_with_password(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def sign_out(page: Any) -> None:
    page.locator("#nav-account").click()
    page.get_by_role("navigation").get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").wait_for()


def add_passkey(page: Any, name: str) -> None:
    page.goto("/accounts/2fa/")
    page.get_by_label("Name of the passkey").fill(name)
    page.get_by_role("button", name="Add a passkey").click()


@pytest.mark.parametrize("passkey_page", ["internal", "usb"], indirect=True)
def test_a_passkey_is_registered_then_signs_in_without_the_password(passkey_page: Any) -> None:
    page = passkey_page
    user = UserFactory.create(email="mai@trader.test")
    sign_in_with_password(page, user.email)
    wait_for_path(page, "/home/")  # every sign-in lands on the role's home page

    add_passkey(page, "Work laptop")
    # The first second factor comes with backup codes, shown once.
    page.get_by_role("heading", name="Your backup codes").wait_for()
    assert page.locator("#backup-codes li").count() == 10
    # Copy puts the ten codes on the clipboard, one a line.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("The codes are copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()").split()
    assert copied == [code.strip() for code in page.locator("#backup-codes li").all_inner_texts()]
    page.get_by_role("link", name="Done").click()
    passkeys = page.locator("#passkeys")
    assert "Work laptop" in passkeys.inner_text() and "never" in passkeys.inner_text()
    credential = WebAuthnCredential.objects.get(user=user)
    assert (credential.name, credential.discoverable) == ("Work laptop", True)
    session, authenticator_id = page.authenticator
    stored = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(stored["credentials"]) == 1 and stored["credentials"][0]["isResidentCredential"]

    sign_out(page)
    page.goto("/accounts/login/?next=/accounts/me/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    wait_for_path(page, "/accounts/me/")
    assert page.get_by_role("heading", name="My account").is_visible()
    credential.refresh_from_db()
    assert credential.last_used_at is not None
    kinds = list(LoginEvent.objects.filter(user=user).order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == [LoginEvent.Kind.SIGN_IN, LoginEvent.Kind.PASSKEY_SUCCESS]


def test_under_the_passkey_policy_a_totp_code_is_not_enough(passkey_page: Any) -> None:
    page = passkey_page
    organization = OrganizationFactory.create(require_phishing_resistant=True)
    user: User = UserFactory.create(email="hai@trader.test", organization=organization)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)

    # Next sign-in: the code proves who it is only as far as registering a passkey.
    sign_in_with_password(page, user.email)
    wait_for_path(page, "/accounts/2fa/verify/")
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Verify").click()
    wait_for_path(page, "/accounts/2fa/")
    assert page.locator("#passkey-required").is_visible()
    page.goto("/accounts/me/")
    wait_for_path(page, "/accounts/2fa/")
    add_passkey(page, "Phone passkey")
    page.get_by_text("Your passkey is saved.").wait_for()
    page.goto("/accounts/me/")
    assert page.get_by_role("heading", name="My account").is_visible()

    sign_out(page)
    sign_in_with_password(page, user.email)
    wait_for_path(page, "/accounts/2fa/verify/")
    assert page.get_by_role("heading", name="Use your passkey").is_visible()
    assert page.get_by_label("Code").count() == 0
    # A code sent anyway (as a phishing site relaying it would) lets nobody through.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        "/accounts/2fa/verify/",
        form={"token": f"{totp(device.bin_key):06d}", "csrfmiddlewaretoken": csrf},
        headers={"Referer": page.url},
    )
    assert "accepts only a passkey" in refused.text()
    page.goto("/accounts/me/")
    wait_for_path(page, "/accounts/2fa/verify/")

    page.get_by_role("button", name="Verify with a passkey").click()
    wait_for_path(page, "/accounts/me/")
    assert page.get_by_role("heading", name="My account").is_visible()
    assert LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.PASSKEY_SUCCESS).exists()
