"""Passkeys through django-otp-webauthn's endpoints, driven by a software authenticator:
registering, naming, removing, the second step and the passwordless sign-in."""

import json

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import LoginEvent, Organization, User
from accounts.security import SECURITY_CHECKS_KEY
from accounts.services.two_factor import backup_codes_regenerate
from tests.accounts.passkey_authenticator import (
    RP_ID,
    SoftPasskey,
    passkey_authenticate,
    passkey_register,
    post_json,
    verified_with,
    with_passkey,
)
from tests.accounts.test_sign_in import PASSWORD, sign_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("passkey_relying_party")]


def test_a_signed_in_user_registers_a_passkey_and_names_it(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    response = passkey_register(client, SoftPasskey())
    assert response.status_code == 200
    passkey = WebAuthnCredential.objects.get(user=user)
    assert (passkey.confirmed, passkey.discoverable, passkey.name) == (True, True, "")

    response = client.post(
        reverse("accounts:passkey_name"), {"passkey": passkey.pk, "name": " Máy tính ở cơ quan "}
    )
    # The first second factor comes with backup codes, shown once.
    assert "Your backup codes" in response.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 10
    passkey.refresh_from_db()
    assert passkey.name == "Máy tính ở cơ quan"
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Máy tính ở cơ quan" in page and "never" in page


def test_registering_a_passkey_needs_a_signed_in_user_and_the_second_factor_first(
    client: Client,
) -> None:
    assert post_json(client, "credential-registration-begin").json()["code"] == (
        "not_authenticated"
    )
    user = UserFactory.create()
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in(client, user.email)  # the password alone
    response = passkey_register(client, SoftPasskey())
    assert response.status_code == 403 and response.json()["code"] == "user_not_verified"
    assert not WebAuthnCredential.objects.exists()


def test_a_passkey_is_a_second_step_after_the_password(client: Client) -> None:
    user = UserFactory.create()
    passkey = with_passkey(user)
    sign_in(client, user.email)
    overview = client.get(reverse("accounts:overview"))
    assert overview["Location"].startswith(reverse("accounts:otp_verify"))
    page = client.get(overview["Location"]).content.decode()
    assert "Verify with a passkey" in page and 'id="otp_webauthn_config"' in page

    response = passkey_authenticate(client, passkey, query="?next=/accounts/me/")
    assert response.status_code == 200 and response.json()["redirect_url"] == "/accounts/me/"
    assert client.get(reverse("accounts:overview")).status_code == 200
    assert list(
        LoginEvent.objects.filter(user=user).order_by("id").values_list("kind", flat=True)
    ) == [LoginEvent.Kind.SIGN_IN, LoginEvent.Kind.PASSKEY_SUCCESS]
    assert WebAuthnCredential.objects.get(user=user).last_used_at is not None


def test_a_passkey_signs_in_without_the_password_as_both_factors(client: Client) -> None:
    organization = OrganizationFactory.create(require_phishing_resistant=True)
    user = UserFactory.create(organization=organization)
    passkey = with_passkey(user)

    response = passkey_authenticate(client, passkey, query="?next=https://evil.example/")
    assert response.status_code == 200
    # Never another site: the role's home page, where every sign-in lands.
    assert response.json()["redirect_url"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert client.session[SECURITY_CHECKS_KEY] is True
    assert client.get(reverse("accounts:overview")).status_code == 200
    events = LoginEvent.objects.filter(user=user).order_by("id")
    assert [event.kind for event in events] == [
        LoginEvent.Kind.SIGN_IN,
        LoginEvent.Kind.PASSKEY_SUCCESS,
    ]
    assert events[0].session_key == client.session.session_key


def test_a_passkey_sign_in_still_owes_an_expired_password(client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    user = UserFactory.create(organization=OrganizationFactory.create(password_max_age_days=30))
    passkey = with_passkey(user)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=40))
    assert passkey_authenticate(client, passkey).status_code == 200
    assert client.get(reverse("accounts:overview"))["Location"] == reverse(
        "account_change_password"
    )


def test_a_passkey_of_a_deactivated_user_signs_nobody_in(client: Client) -> None:
    user = UserFactory.create()
    passkey = with_passkey(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = passkey_authenticate(client, passkey)
    assert response.status_code == 403 and response.json()["code"] == "user_disabled"
    assert client.get(reverse("accounts:overview")).status_code == 302
    assert not LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.SIGN_IN).exists()


def test_another_users_passkey_is_refused_and_recorded(client: Client) -> None:
    user = UserFactory.create()
    with_passkey(user)
    stranger_passkey = with_passkey(UserFactory.create())
    sign_in(client, user.email)
    response = passkey_authenticate(client, stranger_passkey)
    assert response.status_code == 403 and response.json()["code"] == "credential_user_mismatch"
    assert client.get(reverse("accounts:overview")).status_code == 302
    assert LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.PASSKEY_FAILURE).exists()


