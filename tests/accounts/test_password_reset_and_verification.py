import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_sign_in import PASSWORD, sign_in
from tests.accounts.test_sign_up import _form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    found = re.search(r"http://[^/\s]+(/accounts/\S+/)", body)
    assert found is not None
    return found.group(1)


def test_a_forgotten_password_is_reset_by_e_mail_and_old_ones_are_refused(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create(email="quen@example.test", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "quen@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["quen@example.test"]
    assert "reset your password" in str(mail.outbox[0].body)

    form_url = client.get(_link(str(mail.outbox[0].body)))["Location"]
    response = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert "You used this password recently" in response.content.decode()

    new_password = "mưa rơi trên phố cổ Hội An"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    sign_in(client, user.email, new_password)
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_a_reset_for_an_unknown_address_reveals_nothing(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "ai@example.test"})
    assert response.status_code == 302
    assert not User.objects.filter(email="ai@example.test").exists()


def test_the_e_mail_address_of_a_new_sign_up_is_verified_by_its_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), _form())
    address = EmailAddress.objects.get(email="pham.ketoan@haidang.vn")
    assert not address.verified
    message = next(m for m in mail.outbox if "pham.ketoan@haidang.vn" in m.to)
    client.post(_link(str(message.body)))
    address.refresh_from_db()
    assert address.verified


def test_the_password_change_page_needs_the_current_password(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    new_password = "một câu dài dùng làm mật khẩu"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it at all!", "password1": new_password, "password2": new_password},
    )
    assert "Your current password is not right." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_two_different_new_passwords_get_a_translated_message(client: Client) -> None:
    client.force_login(UserFactory.create())
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "một câu rất dài", "password2": "một câu khác"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert "Hai mật khẩu không khớp nhau." in response.content.decode()
