"""A company applies to be recognised as a customs broker; customs approves or refuses."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Organization, User
from accounts.provinces import Province
from audit.models import AuditAction, AuditEntry
from brokers.models import Broker
from licensing.models import ApplicationStatus, RecognitionApplication
from tests.contracts.hostile_pdfs import HOSTILE_PDFS
from tests.factories import (
    BrokerFactory,
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
    minimal_pdf,
)

pytestmark = pytest.mark.django_db

TODAY = date.today()
URL = "/licensing/recognition/"


@pytest.fixture
def applicant() -> User:
    """The admin of a company that signed up and is not a broker yet."""
    return UserFactory.create(
        organization=OrganizationFactory.create(
            kind=Organization.Kind.TRADER, name="Công ty TNHH Logistics Sông Hàn", email=""
        ),
        role=User.Role.ADMIN,
        email="director@songhan.test",
    )


@pytest.fixture
def storage(tmp_path: Path):
    from django.core.files.storage import FileSystemStorage

    field = RecognitionApplication._meta.get_field("business_registration")
    original = field.storage  # type: ignore[union-attr]
    field.storage = FileSystemStorage(location=tmp_path, base_url=None)  # type: ignore[union-attr]
    yield tmp_path
    field.storage = original  # type: ignore[union-attr]


def _form(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Công ty TNHH Đại lý Hải quan Sông Hàn",
        "address": "12 Bạch Đằng",
        "province": Province.DA_NANG,
        "phone": "0236 3822 111",
        "email": "info@songhan.test",
        "business_registration": SimpleUploadedFile("dkkd.pdf", minimal_pdf(), "application/pdf"),
        "staff": "Nguyễn Văn An; CC-001\nTrần Thị Bình; CC-002\n",
    }
    data.update(values)
    return data


def test_approval_puts_the_company_on_the_register_with_its_licence(
    client: Client,
    applicant: User,
    officer: User,
    storage: Path,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(applicant)
    assert 'value="Công ty TNHH Logistics Sông Hàn"' in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form())
    application = RecognitionApplication.objects.get()
    assert response.status_code == 302
    assert application.staff == [
        {"full_name": "Nguyễn Văn An", "certificate_number": "CC-001"},
        {"full_name": "Trần Thị Bình", "certificate_number": "CC-002"},
    ]
    assert officer.email in mail.outbox[0].to
    page = client.get(f"/licensing/applications/recognition/{application.pk}/").content.decode()
    assert "Submitted, awaiting decision" in page and "CC-002" in page

    client.force_login(officer)
    page = client.get(f"/customs/applications/recognition/{application.pk}/").content.decode()
    assert f'value="DL-{TODAY.year}-00001"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/customs/applications/recognition/{application.pk}/approve/",
            {"license_number": "DL-2026-00901", "valid_until": TODAY + timedelta(days=1825)},
        )

    assert response.status_code == 302
    broker = Broker.objects.select_related("organization").get(license_number="DL-2026-00901")
    assert broker.organization_id == applicant.organization_id
    assert broker.organization.kind == Organization.Kind.BROKER
    assert broker.organization.name == "Công ty TNHH Đại lý Hải quan Sông Hàn"
    assert broker.organization.province == Province.DA_NANG
    assert broker.issued_on == TODAY
    public = client.get("/api/v1/brokers/?q=song han").json()
    assert [b["license_number"] for b in public["results"]] == ["DL-2026-00901"]
    approval = [m for m in mail.outbox if "director@songhan.test" in m.to]
    assert len(approval) == 1
    assert approval[0].subject.startswith("Hồ sơ được chấp thuận")  # nobody chose English
    assert list(
        AuditEntry.objects.filter(object_type="licensing.recognitionapplication")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [AuditAction.APPLICATION_SUBMIT, AuditAction.APPLICATION_APPROVE]
    # The company's users now work as a broker's.
    client.force_login(applicant)
    assert "DL-2026-00901" in client.get("/licensing/").content.decode()


def test_a_licence_number_already_held_is_refused_and_nothing_changes(
    client: Client, applicant: User, officer: User, storage: Path
) -> None:
    BrokerFactory.create(license_number="DL-TAKEN")
    client.force_login(applicant)
    client.post(URL, _form())
    application = RecognitionApplication.objects.get()
    client.force_login(officer)
    response = client.post(
        f"/customs/applications/recognition/{application.pk}/approve/",
        {"license_number": "DL-TAKEN", "valid_until": TODAY + timedelta(days=100)},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Organization.objects.get(users=applicant).kind == "trader"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_refusal_keeps_the_company_off_the_register(
    client: Client, applicant: User, officer: User, storage: Path
) -> None:
    client.force_login(applicant)
    client.post(URL, _form())
    application = RecognitionApplication.objects.get()
    client.force_login(officer)
    client.post(
        f"/customs/applications/recognition/{application.pk}/refuse/",
        {"reason": "Không đủ điều kiện về nhân sự"},
    )
    assert not Broker.objects.exists()
    client.force_login(applicant)
    page = client.get(URL).content.decode()
    assert "Refused" in page
    # Refused, the company may apply again.
    assert client.post(URL, _form()).status_code == 302


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"staff": ""}, "This field is required."),
        ({"staff": "Nguyễn Văn An CC-001"}, "Line 1: write the full name, a semicolon"),
        ({"staff": "An; CC-1\nBình; CC-1"}, "A certificate number is given twice."),
        ({"staff": "An\x00; CC-1"}, "Null characters are not allowed."),
        ({"province": "atlantis"}, "Select a valid choice."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": "x" * 300}, "at most 255 characters"),
        (
            {"business_registration": SimpleUploadedFile("a.pdf", b"GIF89a", "application/pdf")},
            "not a PDF document",
        ),
        (
            {
                "business_registration": SimpleUploadedFile(
                    "a.pdf", HOSTILE_PDFS[0].build(), "application/pdf"
                )
            },
            HOSTILE_PDFS[0].message,
        ),
    ],
)
def test_bad_input_is_refused_with_a_message(
    client: Client, applicant: User, storage: Path, values, message
) -> None:
    client.force_login(applicant)
    response = client.post(URL, _form(**values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RecognitionApplication.objects.exists()
    assert [path for path in storage.rglob("*") if path.is_file()] == []


def test_a_company_with_contracts_as_a_trader_cannot_apply(
    client: Client, applicant: User, storage: Path
) -> None:
    ServiceContractFactory.create(trader=applicant.organization)
    client.force_login(applicant)
    response = client.post(URL, _form())
    assert response.status_code == 400
    assert "holds service contracts as a trader" in response.content.decode()
    assert not RecognitionApplication.objects.exists()


def test_one_application_at_a_time(client: Client, applicant: User, storage: Path) -> None:
    client.force_login(applicant)
    client.post(URL, _form())
    response = client.post(URL, _form())
    assert response.status_code == 400
    assert "already has an application awaiting a decision" in response.content.decode()


def test_who_may_apply_and_decide(client: Client, applicant: User, storage: Path) -> None:
    assert client.get(URL).status_code == 302  # anonymous: to the sign-in page
    staff = UserFactory.create(organization=applicant.organization, role=User.Role.STAFF)
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    broker_admin = UserFactory.create(
        organization=BrokerFactory.create().organization, role=User.Role.ADMIN
    )
    client.force_login(broker_admin)
    assert client.get(URL).status_code == 403

    client.force_login(applicant)
    client.post(URL, _form())
    application = RecognitionApplication.objects.get()
    # The applicant cannot approve itself, nor can a broker read it.
    response = client.post(
        f"/customs/applications/recognition/{application.pk}/approve/",
        {"license_number": "DL-ME", "valid_until": TODAY + timedelta(days=100)},
    )
    assert response.status_code == 403
    assert not Broker.objects.filter(license_number="DL-ME").exists()
    client.force_login(broker_admin)
    for url in [
        f"/licensing/applications/recognition/{application.pk}/",
        f"/licensing/applications/recognition/{application.pk}/document.pdf",
    ]:
        assert client.get(url).status_code == 404
