"""Every account page: anonymous visitors go to the sign-in page, actions want POST, and
list pages run a fixed number of queries whatever their length."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AbuseReport, User
from accounts.services.api_tokens import api_token_create
from tests.factories import (
    AbuseReportFactory,
    LoginEventFactory,
    OrganizationFactory,
    SigningCertificateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    ("accounts:overview", []),
    ("accounts:two_factor", []),
    ("accounts:totp_add", []),
    ("accounts:login_history", []),
    ("accounts:security_policy", []),
    ("accounts:staff_list", []),
    ("accounts:certificate_list", []),
    ("accounts:abuse_report_list", []),
    ("accounts:abuse_report_create", []),
    ("accounts:abuse_report_detail", [1]),
    ("accounts:api_token_list", []),
    ("account_change_password", []),
]
ACTIONS = [
    ("accounts:totp_remove", [1]),
    ("accounts:backup_codes", []),
    ("accounts:staff_invite", []),
    ("accounts:staff_role", [1]),
    ("accounts:staff_active", [1]),
    ("accounts:staff_2fa_reset", [1]),
    ("accounts:certificate_revoke", [1]),
    ("accounts:api_token_revoke", [1]),
]


@pytest.mark.parametrize(("name", "args"), PAGES + ACTIONS)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, name: str, args: list) -> None:
    response = client.post(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "args"), ACTIONS)
def test_actions_refuse_get(client: Client, name: str, args: list) -> None:
    client.force_login(UserFactory.create(role=User.Role.ADMIN))
    assert client.get(reverse(name, args=args)).status_code == 405


@pytest.fixture
def crowded_trader() -> User:
    organization = OrganizationFactory.create(trader=True)
    admin = UserFactory.create(organization=organization, role=User.Role.ADMIN)
    UserFactory.create_batch(3, organization=organization)
    LoginEventFactory.create_batch(20, user=admin)
    SigningCertificateFactory.create_batch(10, organization=organization)
    AbuseReportFactory.create_batch(10, organization=organization, reporter=admin)
    for number in range(10):
        api_token_create(
            user=admin,
            purpose=f"Client {number}",
            scope="read",
            by=admin,
            second_factor_passed=True,
        )
    return admin


@pytest.mark.parametrize(
    "name",
    [
        "accounts:login_history",
        "accounts:staff_list",
        "accounts:certificate_list",
        "accounts:abuse_report_list",
        "accounts:api_token_list",
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    client: Client, crowded_trader: User, name: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(crowded_trader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_customs_sees_the_abuse_reports_of_every_trader_in_few_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    AbuseReportFactory.create_batch(15)
    client.force_login(UserFactory.create(organization=OrganizationFactory.create(customs=True)))
    with django_assert_max_num_queries(8):
        html = client.get(reverse("accounts:abuse_report_list")).content.decode()
    assert html.count("Digital signature used by someone else") == AbuseReport.objects.count()


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("accounts:overview", "Tài khoản của tôi"),
        ("accounts:two_factor", "Xác thực hai yếu tố"),
        ("accounts:login_history", "Lịch sử đăng nhập"),
        ("accounts:staff_list", "Người dùng và lời mời"),
        ("accounts:security_policy", "Chính sách bảo mật"),
        ("accounts:certificate_list", "Chứng thư số"),
        ("accounts:abuse_report_list", "Báo cáo lạm dụng"),
        ("accounts:api_token_list", "Token API"),
        ("account_change_password", "Đổi mật khẩu"),
    ],
)
def test_account_pages_speak_vietnamese(client: Client, name: str, heading: str) -> None:
    client.force_login(
        UserFactory.create(organization=OrganizationFactory.create(trader=True), role="admin")
    )
    html = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert f">{heading}<" in html.replace("\n", "").replace("    ", "")
