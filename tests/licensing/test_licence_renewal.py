"""A broker applies to renew its licence; customs asks, approves or refuses."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditAction, AuditEntry
from brokers.models import Broker
from licensing.models import ApplicationStatus, LicenceRenewal
from tests.factories import BrokerFactory, SanctionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a request queues on commit (the e-mails), as the real site does."""

    def post(client: Client, url: str, data: dict[str, object]):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def _apply(client: Client, user: User, note: str = "Xin gia hạn", post=None) -> LicenceRenewal:
    client.force_login(user)
    response = (post or Client.post)(client, "/licensing/renewal/", {"note": note})
    assert response.status_code == 302, response.content.decode()[:500]
    return LicenceRenewal.objects.get()


def test_the_broker_applies_and_customs_renews_the_licence(
    client: Client, broker_admin: User, officer: User, committed
) -> None:
    client.force_login(broker_admin)
    assert 'id="renewal-apply"' in client.get("/licensing/").content.decode()
    renewal = _apply(client, broker_admin, post=committed)
    assert renewal.status == ApplicationStatus.SUBMITTED
    assert renewal.previous_valid_until == TODAY + timedelta(days=30)
    assert len(mail.outbox) == 1 and officer.email in mail.outbox[0].to
    assert "Đại lý Cần Thơ" in mail.outbox[0].subject

    client.force_login(officer)
    queue = client.get("/customs/applications/").content.decode()
    assert "Đại lý Cần Thơ" in queue and 'data-days-left="5"' in queue
    new_end = TODAY + timedelta(days=5 * 365)
    response = committed(
        client, f"/customs/applications/renewal/{renewal.pk}/approve/", {"valid_until": new_end}
    )

    assert response.status_code == 302
    broker = Broker.objects.get(license_number="DL-0077")
    assert broker.valid_until == new_end
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.APPROVED and renewal.decided_by == officer
    decision = mail.outbox[1:]
    assert sorted(address for m in decision for address in m.to) == [
        "admin@broker.test",
        "office@broker.test",
    ]
    assert all(new_end.strftime("%d/%m/%Y") in m.body for m in decision)
    actions = list(
        AuditEntry.objects.filter(object_type="licensing.licencerenewal")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.APPLICATION_SUBMIT, AuditAction.APPLICATION_APPROVE]
    public = client.get("/api/v1/brokers/DL-0077/").json()
    assert public["license_valid_until"] == new_end.isoformat()


def test_an_expired_licence_can_be_renewed_and_is_active_again(
    client: Client, officer: User
) -> None:
    broker = BrokerFactory.create(
        issued_on=TODAY - timedelta(days=800), valid_until=TODAY - timedelta(days=3)
    )
    admin = UserFactory.create(organization=broker.organization, role=User.Role.ADMIN)
    assert client.get(f"/api/v1/brokers/{broker.license_number}/").json()["status"] == "expired"
    renewal = _apply(client, admin)
    client.force_login(officer)

    client.post(
        f"/customs/applications/renewal/{renewal.pk}/approve/",
        {"valid_until": TODAY + timedelta(days=365)},
    )

    assert client.get(f"/api/v1/brokers/{broker.license_number}/").json()["status"] == "active"


def test_a_licence_far_from_its_end_or_revoked_cannot_be_renewed(client: Client) -> None:
    far = BrokerFactory.create(valid_until=TODAY + timedelta(days=400))
    client.force_login(UserFactory.create(organization=far.organization))
    assert 'id="renewal-apply"' not in client.get("/licensing/").content.decode()
    response = client.post("/licensing/renewal/", {"note": ""})
    assert response.status_code == 400
    assert "from 90 days before it ends" in response.content.decode()

    revoked = BrokerFactory.create(valid_until=TODAY + timedelta(days=10))
    SanctionFactory.create(broker=revoked, kind="revocation", ends_on=None)
    client.force_login(UserFactory.create(organization=revoked.organization))
    assert client.post("/licensing/renewal/", {"note": ""}).status_code == 400
    assert not LicenceRenewal.objects.exists()


def test_only_one_renewal_awaits_a_decision_at_a_time(client: Client, broker_admin: User) -> None:
    _apply(client, broker_admin)
    response = client.post("/licensing/renewal/", {"note": "again"})
    assert response.status_code == 400
    assert "already has a renewal application awaiting a decision" in response.content.decode()
    assert LicenceRenewal.objects.count() == 1