def test_an_unknown_passkey_is_refused(client: Client) -> None:
    response = passkey_authenticate(client, SoftPasskey())
    assert response.status_code == 404 and response.json()["code"] == "credential_not_found"
    assert "_auth_user_id" not in client.session


def test_a_passkey_signature_from_another_key_is_refused(client: Client) -> None:
    user = UserFactory.create()
    passkey = with_passkey(user)
    forged = SoftPasskey(credential_id=passkey.credential_id, user_handle=passkey.user_handle)
    response = passkey_authenticate(client, forged)
    assert response.status_code == 422
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "null",
        '"text"',
        "{",
        "[" * 50_000 + "]" * 50_000,
        json.dumps({"id": 1, "rawId": ["x"], "response": "nope", "type": "public-key"}),
        json.dumps({"id": "\x00", "rawId": "\x00", "response": {}, "type": "public-key"}),
        json.dumps(
            {
                "id": "AAAA",
                "rawId": "AAAA",
                "type": "public-key",
                "response": {"clientDataJSON": "!!", "attestationObject": "@@"},
                "clientExtensionResults": ["credProps"],
            }
        ),
    ],
)
def test_malformed_passkey_requests_answer_a_clear_error_and_store_nothing(
    client: Client, body: str
) -> None:
    user = UserFactory.create()
    client.force_login(user)
    for ceremony in ("registration", "authentication"):
        assert post_json(client, f"credential-{ceremony}-begin").status_code == 200
        response = client.post(
            reverse(f"otp_webauthn:credential-{ceremony}-complete"),
            body,
            content_type="application/json",
        )
        assert 400 <= response.status_code < 500, response.content
        assert response.json()["detail"]
    response = client.post(
        reverse("otp_webauthn:credential-registration-begin"),
        body,
        content_type="application/json",
    )
    assert response.status_code in (200, 400)
    assert not WebAuthnCredential.objects.exists()


