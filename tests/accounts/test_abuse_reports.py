from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AbuseReport, Organization, User
from tests.factories import AbuseReportFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trader() -> User:
    return UserFactory.create(organization=OrganizationFactory.create(trader=True))


@pytest.fixture
def officer() -> User:
    return UserFactory.create(organization=OrganizationFactory.create(customs=True))


def test_a_trader_reports_misuse_and_sees_its_status(client: Client, trader: User) -> None:
    client.force_login(trader)
    response = client.post(
        reverse("accounts:abuse_report_create"),
        {
            "kind": AbuseReport.Kind.SIGNATURE,
            "happened_from": "2026-10-01",
            "happened_until": "2026-10-15",
            "description": "Đại lý dùng chữ ký số của chúng tôi.",
            "declarations": "106012345678\n\n106012345679 \n",
        },
        follow=True,
    )
    assert "Your report is sent to customs." in response.content.decode()
    report = AbuseReport.objects.get()
    assert (report.organization, report.reporter, report.status) == (
        trader.organization,
        trader,
        AbuseReport.Status.OPEN,
    )
    assert report.declarations == "106012345678\n106012345679"
    assert report.happened_until == date(2026, 10, 15)
    html = client.get(reverse("accounts:abuse_report_list")).content.decode()
    assert "Digital signature used by someone else" in html and "Open" in html


def test_a_period_that_ends_before_it_starts_is_refused(client: Client, trader: User) -> None:
    client.force_login(trader)
    response = client.post(
        reverse("accounts:abuse_report_create"),
        {
            "kind": AbuseReport.Kind.ACCOUNT,
            "happened_from": "2026-10-15",
            "happened_until": "2026-10-01",
            "description": "Tài khoản bị dùng.",
        },
    )
    assert "The end date is before the start date." in response.content.decode()
    assert not AbuseReport.objects.exists()


def test_only_traders_report(client: Client, officer: User) -> None:
    broker = UserFactory.create(organization=OrganizationFactory.create(broker=True))
    for user in (broker, officer):
        client.force_login(user)
        assert client.get(reverse("accounts:abuse_report_create")).status_code == 403
    client.force_login(broker)
    assert client.get(reverse("accounts:abuse_report_list")).status_code == 403


def test_customs_sees_every_report_and_answers(client: Client, officer: User) -> None:
    first = AbuseReportFactory.create(organization__name="Công ty Một")
    AbuseReportFactory.create(organization__name="Công ty Hai")
    client.force_login(officer)
    html = client.get(reverse("accounts:abuse_report_list")).content.decode()
    assert "Công ty Một" in html and "Công ty Hai" in html
    client.post(
        reverse("accounts:abuse_report_detail", args=[first.pk]),
        {"status": AbuseReport.Status.ANSWERED, "answer": "Đã chuyển Chi cục kiểm tra."},
    )
    first.refresh_from_db()
    assert (first.status, first.answered_by) == (AbuseReport.Status.ANSWERED, officer)

    client.force_login(first.reporter)
    html = client.get(reverse("accounts:abuse_report_detail", args=[first.pk])).content.decode()
    assert "Answered" in html and "Đã chuyển Chi cục kiểm tra." in html


def test_a_bad_status_changes_nothing(client: Client, officer: User) -> None:
    report = AbuseReportFactory.create()
    client.force_login(officer)
    response = client.post(
        reverse("accounts:abuse_report_detail", args=[report.pk]),
        {"status": "deleted", "answer": "x"},
    )
    assert "Select a valid choice" in response.content.decode()
    report.refresh_from_db()
    assert report.status == AbuseReport.Status.OPEN


def test_the_reporter_cannot_answer_its_own_report(client: Client) -> None:
    report = AbuseReportFactory.create()
    client.force_login(report.reporter)
    response = client.post(
        reverse("accounts:abuse_report_detail", args=[report.pk]),
        {"status": AbuseReport.Status.CLOSED, "answer": "done"},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == AbuseReport.Status.OPEN


def test_reports_need_a_signed_in_user(client: Client) -> None:
    report = AbuseReportFactory.create()
    response = client.get(reverse("accounts:abuse_report_detail", args=[report.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert Organization.objects.filter(pk=report.organization_id).exists()


def test_the_list_filters_by_status_and_ignores_an_unknown_one(
    client: Client, officer: User
) -> None:
    AbuseReportFactory.create(organization__name="Công ty Một")
    AbuseReportFactory.create(organization__name="Công ty Hai", status=AbuseReport.Status.ANSWERED)
    client.force_login(officer)
    url = reverse("accounts:abuse_report_list")

    answered = client.get(url, {"status": AbuseReport.Status.ANSWERED}).content.decode()
    unknown = client.get(url, {"status": "lost"}).content.decode()

    assert "Công ty Hai" in answered and "Công ty Một" not in answered
    assert '<option value="answered" selected>' in answered
    assert "Công ty Hai" in unknown and "Công ty Một" in unknown
