"""The phishing-resistant policy: under it only a passkey passes the second step; users
without one are walked to register one; the last passkey stays; the admin sees who has
which factors."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import LoginEvent, Organization, User
from accounts.security import (
    SET_UP,
    VERIFY,
    passkey_required,
    second_factor_satisfied,
    second_factor_step,
)
from accounts.services.two_factor import backup_codes_regenerate
from audit.models import AuditEntry
from tests.accounts.passkey_authenticator import (
    SoftPasskey,
    passkey_authenticate,
    passkey_register,
    post_json,
    verified_with,
    with_passkey,
)
from tests.accounts.test_sign_in import PASSWORD, sign_in
from tests.accounts.test_two_factor import code_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("passkey_relying_party")]


@pytest.fixture
def policy() -> Organization:
    return OrganizationFactory.create(require_phishing_resistant=True)


def session_user(user: User, device: Any) -> User:
    """The user as django-otp's middleware leaves it on a request verified by ``device``."""
    user.otp_device = device  # type: ignore[attr-defined]
    user.is_verified = lambda: device is not None  # type: ignore[attr-defined]
    return user


def test_passkey_policy_decides_what_a_verified_session_still_owes(policy: Organization) -> None:
    user = UserFactory.create(organization=policy)
    totp = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    assert passkey_required(user) and policy.requires_2fa
    # Verified by a code, no passkey yet: register one.
    assert second_factor_step(session_user(user, totp)) == SET_UP
    assert not second_factor_satisfied(session_user(user, totp))
    passkey = WebAuthnCredential.objects.create(
        user=user, credential_id=b"1", public_key=b"k", credential_id_sha256="1" * 64
    )
    # Verified by a code with a passkey at hand: use the passkey.
    assert second_factor_step(session_user(user, totp)) == VERIFY
    assert second_factor_step(session_user(user, None)) == VERIFY
    assert second_factor_step(session_user(user, passkey)) is None
    assert second_factor_satisfied(session_user(user, passkey))

    policy.require_phishing_resistant = False
    policy.save()
    user = User.objects.get(pk=user.pk)
    assert second_factor_step(session_user(user, totp)) is None


def test_under_the_passkey_policy_a_totp_code_does_not_pass_when_the_user_has_a_passkey(
    client: Client, policy: Organization
) -> None:
    user = UserFactory.create(organization=policy)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    codes = backup_codes_regenerate(user=user)
    with_passkey(user)
    sign_in(client, user.email)
    page = client.get(reverse("accounts:otp_verify")).content.decode()
    assert "Verify with a passkey" in page and 'name="token"' not in page
    assert "a code from an app or a backup code is not enough" in page

    for token in (code_for(device), codes[0]):
        response = client.post(reverse("accounts:otp_verify"), {"token": token}, follow=True)
        assert "Your organisation accepts only a passkey" in response.content.decode()
        overview = client.get(reverse("accounts:overview"))
        assert overview["Location"].startswith(reverse("accounts:otp_verify"))
    assert StaticToken.objects.filter(device__user=user).count() == 10  # none used up
    assert not LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.OTP_SUCCESS).exists()


