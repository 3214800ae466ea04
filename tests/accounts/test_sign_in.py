from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import LoginEvent, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def sign_in(client: Client, email: str, password: str = PASSWORD, ip: str = "203.0.113.5") -> Any:
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=BROWSER,
    )


def test_sign_in_page_uses_the_site_layout_in_english_and_vietnamese(client: Client) -> None:
    english = client.get(reverse("account_login")).content.decode()
    assert 'class="navbar' in english and "Customs broker registry" in english
    assert "E-mail" in english and "Forgot your password?" in english
    vietnamese = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="vi"' in vietnamese
    assert "Đăng nhập" in vietnamese and "Quên mật khẩu?" in vietnamese


def test_sign_in_by_e_mail_is_recorded_with_ip_and_browser(client: Client) -> None:
    user = UserFactory.create(email="mai@example.test")
    response = sign_in(client, "MAI@example.test")
    assert response.status_code == 302
    assert client.get(reverse("accounts:overview")).status_code == 200
    event = LoginEvent.objects.get(user=user, kind=LoginEvent.Kind.SIGN_IN)
    assert (event.ip_address, event.user_agent) == ("203.0.113.5", BROWSER)
    assert event.organization == user.organization
    assert event.session_key == client.session.session_key


def test_a_wrong_password_is_refused_and_recorded_as_a_failed_sign_in(client: Client) -> None:
    user = UserFactory.create(email="mai@example.test")
    response = sign_in(client, "mai@example.test", "not the password at all")
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.content.decode()
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.SIGN_IN_FAILED)
    assert (event.user, event.email, event.ip_address) == (user, user.email, "203.0.113.5")
    assert "_auth_user_id" not in client.session


def test_a_failed_sign_in_for_an_unknown_address_is_recorded_without_user(client: Client) -> None:
    sign_in(client, "nobody@example.test")
    event = LoginEvent.objects.get(kind=LoginEvent.Kind.SIGN_IN_FAILED)
    assert (event.user, event.organization, event.email) == (None, None, "nobody@example.test")


def test_sign_out_is_recorded(client: Client) -> None:
    user = UserFactory.create()
    sign_in(client, user.email)
    client.post(reverse("account_logout"), REMOTE_ADDR="203.0.113.5")
    assert LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.SIGN_OUT).count() == 1
    assert "_auth_user_id" not in client.session


def test_repeated_failures_are_rate_limited_in_the_shared_cache(client: Client) -> None:
    user = UserFactory.create()
    for _attempt in range(5):
        sign_in(client, user.email, "wrong password again")
    response = sign_in(client, user.email)  # even the right password is held back now
    assert "Too many failed sign-ins. Try again in a few minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_cannot_sign_in(client: Client) -> None:
    user = UserFactory.create(is_active=False)
    response = sign_in(client, user.email)
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("account_inactive")
    assert "This account is inactive." in client.get(response["Location"]).content.decode()


def test_a_sign_in_from_a_new_ip_and_browser_sends_an_e_mail_once(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, user.email, ip="198.51.100.9")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "198.51.100.9" in mail.outbox[0].body and BROWSER in mail.outbox[0].body
    client.post(reverse("account_logout"))
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, user.email, ip="198.51.100.9")
    assert len(mail.outbox) == 1, "the same IP and browser again send nothing"
    client.post(reverse("account_logout"))
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, user.email, ip="192.0.2.44")
    assert len(mail.outbox) == 2
    assert "192.0.2.44" in mail.outbox[1].body


def test_the_sign_up_page_and_password_reset_pages_are_translated(client: Client) -> None:
    signup = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Mã số thuế (MST)" in signup and "Mật khẩu (nhập lại)" in signup
    reset = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="vi")
    assert "Đặt lại mật khẩu" in reset.content.decode()


def test_force_login_sessions_of_other_apps_tests_are_not_held_back(client: Client) -> None:
    # Customs users need 2FA, but a session that did not come through the sign-in page
    # (Client.force_login) is left alone, so that other apps' tests keep working.
    from tests.factories import OrganizationFactory

    customs = UserFactory.create(
        organization=OrganizationFactory.create(customs=True), role=User.Role.ADMIN
    )
    client.force_login(customs)
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_the_django_admin_signs_in_through_the_sign_in_page(client: Client) -> None:
    from django.conf import settings

    response = client.get(f"/{settings.ADMIN_URL}login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