def test_customs_asks_for_information_and_the_clock_restarts_on_the_answer(
    client: Client, broker_admin: User, officer: User, committed
) -> None:
    renewal = _apply(client, broker_admin)
    client.force_login(officer)
    committed(
        client,
        f"/customs/applications/renewal/{renewal.pk}/request-info/",
        {"message": "Gửi báo cáo tài chính"},
    )
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.INFO_REQUESTED and renewal.complete_on is None
    assert "Gửi báo cáo tài chính" in mail.outbox[-1].body
    assert "awaiting the applicant" in client.get("/customs/applications/").content.decode()

    client.force_login(broker_admin)
    page = client.get(f"/licensing/applications/renewal/{renewal.pk}/").content.decode()
    assert "Gửi báo cáo tài chính" in page
    committed(client, f"/licensing/applications/renewal/{renewal.pk}/", {"answer": "Đã gửi kèm"})

    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.SUBMITTED and renewal.complete_on == TODAY
    assert renewal.info_answer == "Đã gửi kèm"
    assert officer.email in mail.outbox[-1].to and "Đã gửi kèm" in mail.outbox[-1].body


def test_customs_refuses_with_a_reason_and_nothing_changes_on_the_register(
    client: Client, broker_admin: User, officer: User
) -> None:
    renewal = _apply(client, broker_admin)
    client.force_login(officer)
    assert (
        client.post(
            f"/customs/applications/renewal/{renewal.pk}/refuse/", {"reason": ""}
        ).status_code
        == 400
    )
    client.post(f"/customs/applications/renewal/{renewal.pk}/refuse/", {"reason": "Thiếu hồ sơ"})

    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.REFUSED and renewal.refusal_reason == "Thiếu hồ sơ"
    assert Broker.objects.get(pk=renewal.broker_id).valid_until == renewal.previous_valid_until
    client.force_login(broker_admin)
    assert (
        "Thiếu hồ sơ"
        in client.get(f"/licensing/applications/renewal/{renewal.pk}/").content.decode()
    )
    # A decided application takes no second decision.
    client.force_login(officer)
    response = client.post(
        f"/customs/applications/renewal/{renewal.pk}/approve/",
        {"valid_until": TODAY + timedelta(days=900)},
    )
    assert response.status_code == 400
    assert "already been decided" in response.content.decode()


def test_an_approval_must_extend_the_licence(
    client: Client, broker_admin: User, officer: User
) -> None:
    renewal = _apply(client, broker_admin)
    client.force_login(officer)
    response = client.post(
        f"/customs/applications/renewal/{renewal.pk}/approve/",
        {"valid_until": TODAY + timedelta(days=10)},
    )
    assert response.status_code == 400
    assert "must end after its current end and today" in response.content.decode()
    response = client.post(
        f"/customs/applications/renewal/{renewal.pk}/approve/", {"valid_until": "31/02/x"}
    )
    assert response.status_code == 400
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.SUBMITTED


def test_a_broker_cannot_decide_its_own_application_nor_read_another_s(
    client: Client, broker_admin: User
) -> None:
    renewal = _apply(client, broker_admin)
    for action, data in [
        ("approve", {"valid_until": TODAY + timedelta(days=900)}),
        ("refuse", {"reason": "x"}),
        ("request-info", {"message": "x"}),
    ]:
        response = client.post(f"/customs/applications/renewal/{renewal.pk}/{action}/", data)
        assert response.status_code == 403
    assert client.get("/customs/applications/").status_code == 403
    renewal.refresh_from_db()
    assert renewal.status == ApplicationStatus.SUBMITTED

    other = UserFactory.create(organization=BrokerFactory.create().organization)
    client.force_login(other)
    assert client.get(f"/licensing/applications/renewal/{renewal.pk}/").status_code == 404
    assert (
        client.post(f"/licensing/applications/renewal/{renewal.pk}/", {"answer": "x"}).status_code
        == 404
    )


def test_anonymous_visitors_and_traders_are_kept_out(client: Client, broker_admin: User) -> None:
    for url in ["/licensing/", "/licensing/renewal/", "/customs/applications/"]:
        assert client.get(url).status_code == 302
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.TRADER))
    assert client.get("/licensing/").status_code == 403
    assert client.post("/licensing/renewal/", {}).status_code == 403
    assert client.get("/customs/applications/renewal/1/").status_code == 403


def test_an_unknown_kind_or_id_is_a_404(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get("/customs/applications/renewal/999/").status_code == 404
    assert client.get("/customs/applications/other/1/").status_code == 404
    assert client.delete("/customs/applications/").status_code == 405


def test_the_pages_and_e_mails_are_in_vietnamese(
    client: Client, broker_admin: User, officer: User, committed
) -> None:
    broker_admin.language = "vi"
    broker_admin.save(update_fields=["language"])
    client.cookies["django_language"] = "vi"
    client.force_login(broker_admin)
    assert "Đề nghị gia hạn giấy phép" in client.get("/licensing/").content.decode()
    renewal = _apply(client, broker_admin)
    client.force_login(officer)
    client.cookies["django_language"] = "vi"
    assert "Số ngày làm việc còn lại" in client.get("/customs/applications/").content.decode()
    committed(client, f"/customs/applications/renewal/{renewal.pk}/refuse/", {"reason": "Thiếu"})
    to_admin = next(m for m in mail.outbox if "admin@broker.test" in m.to)
    assert to_admin.subject.startswith("Hồ sơ bị từ chối")
    assert "Lý do:" in to_admin.body
