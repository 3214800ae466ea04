from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, User
from accounts.provinces import Province
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "những con thuyền trên sông Hàn"


def _form(**changes: str) -> dict[str, str]:
    data = {
        "organization_name": "Công ty TNHH Hải Đăng",
        "tax_code": "0100109106",
        "province": Province.DA_NANG,
        "full_name": "Phạm Hải Đăng",
        "email": "pham.ketoan@haidang.vn",
        "phone": "0905 123 456",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(changes)
    return data


def test_a_trader_signs_up_and_its_first_user_becomes_admin(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), _form(tax_code="0100109106 "))
    assert response.status_code == 302
    organization = Organization.objects.get(tax_code="0100109106")
    assert (organization.kind, organization.name) == (
        Organization.Kind.TRADER,
        "Công ty TNHH Hải Đăng",
    )
    user = User.objects.get(email="pham.ketoan@haidang.vn")
    assert (user.organization, user.role, user.full_name) == (
        organization,
        User.Role.ADMIN,
        "Phạm Hải Đăng",
    )
    assert user.check_password(PASSWORD)
    assert any("pham.ketoan@haidang.vn" in message.to for message in mail.outbox)


def test_one_organisation_per_tax_code(client: Client) -> None:
    OrganizationFactory.create(tax_code="0100109106")
    response = client.post(reverse("account_signup"), _form())
    assert "An organisation with this tax code is already registered." in response.content.decode()
    assert not User.objects.filter(email="pham.ketoan@haidang.vn").exists()


def test_a_malformed_tax_code_is_refused(client: Client) -> None:
    response = client.post(reverse("account_signup"), _form(tax_code="0100109107"))
    assert "check digit is wrong" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_password_built_from_the_tax_code_or_company_name_is_refused(client: Client) -> None:
    password = "song-han-0100-109-106"
    response = client.post(reverse("account_signup"), _form(password1=password, password2=password))
    html = response.content.decode()
    assert "The password must not contain your organisation&#x27;s tax code." in html
    password = "Công ty TNHH Hải Đăng 2026!"
    response = client.post(reverse("account_signup"), _form(password1=password, password2=password))
    assert "The password must not contain your organisation&#x27;s name." in (
        response.content.decode()
    )
    assert not Organization.objects.exists()


def test_a_password_built_from_the_persons_name_or_the_firms_words_is_refused(
    client: Client,
) -> None:
    password = "pham-mua-xuan-2026-ok"
    response = client.post(reverse("account_signup"), _form(password1=password, password2=password))
    assert "The password must not contain your own name." in response.content.decode()
    password = "ngon hai dang sang mai"
    response = client.post(reverse("account_signup"), _form(password1=password, password2=password))
    assert "The password must not contain “Hải Đăng”, your organisation&#x27;s name." in (
        response.content.decode()
    )
    assert not Organization.objects.exists()


def test_signing_up_with_a_taken_address_reveals_nothing(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory.create(email="pham.ketoan@haidang.vn", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post(reverse("account_signup"), _form(), follow=True)
    fresh_client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = fresh_client.post(
            reverse("account_signup"),
            _form(email="someone.new@haidang.vn", tax_code="0100109106-001"),
            follow=True,
        )
    # The same page either way; the owner of the taken address is told by e-mail instead.
    assert taken.redirect_chain[-1][0] == fresh.redirect_chain[-1][0]
    assert "already" not in taken.content.decode().lower()
    assert User.objects.filter(email="pham.ketoan@haidang.vn").count() == 1
    assert not Organization.objects.filter(tax_code="0100109106").exists()
    assert any(m.to == ["pham.ketoan@haidang.vn"] for m in mail.outbox)