def test_a_session_verified_by_a_code_is_sent_back_for_the_passkey_once_the_policy_is_on(
    client: Client,
) -> None:
    organization = OrganizationFactory.create()
    user = UserFactory.create(organization=organization)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    passkey = with_passkey(user)
    sign_in(client, user.email)
    client.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
    assert client.get(reverse("accounts:overview")).status_code == 200

    Organization.objects.filter(pk=organization.pk).update(require_phishing_resistant=True)
    assert client.get(reverse("accounts:overview"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
    # Nor can that session add a passkey of its own choosing.
    response = passkey_register(client, SoftPasskey())
    assert response.status_code == 403 and response.json()["code"] == "passkey_needed"
    assert WebAuthnCredential.objects.filter(user=user).count() == 1

    assert passkey_authenticate(client, passkey).status_code == 200
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_the_passkey_policy_walks_a_user_with_only_an_authenticator_to_register_a_passkey(
    client: Client, policy: Organization
) -> None:
    user = UserFactory.create(organization=policy)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in(client, user.email)
    response = client.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
    assert response.status_code == 302
    for name in ("accounts:overview", "home", "accounts:login_history", "accounts:otp_verify"):
        assert client.get(reverse(name))["Location"] == reverse("accounts:two_factor")
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Your organisation requires a passkey as the second factor." in page
    assert "Add an authenticator" not in page and 'id="otp_webauthn_config"' in page

    assert passkey_register(client, SoftPasskey()).status_code == 200
    assert client.get(reverse("accounts:overview")).status_code == 200
    passkey = WebAuthnCredential.objects.get(user=user)
    response = client.post(
        reverse("accounts:passkey_name"), {"passkey": passkey.pk, "name": "Phone"}, follow=True
    )
    assert "Your passkey is saved." in response.content.decode()
    # Codes never pass under the policy: none are made for the passkey.
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_the_passkey_policy_walks_a_user_without_any_factor_to_register_a_passkey(
    client: Client, policy: Organization
) -> None:
    user = UserFactory.create(organization=policy)
    sign_in(client, user.email)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:two_factor")
    assert passkey_register(client, SoftPasskey()).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_without_the_passkey_policy_a_totp_code_still_passes(client: Client) -> None:
    user = UserFactory.create(organization=OrganizationFactory.create(require_2fa=True))
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with_passkey(user)
    sign_in(client, user.email)
    page = client.get(reverse("accounts:otp_verify")).content.decode()
    assert "Verify with a passkey" in page and 'name="token"' in page
    client.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_the_last_passkey_stays_while_the_passkey_policy_requires_one(
    client: Client, policy: Organization
) -> None:
    user = UserFactory.create(organization=policy)
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with_passkey(user, name="Laptop")
    with_passkey(user, name="Blue key")
    laptop, blue_key = WebAuthnCredential.objects.filter(user=user).order_by("id")
    totp = TOTPDevice.objects.get(user=user)
    client.force_login(user)

    response = client.post(
        reverse("accounts:passkey_remove", args=[laptop.pk]), {"password": PASSWORD}, follow=True
    )
    assert "The passkey was removed." in response.content.decode()
    response = client.post(
        reverse("accounts:passkey_remove", args=[blue_key.pk]), {"password": PASSWORD}, follow=True
    )
    assert "add another passkey before you remove this one" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=blue_key.pk).exists()
    # The authenticator is no factor under the policy: it may go.
    client.post(reverse("accounts:totp_remove", args=[totp.pk]), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_last_passkey_or_authenticator_stays_while_the_organisation_requires_2fa(
    client: Client,
) -> None:
    user = UserFactory.create(organization=OrganizationFactory.create(customs=True))
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    with_passkey(user)
    passkey = WebAuthnCredential.objects.get(user=user)
    client.force_login(user)
    client.post(reverse("accounts:passkey_remove", args=[passkey.pk]), {"password": PASSWORD})
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    response = client.post(
        reverse("accounts:totp_remove", args=[device.pk]), {"password": PASSWORD}, follow=True
    )
    assert "add a passkey or another authenticator" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_admin_sets_the_passkey_policy_on_the_record(client: Client) -> None:
    admin = UserFactory.create(admin=True)
    client.force_login(admin)
    page = client.get(reverse("accounts:security_policy")).content.decode()
    assert "Require a phishing-resistant factor" in page
    response = client.post(
        reverse("accounts:security_policy"), {"require_phishing_resistant": "on"}, follow=True
    )
    assert "The security policy is saved." in response.content.decode()
    organization = admin.organization
    assert organization is not None
    organization.refresh_from_db()
    assert organization.require_phishing_resistant and organization.requires_2fa
    entry = AuditEntry.objects.get(action="organization.security_policy")
    assert entry.before["require_phishing_resistant"] is False
    assert entry.after["require_phishing_resistant"] is True

    client.force_login(UserFactory.create(organization=organization))
    assert (
        client.post(
            reverse("accounts:security_policy"), {"require_phishing_resistant": ""}
        ).status_code
        == 403
    )
    assert Organization.objects.get(pk=organization.pk).require_phishing_resistant


def test_the_staff_list_shows_who_has_which_factors_under_the_passkey_policy(
    client: Client, policy: Organization, django_assert_max_num_queries: Any
) -> None:
    admin = UserFactory.create(organization=policy, admin=True, email="admin@policy.test")
    enrolled = UserFactory.create(organization=policy, email="enrolled@policy.test")
    with_passkey(enrolled)
    with_passkey(enrolled)
    late = UserFactory.create(organization=policy, email="late@policy.test")
    TOTPDevice.objects.create(user=late, name="Phone", confirmed=True)
    backup_codes_regenerate(user=late)
    for number in range(5):
        UserFactory.create(organization=policy, email=f"more{number}@policy.test")
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:staff_list")).content.decode()

    def factors_of(email: str) -> str:
        return " ".join(page.split(f'data-factors="{email}">')[1].split("</td>")[0].split())

    assert "accepts only passkeys" in page
    assert factors_of("enrolled@policy.test") == (
        '<span class="badge text-bg-success">2 passkeys</span>'
    )
    late_factors = factors_of("late@policy.test")
    assert "no passkey yet" in late_factors and "1 authenticator app" in late_factors
    assert "10 backup codes left" in late_factors
    assert "none" in factors_of("admin@policy.test")


def test_passkey_pages_are_in_vietnamese(client: Client, policy: Organization) -> None:
    user = UserFactory.create(organization=policy)
    sign_in(client, user.email)
    page = client.get(reverse("accounts:two_factor"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tổ chức của bạn yêu cầu khóa truy cập làm yếu tố thứ hai" in page
    # The messages of django-otp-webauthn's script (JSON-escaped in the catalogue).
    catalogue = client.get(
        reverse("otp_webauthn:js-i18n-catalog"), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert json.dumps("Đăng ký thành công!") in catalogue


def test_verifying_with_a_passkey_on_a_code_session_lifts_the_hold(
    client: Client, policy: Organization
) -> None:
    user = UserFactory.create(organization=policy)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    passkey = with_passkey(user)
    sign_in(client, user.email)
    verified_with(client, device)
    assert client.get(reverse("home")).status_code == 302
    assert post_json(client, "credential-authentication-begin").status_code == 200
    assert passkey_authenticate(client, passkey).status_code == 200
    assert client.get(reverse("home")).status_code == 200
