"""/customs/register/import/: the upload page of the official list, dry run then confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Organization
from audit.models import AuditAction, AuditEntry
from brokers.models import Broker
from licensing.models import RegisterImport
from tests.factories import BrokerFactory, OrganizationFactory, UserFactory, valid_tax_code
from tests.licensing.conftest import firm_line, register_csv

pytestmark = pytest.mark.django_db

URL = "/customs/register/import/"


def _upload(client: Client, content: bytes, name: str = "list.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_the_dry_run_shows_the_changes_and_the_confirmation_loads_them(client, officer) -> None:
    BrokerFactory.create(
        license_number="DL-IMP-001",
        organization=OrganizationFactory.create(
            kind=Organization.Kind.BROKER, tax_code=valid_tax_code(9001), name="Old name"
        ),
    )
    client.force_login(officer)

    response = _upload(
        client, register_csv([firm_line(1), firm_line(2), firm_line(3, province="Mars")])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run, nothing changed yet:" in page
    assert "1 created, 1 updated, 0 unchanged, 1 errors." in page
    assert "<del>Old name</del>" in page
    assert "Unknown province “Mars”." in page
    assert Broker.objects.count() == 1
    pending = RegisterImport.objects.get()

    response = client.post(f"{URL}{pending.pk}/apply/")

    assert response.status_code == 200
    assert (
        "The list is loaded: 1 created, 1 updated, 0 unchanged, 1 errors."
        in response.content.decode()
    )
    assert Broker.objects.count() == 2
    assert Broker.objects.get(license_number="DL-IMP-001").organization.name.endswith("Số 1")
    entry = AuditEntry.objects.get(action=AuditAction.REGISTER_IMPORT)
    assert entry.actor == officer
    # A confirmation replayed (back button, double click) loads nothing twice.
    assert client.post(f"{URL}{pending.pk}/apply/").status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.REGISTER_IMPORT).count() == 1


def test_the_page_is_in_vietnamese(client, officer) -> None:
    client.force_login(officer)
    client.cookies["django_language"] = "vi"
    response = client.post(URL, {"file": SimpleUploadedFile("l.csv", register_csv([firm_line(1)]))})
    assert "Tải danh sách chính thức" in response.content.decode()


def test_a_file_whose_lines_all_fail_offers_nothing_to_confirm(client, officer) -> None:
    client.force_login(officer)

    response = _upload(
        client, register_csv([firm_line(1, tax_code="1"), firm_line(2, tax_code="2")])
    )

    assert response.status_code == 400
    assert "0 created, 0 updated, 0 unchanged, 2 errors." in response.content.decode()
    assert 'id="import-confirm"' not in response.content.decode()
    assert not RegisterImport.objects.exists()
    assert not Broker.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Licence number\nDL-1\n", "The file lacks the column(s)"),
        ("Số giấy phép".encode("utf-16"), "not in UTF-8"),
        (b"PK\x03\x04junk", "not an XLSX workbook"),
        (b"\x00\x00\x00", "This is not a CSV file."),
    ],
)
def test_a_bad_file_is_refused_with_a_message(client, officer, content, message) -> None:
    client.force_login(officer)

    response = _upload(client, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_no_file_is_refused(client, officer) -> None:
    client.force_login(officer)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("kind", [Organization.Kind.BROKER, Organization.Kind.TRADER])
def test_brokers_and_traders_may_neither_upload_nor_confirm(client, officer, kind) -> None:
    client.force_login(officer)
    _upload(client, register_csv([firm_line(1)]))
    pending = RegisterImport.objects.get()
    client.force_login(UserFactory.create(organization__kind=kind, role="admin"))

    assert client.get(URL).status_code == 403
    assert _upload(client, register_csv([firm_line(2)])).status_code == 403
    assert client.post(f"{URL}{pending.pk}/apply/").status_code == 403
    assert not Broker.objects.exists()


def test_the_confirmation_is_a_post(client, officer) -> None:
    client.force_login(officer)
    _upload(client, register_csv([firm_line(1)]))
    pending = RegisterImport.objects.get()
    assert client.get(f"{URL}{pending.pk}/apply/").status_code == 405
    assert client.post(f"{URL}999999/apply/").status_code == 404
    assert not Broker.objects.exists()


def test_the_customs_broker_list_links_to_the_page(client, officer) -> None:
    client.force_login(officer)
    assert f'href="{URL}"' in client.get("/customs/brokers/").content.decode()
