"""Failed sign-ins slow down the address they come from, never the rightful user elsewhere;
the account holder is e-mailed when they pile up; a second-factor back-off says how long to
wait; and the address is read behind the configured number of trusted proxies."""

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.adapter import AccountAdapter
from accounts.client import client_ip
from accounts.models import LoginEvent
from accounts.services.two_factor import otp_failure_note
from tests.accounts.test_sign_in import sign_in
from tests.accounts.test_two_factor import code_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTACKER, OWNER = "198.51.100.66", "203.0.113.5"


def _signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:overview")).status_code == 200


def test_guessing_passwords_from_one_address_does_not_lock_the_owner_out() -> None:
    user = UserFactory.create()
    attacker = Client()
    for _attempt in range(8):
        sign_in(attacker, user.email, password="wrong guess 12345", ip=ATTACKER)
    refused = sign_in(attacker, user.email, ip=ATTACKER)  # even the right password, from there
    assert "Too many failed sign-ins" in refused.content.decode()
    assert not _signed_in(attacker)

    owner = Client()
    response = sign_in(owner, user.email, ip=OWNER)
    assert response.status_code == 302
    assert _signed_in(owner)


def test_the_account_holder_is_emailed_once_after_repeated_failures(
    django_capture_on_commit_callbacks,
) -> None:
    user = UserFactory.create(email="owner@example.test", language="en")
    attacker, elsewhere = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(4):
            sign_in(attacker, user.email, password=f"wrong guess {attempt:05d}", ip=ATTACKER)
        for attempt in range(4):
            sign_in(elsewhere, user.email, password=f"wrong guess {attempt:05d}", ip=OWNER)
    alerts = [m for m in mail.outbox if "failed sign-ins" in m.subject.lower()]
    assert len(alerts) == 1
    assert alerts[0].to == ["owner@example.test"]
    assert OWNER in alerts[0].body  # the fifth failure, which set off the e-mail, came from there


def test_wrong_codes_make_only_their_own_address_wait() -> None:
    user = UserFactory.create()
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    for _attempt in range(6):
        otp_failure_note(user=user, ip_address=ATTACKER)

    attacker = Client()
    sign_in(attacker, user.email, ip=ATTACKER)
    response = attacker.post(
        reverse("accounts:otp_verify"), {"token": code_for(device)}, REMOTE_ADDR=ATTACKER
    )
    page = response.content.decode()
    assert "Too many wrong codes from here. Wait" in page
    assert "not right" not in page
    assert not _signed_in(attacker)

    owner = Client()
    sign_in(owner, user.email, ip=OWNER)
    response = owner.post(
        reverse("accounts:otp_verify"), {"token": code_for(device)}, REMOTE_ADDR=OWNER
    )
    assert response.status_code == 302
    assert _signed_in(owner)


def test_the_wait_is_in_vietnamese_too() -> None:
    user = UserFactory.create()
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    for _attempt in range(5):
        otp_failure_note(user=user, ip_address=ATTACKER)
    client = Client()
    sign_in(client, user.email, ip=ATTACKER)
    response = client.post(
        reverse("accounts:otp_verify"),
        {"token": code_for(device)},
        REMOTE_ADDR=ATTACKER,
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert "Quá nhiều mã sai từ địa chỉ này" in response.content.decode()


def test_a_few_typos_cost_nothing_then_each_wrong_code_doubles_the_wait() -> None:
    user = UserFactory.create()
    waits = [otp_failure_note(user=user, ip_address=ATTACKER) for _attempt in range(6)]
    assert waits == [0, 0, 0, 2, 4, 8]


def test_signed_in_as_appears_only_after_the_second_factor(client: Client) -> None:
    user = UserFactory.create(email="halfway@example.test")
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in(client, user.email)
    page = client.get(reverse("accounts:otp_verify")).content.decode()
    assert "halfway@example.test" not in page
    assert "My account" not in page
    client.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
    assert "halfway@example.test" in client.get(reverse("accounts:overview")).content.decode()


def test_failed_sign_ins_are_recorded_with_the_address_behind_the_proxy(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory.create()
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": "wrong guess 12345"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"1.1.1.1, {ATTACKER}",
    )
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.SIGN_IN_FAILED)
    assert event.ip_address == ATTACKER


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.2"),  # no proxy: the header is the client's to invent
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # what the client wrote to the left is ignored
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.2"),  # did not pass both proxies
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
    assert AccountAdapter(request).get_client_ip(request) == expected


def test_rotating_the_forwarded_header_behind_a_proxy_does_not_bypass_the_limit(
    settings,
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory.create()
    attacker = Client()
    responses = [
        attacker.post(
            reverse("account_login"),
            {"login": user.email, "password": "wrong guess 12345"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {ATTACKER}",
        )
        for attempt in range(7)
    ]
    assert "Too many failed sign-ins" in responses[-1].content.decode()
