import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, User
from accounts.services.two_factor import backup_codes_regenerate
from tests.accounts.test_sign_in import PASSWORD, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, computed from the device's secret."""
    return f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"


def with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def test_a_user_with_a_device_must_enter_the_code_right_after_the_password(
    client: Client,
) -> None:
    user = UserFactory.create()
    device = with_device(user)
    sign_in(client, user.email)
    response = client.get(reverse("accounts:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:certificate_list")).status_code == 302

    response = client.post(
        reverse("accounts:otp_verify"),
        {"token": code_for(device), "next": reverse("accounts:overview")},
        REMOTE_ADDR="203.0.113.5",
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:overview")
    assert client.get(reverse("accounts:overview")).status_code == 200
    assert LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.OTP_SUCCESS).count() == 1


def test_a_wrong_code_is_refused_and_recorded(client: Client) -> None:
    user = UserFactory.create()
    device = with_device(user)
    sign_in(client, user.email)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert "The code is not right, or was already used." in response.content.decode()
    assert LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.OTP_FAILURE).count() == 1
    assert client.get(reverse("accounts:overview")).status_code == 302


def test_a_backup_code_signs_in_once_only(client: Client) -> None:
    user = UserFactory.create()
    with_device(user)
    codes = backup_codes_regenerate(user=user)
    assert len(codes) == 10 and len(set(codes)) == 10

    sign_in(client, user.email)
    response = client.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("accounts:overview")).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9

    client.post(reverse("account_logout"))
    sign_in(client, user.email)
    response = client.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    assert "The code is not right, or was already used." in response.content.decode()
    assert client.get(reverse("accounts:overview")).status_code == 302


def test_adding_an_authenticator_shows_a_qr_code_and_the_secret_then_backup_codes(
    client: Client,
) -> None:
    user = UserFactory.create()
    client.force_login(user)
    page = client.get(reverse("accounts:totp_add")).content.decode()
    assert "<svg" in page and "QR code to scan" in page
    found = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert found is not None
    secret = found.group(1).replace(" ", "")
    key = client.session["accounts_new_totp_key"]
    from base64 import b32decode

    assert b32decode(secret).hex() == key

    device_for_code = TOTPDevice(key=key)
    response = client.post(
        reverse("accounts:totp_add"),
        {"name": "Điện thoại", "token": code_for(device_for_code), "password": PASSWORD},
    )
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert len(codes) == 10
    device = TOTPDevice.objects.get(user=user)
    assert (device.name, device.key, device.confirmed) == ("Điện thoại", key, True)


def test_adding_an_authenticator_needs_the_password_and_a_right_code(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    client.get(reverse("accounts:totp_add"))
    key = client.session["accounts_new_totp_key"]
    response = client.post(
        reverse("accounts:totp_add"),
        {"name": "Phone", "token": code_for(TOTPDevice(key=key)), "password": "wrong password!"},
    )
    assert "The password is not right." in response.content.decode()
    response = client.post(
        reverse("accounts:totp_add"),
        {"name": "Phone", "token": "000000", "password": PASSWORD},
    )
    assert "The code is not right." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_removing_a_device_needs_the_password(client: Client) -> None:
    user = UserFactory.create()
    device = with_device(user)
    backup_codes_regenerate(user=user)
    client.force_login(user)
    url = reverse("accounts:totp_remove", args=[device.pk])
    response = client.post(url, {"password": "not my password"}, follow=True)
    assert "The password is not right." in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post(url, {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_removing_another_users_device_is_not_found(client: Client) -> None:
    device = with_device(UserFactory.create())
    client.force_login(UserFactory.create())
    response = client.post(
        reverse("accounts:totp_remove", args=[device.pk]), {"password": PASSWORD}
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_regenerating_backup_codes_needs_the_password_and_replaces_the_old_ones(
    client: Client,
) -> None:
    user = UserFactory.create()
    with_device(user)
    old = set(backup_codes_regenerate(user=user))
    client.force_login(user)
    response = client.post(reverse("accounts:backup_codes"), {"password": "nope nope nope"})
    assert response.status_code == 302
    assert set(StaticToken.objects.values_list("token", flat=True)) == old
    response = client.post(reverse("accounts:backup_codes"), {"password": PASSWORD})
    new = set(re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode()))
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.values_list("token", flat=True)) == new


def test_two_factor_pages_need_a_signed_in_user(client: Client) -> None:
    for name in ("accounts:two_factor", "accounts:totp_add"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.get(reverse("accounts:otp_verify"))["Location"] == reverse("account_login")


def test_two_factor_actions_refuse_get(client: Client) -> None:
    client.force_login(UserFactory.create())
    assert client.get(reverse("accounts:backup_codes")).status_code == 405


def test_new_backup_codes_can_be_downloaded_and_printed_until_the_user_moves_on(
    client: Client,
) -> None:
    user = UserFactory.create(email="in@example.test")
    with_device(user)
    client.force_login(user)
    page = client.post(reverse("accounts:backup_codes"), {"password": PASSWORD}).content.decode()
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", page)
    assert len(codes) == 10
    assert "Download as a text file" in page and "Print" in page

    download = client.get(reverse("accounts:backup_codes_download"))
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="backup-codes.txt"'
    text = download.content.decode()
    assert "in@example.test" in text and all(f"{code}\n" in text for code in codes)
    printable = client.get(reverse("accounts:backup_codes_print")).content.decode()
    assert re.findall(r"<li>([a-z0-9]{8})</li>", printable) == codes
    assert "data-print" in printable and "navbar" not in printable

    client.get(reverse("accounts:two_factor"))  # "Done"
    response = client.get(reverse("accounts:backup_codes_download"), follow=True)
    assert "only right after they are made" in response.content.decode()
    assert client.get(reverse("accounts:backup_codes_print"))["Location"] == reverse(
        "accounts:two_factor"
    )


def test_backup_codes_download_needs_a_signed_in_user_and_get(client: Client) -> None:
    for name in ("accounts:backup_codes_download", "accounts:backup_codes_print"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(UserFactory.create())
    for name in ("accounts:backup_codes_download", "accounts:backup_codes_print"):
        assert client.post(reverse(name)).status_code == 405


def test_another_sessions_backup_codes_are_not_downloadable(client: Client) -> None:
    user = UserFactory.create()
    with_device(user)
    client.force_login(user)
    client.post(reverse("accounts:backup_codes"), {"password": PASSWORD})
    other = Client()
    other.force_login(user)
    assert other.get(reverse("accounts:backup_codes_download")).status_code == 302


def test_backup_codes_need_a_second_factor_first(client: Client) -> None:
    client.force_login(UserFactory.create())
    response = client.post(reverse("accounts:backup_codes"), {"password": PASSWORD}, follow=True)
    assert "Set up a passkey or an authenticator first." in response.content.decode()
    assert not StaticToken.objects.exists()
