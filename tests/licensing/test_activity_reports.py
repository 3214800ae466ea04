"""Periodic activity reports: filing, reminders, proposed sanctions confirmed in one step."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from brokers.models import Broker, Sanction
from licensing.models import ActivityReport, SanctionProposal
from licensing.services.reports import activity_report_reminders_send, sanction_proposals_make
from tests.factories import BrokerFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def broker(broker_admin: User) -> Broker:
    broker = Broker.objects.get(license_number="DL-0077")
    Broker.objects.filter(pk=broker.pk).update(
        issued_on=date(TODAY.year - 3, 1, 1), valid_until=TODAY + timedelta(days=900)
    )
    broker.refresh_from_db()
    return broker


def test_the_broker_files_its_report_once(client: Client, broker_admin: User, broker) -> None:
    client.force_login(broker_admin)
    data = {
        "year": LAST_YEAR,
        "declarations_filed": 1200,
        "traders_served": 14,
        "staff_count": 3,
        "changes": "Chuyển trụ sở",
    }
    assert client.post("/licensing/reports/", data).status_code == 302
    report = ActivityReport.objects.get()
    assert (report.year, report.declarations_filed, report.submitted_by) == (
        LAST_YEAR,
        1200,
        broker_admin,
    )
    response = client.post("/licensing/reports/", data)
    assert response.status_code == 400
    assert ActivityReport.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("declarations_filed", "-1"), ("traders_served", "x"), ("year", str(TODAY.year + 1))],
)
def test_bad_report_input_is_refused(
    client: Client, broker_admin: User, broker, field, value
) -> None:
    client.force_login(broker_admin)
    data = {"year": LAST_YEAR, "declarations_filed": 1, "traders_served": 1, "staff_count": 1}
    data[field] = value
    assert client.post("/licensing/reports/", data).status_code == 400
    assert not ActivityReport.objects.exists()


def test_reminders_go_once_per_threshold(
    broker_admin: User, broker, django_capture_on_commit_callbacks
) -> None:
    due = date(LAST_YEAR + 1, 1, 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert activity_report_reminders_send(today=due - timedelta(days=40)) == 0
        assert activity_report_reminders_send(today=due - timedelta(days=30)) == 1
        assert activity_report_reminders_send(today=due - timedelta(days=29)) == 0
        assert activity_report_reminders_send(today=due - timedelta(days=7)) == 1
    assert len(mail.outbox) == 2
    assert str(LAST_YEAR) in mail.outbox[0].subject


def test_a_missing_report_leads_to_a_suspension_then_a_revocation(
    client: Client, broker, officer: User
) -> None:
    grace_over = date(LAST_YEAR + 1, 3, 3)
    assert sanction_proposals_make(today=date(LAST_YEAR + 1, 2, 15)) == 0
    assert sanction_proposals_make(today=grace_over) == 1
    assert sanction_proposals_make(today=grace_over) == 0  # idempotent
    proposal = SanctionProposal.objects.get()
    assert proposal.kind == Sanction.Kind.SUSPENSION
    # Nothing shows on the public page until customs confirms.
    assert "overdue" not in client.get("/brokers/DL-0077/").content.decode()

    client.force_login(officer)
    page = client.get("/customs/reports/proposals/").content.decode()
    assert f"Periodic activity report for {LAST_YEAR} overdue" in page
    response = client.post(
        f"/customs/reports/proposals/{proposal.pk}/",
        {
            f"p{proposal.pk}-reason": f"Periodic activity report for {LAST_YEAR} overdue",
            f"p{proposal.pk}-decision_number": "12/QĐ-HQ",
            "confirm": "",
        },
    )
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.kind == Sanction.Kind.SUSPENSION and sanction.decided_by == officer
    proposal.refresh_from_db()
    assert proposal.status == SanctionProposal.Status.CONFIRMED and proposal.sanction == sanction
    public = client.get("/api/v1/brokers/DL-0077/").json()
    assert public["status"] == "suspended"
    assert "overdue" in client.get("/brokers/DL-0077/").content.decode()

    start = sanction.starts_on
    assert sanction_proposals_make(today=start + timedelta(days=150)) == 0
    assert sanction_proposals_make(today=start + timedelta(days=185)) == 1
    assert SanctionProposal.objects.filter(kind=Sanction.Kind.REVOCATION).count() == 1


def test_a_report_filed_in_time_proposes_nothing_and_blocks_a_confirmation(
    client: Client, broker, broker_admin: User, officer: User
) -> None:
    sanction_proposals_make(today=date(LAST_YEAR + 1, 3, 3))
    proposal = SanctionProposal.objects.get()
    ActivityReport.objects.create(
        broker=broker, year=LAST_YEAR, declarations_filed=1, traders_served=1, staff_count=1
    )
    client.force_login(officer)
    client.post(
        f"/customs/reports/proposals/{proposal.pk}/",
        {f"p{proposal.pk}-reason": "x", f"p{proposal.pk}-decision_number": "1", "confirm": ""},
    )
    assert not Sanction.objects.exists()
    client.post(f"/customs/reports/proposals/{proposal.pk}/", {"dismiss": ""})
    proposal.refresh_from_db()
    assert proposal.status == SanctionProposal.Status.DISMISSED


def test_a_broker_cannot_confirm_or_dismiss_proposals(
    client: Client, broker, broker_admin: User
) -> None:
    sanction_proposals_make(today=date(LAST_YEAR + 1, 3, 3))
    proposal = SanctionProposal.objects.get()
    client.force_login(broker_admin)
    assert client.get("/customs/reports/proposals/").status_code == 403
    assert (
        client.post(f"/customs/reports/proposals/{proposal.pk}/", {"dismiss": ""}).status_code
        == 403
    )
    client.force_login(UserFactory.create(organization=BrokerFactory.create().organization))
    assert client.get("/licensing/reports/").status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == SanctionProposal.Status.PROPOSED