def test_completing_a_passkey_ceremony_without_beginning_is_refused(client: Client) -> None:
    client.force_login(UserFactory.create())
    response = post_json(
        client,
        "credential-registration-complete",
        SoftPasskey().create({"user": {"id": "AAAA"}, "rp": {"id": RP_ID}, "challenge": "AAAA"}),
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_state"
    assert not WebAuthnCredential.objects.exists()


def test_passkey_endpoints_refuse_get(client: Client) -> None:
    client.force_login(UserFactory.create())
    for name in (
        "credential-registration-begin",
        "credential-registration-complete",
        "credential-authentication-begin",
        "credential-authentication-complete",
    ):
        assert client.get(reverse(f"otp_webauthn:{name}")).status_code == 405
    for name in ("accounts:passkey_name",):
        assert client.get(reverse(name)).status_code == 405
    assert client.get(reverse("accounts:passkey_remove", args=[1])).status_code == 405


def test_passkey_pages_need_a_signed_in_user(client: Client) -> None:
    for url in (reverse("accounts:passkey_name"), reverse("accounts:passkey_remove", args=[1])):
        response = client.post(url, {"passkey": 1, "name": "x", "password": PASSWORD})
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_naming_another_users_passkey_is_not_found(client: Client) -> None:
    owner = UserFactory.create()
    with_passkey(owner, name="Owner's key")
    passkey = WebAuthnCredential.objects.get(user=owner)
    client.force_login(UserFactory.create())
    response = client.post(reverse("accounts:passkey_name"), {"passkey": passkey.pk, "name": "x"})
    assert response.status_code == 404
    passkey.refresh_from_db()
    assert passkey.name == "Owner's key"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Laptop"}, "This field is required."),
        ({"passkey": "abc", "name": "Laptop"}, "Enter a whole number."),
        ({"passkey": "PK", "name": "x" * 65}, "at most 64 characters"),
        ({"passkey": "PK", "name": "bad\x00name"}, "Null characters are not allowed."),
    ],
)
def test_naming_a_passkey_with_bad_input_changes_nothing(
    client: Client, data: dict[str, str], message: str
) -> None:
    user = UserFactory.create()
    with_passkey(user, name="Laptop")
    passkey = WebAuthnCredential.objects.get(user=user)
    client.force_login(user)
    data = {key: str(passkey.pk) if value == "PK" else value for key, value in data.items()}
    response = client.post(reverse("accounts:passkey_name"), data, follow=True)
    assert message in response.content.decode()
    passkey.refresh_from_db()
    assert passkey.name == "Laptop"
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_removing_a_passkey_needs_the_password(client: Client) -> None:
    user = UserFactory.create()
    with_passkey(user)
    backup_codes_regenerate(user=user)
    passkey = WebAuthnCredential.objects.get(user=user)
    client.force_login(user)
    url = reverse("accounts:passkey_remove", args=[passkey.pk])
    response = client.post(url, {"password": "not my password"}, follow=True)
    assert "The password is not right." in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    response = client.post(url, {"password": PASSWORD}, follow=True)
    assert "The passkey was removed." in response.content.decode()
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    # The last second factor takes the backup codes with it.
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_removing_another_users_passkey_is_not_found(client: Client) -> None:
    owner = UserFactory.create()
    with_passkey(owner)
    passkey = WebAuthnCredential.objects.get(user=owner)
    client.force_login(UserFactory.create())
    response = client.post(
        reverse("accounts:passkey_remove", args=[passkey.pk]), {"password": PASSWORD}
    )
    assert response.status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_several_passkeys_are_listed_with_when_each_was_last_used(client: Client) -> None:
    user = UserFactory.create()
    laptop = with_passkey(user, name="Laptop")
    with_passkey(user, name="Blue key")
    sign_in(client, user.email)
    passkey_authenticate(client, laptop)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    rows = page.split('id="passkeys"')[1].split("</table>")[0]
    laptop_row, key_row = rows.split("<tr><td>")[1:]
    assert "Laptop" in laptop_row and "never" not in laptop_row
    assert "Blue key" in key_row and "never" in key_row


def test_the_customs_organisation_policy_makes_passkeys_the_rule_for_its_users(
    client: Client,
) -> None:
    customs = OrganizationFactory.create(customs=True)
    admin = UserFactory.create(organization=customs, admin=True)
    officer = UserFactory.create(organization=customs)
    device = TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    with_passkey(officer)
    client.force_login(admin)
    client.post(
        reverse("accounts:security_policy"),
        {"require_2fa": "on", "require_phishing_resistant": "on"},
    )
    customs.refresh_from_db()
    assert customs.require_phishing_resistant

    officer_client = Client()
    sign_in(officer_client, officer.email)
    verified_with(officer_client, device)
    assert officer_client.get(reverse("home"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
    assert Organization.objects.get(pk=customs.pk).requires_2fa
