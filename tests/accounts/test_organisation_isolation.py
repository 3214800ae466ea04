"""An admin of one organisation reaches no object of another by editing a URL."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AbuseReport, ApiToken, SigningCertificate, User
from accounts.services.api_tokens import api_token_create
from tests.factories import (
    AbuseReportFactory,
    LoginEventFactory,
    OrganizationFactory,
    SigningCertificateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine() -> User:
    return UserFactory.create(organization=OrganizationFactory.create(trader=True), role="admin")


@pytest.fixture
def theirs() -> User:
    return UserFactory.create(organization=OrganizationFactory.create(trader=True), role="admin")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accounts:staff_role", {"role": "staff"}),
        ("accounts:staff_active", {"active": "0"}),
        ("accounts:staff_2fa_reset", {}),
    ],
)
def test_users_of_another_organisation_are_not_found(
    client: Client, mine: User, theirs: User, name: str, data: dict[str, str]
) -> None:
    TOTPDevice.objects.create(user=theirs, name="Phone", confirmed=True)
    client.force_login(mine)
    assert client.post(reverse(name, args=[theirs.pk]), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == User.Role.ADMIN and theirs.is_active
    assert TOTPDevice.objects.filter(user=theirs).exists()


def test_certificates_of_another_organisation_are_not_found(
    client: Client, mine: User, theirs: User
) -> None:
    certificate = SigningCertificateFactory.create(organization=theirs.organization)
    client.force_login(mine)
    assert (
        client.post(reverse("accounts:certificate_revoke", args=[certificate.pk])).status_code
        == 404
    )
    assert (
        certificate.serial_number
        not in client.get(reverse("accounts:certificate_list")).content.decode()
    )
    assert SigningCertificate.objects.get(pk=certificate.pk).revoked_at is None


def test_abuse_reports_of_another_organisation_are_not_found(
    client: Client, mine: User, theirs: User
) -> None:
    report = AbuseReportFactory.create(organization=theirs.organization, reporter=theirs)
    client.force_login(mine)
    url = reverse("accounts:abuse_report_detail", args=[report.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "closed", "answer": "x"}).status_code == 404
    html = client.get(reverse("accounts:abuse_report_list")).content.decode()
    assert f'href="{url}"' not in html
    assert AbuseReport.objects.get(pk=report.pk).status == AbuseReport.Status.OPEN


def test_login_history_of_another_organisation_is_not_shown(
    client: Client, mine: User, theirs: User
) -> None:
    LoginEventFactory.create(user=theirs, ip_address="198.51.100.77")
    client.force_login(mine)
    for query in ({}, {"user": theirs.pk}):
        html = client.get(reverse("accounts:login_history"), query).content.decode()
        assert "198.51.100.77" not in html


def test_api_tokens_of_another_organisation_are_not_found(
    client: Client, mine: User, theirs: User
) -> None:
    token, _raw_key = api_token_create(
        user=theirs, purpose="Their feed", scope="read", by=theirs, second_factor_passed=True
    )
    client.force_login(mine)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert "Their feed" not in client.get(reverse("accounts:api_token_list")).content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_authenticators_of_another_user_are_not_found(
    client: Client, mine: User, theirs: User
) -> None:
    device = TOTPDevice.objects.create(user=theirs, name="Phone", confirmed=True)
    client.force_login(mine)
    response = client.post(
        reverse("accounts:totp_remove", args=[device.pk]),
        {"password": "correct horse battery staple"},
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
