"""The one e-mail path: sent by a task after the commit, in the reader's language, with
links on the site's address."""

import re
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.emails import absolute_url
from accounts.models import Invitation, User
from accounts.selectors import Recipient, organization_recipients
from accounts.services.staff import invitation_create
from accounts.tasks import email_deliver, invitation_notify, new_sign_in_notify
from tests.accounts.test_sign_in import BROWSER, sign_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://dangky.example.vn"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    # Not the test client's host: links must come from the setting, never from a request.
    settings.SITE_URL = SITE


def test_absolute_url_is_the_reversed_path_on_the_site_address() -> None:
    assert absolute_url("accounts:login_history") == f"{SITE}/accounts/history/"
    assert absolute_url("brokers:detail", "DL-1") == f"{SITE}/brokers/DL-1/"


def test_recipients_carry_each_readers_language_in_three_queries(
    django_assert_num_queries: Any,
) -> None:
    organization = OrganizationFactory.create(email="office@company.test")
    UserFactory.create(organization=organization, role=User.Role.ADMIN, email="en@company.test")
    UserFactory.create(organization=organization, role=User.Role.ADMIN, email="vi@company.test")
    User.objects.filter(email="en@company.test").update(language="en")
    UserFactory.create(organization=organization, email="staff@company.test", language="en")
    # An organisation whose own address is a user's: that user's language.
    other = OrganizationFactory.create(email="owner@other.test")
    UserFactory.create(organization=other, email="owner@other.test", language="en")
    with django_assert_num_queries(3):
        recipients = organization_recipients([organization.pk, other.pk])
    assert recipients[organization.pk] == [
        Recipient("en@company.test", "en"),
        Recipient("office@company.test", "vi"),
        Recipient("vi@company.test", "vi"),
    ]
    assert recipients[other.pk] == [Recipient("owner@other.test", "en")]


def test_the_invitation_goes_in_vietnamese_with_the_sites_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    organization = OrganizationFactory.create()
    admin = UserFactory.create(organization=organization, role=User.Role.ADMIN, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        key = invitation_create(
            organization=organization, email="moi@example.test", role="staff", by=admin
        )
    [message] = mail.outbox
    # The invited person has no user yet, so no language of their own: Vietnamese.
    assert message.subject == "Bạn được mời tham gia sổ đăng ký đại lý hải quan"
    assert f"{SITE}{reverse('accounts:invitation_accept', args=[key])}" in message.body


def test_no_invitation_leaves_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    organization = OrganizationFactory.create()
    admin = UserFactory.create(organization=organization, role=User.Role.ADMIN)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invitation_create(
            organization=organization, email="moi@example.test", role="staff", by=admin
        )
        raise RuntimeError
    assert mail.outbox == []
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "New sign-in to your customs broker registry account"),
        ("vi", "Đăng nhập mới vào tài khoản sổ đăng ký đại lý hải quan của bạn"),
    ],
)
def test_the_new_sign_in_e_mail_is_in_the_users_language(
    client: Client, django_capture_on_commit_callbacks: Any, language: str, subject: str
) -> None:
    user = UserFactory.create(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, user.email, ip="198.51.100.9")
    [message] = mail.outbox
    assert message.subject == subject
    assert BROWSER in message.body
    assert f"{SITE}/accounts/history/" in message.body


def test_a_sign_in_request_only_queues_the_e_mail(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create()
    with django_capture_on_commit_callbacks() as callbacks:
        sign_in(client, user.email, ip="198.51.100.9")
    assert mail.outbox == []
    assert [callback.func for callback in callbacks] == [new_sign_in_notify.delay]


@pytest.mark.parametrize(
    ("language", "subject", "text"),
    [
        ("en", "Password Reset Email", "Click the link below to reset your password."),
        ("vi", "Thư đặt lại mật khẩu", "Bạn nhận được thư này vì bạn hoặc ai đó"),
    ],
)
def test_allauths_password_reset_is_in_the_users_language_with_the_sites_link(
    client: Client,
    django_capture_on_commit_callbacks: Any,
    language: str,
    subject: str,
    text: str,
) -> None:
    UserFactory.create(email="quen@example.test", language=language)
    # The page's language does not matter: the reader's does.
    other = "vi" if language == "en" else "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": "quen@example.test"},
            HTTP_ACCEPT_LANGUAGE=other,
        )
    [message] = mail.outbox
    assert message.subject == subject
    assert text in message.body
    link = re.search(rf"{re.escape(SITE)}(/accounts/password/reset/key/\S+/)", str(message.body))
    assert link is not None
    assert client.get(link.group(1)).status_code == 302  # allauth hides the key and redirects


def test_a_password_reset_request_only_queues_the_e_mail(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory.create(email="quen@example.test")
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("account_reset_password"), {"email": "quen@example.test"})
    assert mail.outbox == []
    [callback] = callbacks
    assert callback.func == email_deliver.delay
    assert callback.keywords["to"] == ["quen@example.test"]


def test_an_unknown_address_gets_vietnamese_and_the_sites_sign_up_link(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "ai@example.test"})
    [message] = mail.outbox
    assert message.to == ["ai@example.test"]
    assert "Xin chào từ sổ đăng ký đại lý hải quan!" in message.body
    assert f"{SITE}{reverse('account_signup')}" in message.body


def test_the_tasks_give_up_quietly_on_a_vanished_row() -> None:
    assert invitation_notify.delay(0, "key").get() == 0
    assert new_sign_in_notify.delay(0).get() == 0
    assert mail.outbox == []
