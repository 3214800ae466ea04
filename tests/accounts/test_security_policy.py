from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import AuditEntry
from tests.accounts.test_sign_in import PASSWORD, sign_in
from tests.accounts.test_two_factor import code_for
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_admin_sets_the_policy_and_it_is_on_the_audit_record(client: Client) -> None:
    admin = UserFactory.create(admin=True)
    client.force_login(admin)
    page = client.get(reverse("accounts:security_policy")).content.decode()
    assert "require two-factor authentication" in page.lower()
    response = client.post(
        reverse("accounts:security_policy"),
        {"require_2fa": "on", "password_max_age_days": "90"},
        follow=True,
    )
    assert "The security policy is saved." in response.content.decode()
    organization = admin.organization
    assert organization is not None
    organization.refresh_from_db()
    assert (organization.require_2fa, organization.password_max_age_days) == (True, 90)
    entry = AuditEntry.objects.get(action="organization.security_policy")
    assert entry.actor == admin and entry.organization == organization
    assert entry.before == {
        "require_2fa": False,
        "require_phishing_resistant": False,
        "password_max_age_days": None,
        "require_verified_contract_signatures": False,
    }
    assert entry.after == {
        "require_2fa": True,
        "require_phishing_resistant": False,
        "password_max_age_days": 90,
        "require_verified_contract_signatures": False,
    }


def test_bad_input_changes_nothing(client: Client) -> None:
    admin = UserFactory.create(admin=True)
    client.force_login(admin)
    response = client.post(reverse("accounts:security_policy"), {"password_max_age_days": "-3"})
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    organization = admin.organization
    assert organization is not None
    organization.refresh_from_db()
    assert organization.password_max_age_days is None
    assert not AuditEntry.objects.exists()


def test_a_maximum_age_of_0_is_refused_with_a_message_not_read_as_never(client: Client) -> None:
    admin = UserFactory.create(admin=True)
    organization = admin.organization
    assert organization is not None
    organization.password_max_age_days = 90
    organization.save()
    client.force_login(admin)
    response = client.post(
        reverse("accounts:security_policy"), {"password_max_age_days": "0"}, follow=True
    )
    assert "would make every password expire at once" in response.content.decode()
    organization.refresh_from_db()
    assert organization.password_max_age_days == 90
    assert not AuditEntry.objects.exists()
    with translation.override("vi"):
        response = client.post(
            reverse("accounts:security_policy"),
            {"password_max_age_days": "0"},
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert "Thời hạn mật khẩu tối đa 0 ngày" in response.content.decode()


def test_staff_cannot_change_the_policy(client: Client) -> None:
    client.force_login(UserFactory.create())
    assert client.get(reverse("accounts:security_policy")).status_code == 403
    assert (
        client.post(reverse("accounts:security_policy"), {"require_2fa": "on"}).status_code == 403
    )


def test_the_policy_page_needs_a_signed_in_user(client: Client) -> None:
    response = client.get(reverse("accounts:security_policy"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_require_2fa_sends_a_user_without_device_to_set_one_up_and_nowhere_else(
    client: Client,
) -> None:
    user = UserFactory.create(organization=OrganizationFactory.create(require_2fa=True))
    sign_in(client, user.email)
    for name in ("accounts:overview", "accounts:login_history", "home"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse(
            "accounts:two_factor"
        )
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Your organisation requires two-factor authentication." in page
    assert client.get(reverse("accounts:totp_add")).status_code == 200

    key = client.session["accounts_new_totp_key"]
    client.post(
        reverse("accounts:totp_add"),
        {"name": "Phone", "token": code_for(TOTPDevice(key=key)), "password": PASSWORD},
    )
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_customs_users_always_need_2fa(client: Client) -> None:
    customs = UserFactory.create(
        organization=OrganizationFactory.create(customs=True, require_2fa=False)
    )
    sign_in(client, customs.email)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:two_factor")


def test_without_policy_a_user_without_device_goes_anywhere(client: Client) -> None:
    user = UserFactory.create()
    sign_in(client, user.email)
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_an_expired_password_must_be_changed_right_after_sign_in(client: Client) -> None:
    user = UserFactory.create(organization=OrganizationFactory.create(password_max_age_days=30))
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=31))
    sign_in(client, user.email)
    response = client.get(reverse("accounts:overview"))
    assert response["Location"] == reverse("account_change_password")
    new_password = "một mật khẩu mới dài hơn"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "You used this password recently" in response.content.decode()
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert client.get(reverse("accounts:overview")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_a_password_within_the_age_is_not_held_back(client: Client) -> None:
    user = UserFactory.create(organization=OrganizationFactory.create(password_max_age_days=30))
    sign_in(client, user.email)
    assert client.get(reverse("accounts:overview")).status_code == 200


def test_2fa_comes_before_the_password_change(client: Client) -> None:
    user = UserFactory.create(organization=OrganizationFactory.create(password_max_age_days=1))
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=5))
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in(client, user.email)
    assert client.get(reverse("account_change_password"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
    client.post(reverse("accounts:otp_verify"), {"token": code_for(device)})
    assert client.get(reverse("home"))["Location"] == reverse("account_change_password")
