import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.certificates import certificate_read
from accounts.models import SigningCertificate, User
from audit.models import AuditEntry
from tests.factories import (
    SigningCertificateFactory,
    UserFactory,
    minimal_pdf,
    signing_certificate_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return UserFactory.create(role=User.Role.ADMIN)


def test_a_pem_certificate_is_read_with_serial_subject_issuer_and_validity() -> None:
    content = signing_certificate_bytes(common_name="Công ty Sao Việt", serial=0x00ABCDEF01)
    details = certificate_read(content)
    assert details.serial_number == "ABCDEF01"
    assert details.subject == "CN=Công ty Sao Việt"
    assert details.issuer == "CN=VNPT-CA Test"
    assert details.not_after > details.not_before
    parsed = x509.load_pem_x509_certificate(content)
    assert details.der == parsed.public_bytes(serialization.Encoding.DER)


def test_a_der_certificate_is_read_too() -> None:
    details = certificate_read(signing_certificate_bytes(serial=4096, pem=False))
    assert details.serial_number == "1000"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello, I am not a certificate",
        b"-----BEGIN CERTIFICATE-----\nbroken\n",
        minimal_pdf(),
    ],
)
def test_anything_that_is_not_a_certificate_is_refused(content: bytes) -> None:
    with pytest.raises(ValidationError):
        certificate_read(content)


def test_the_admin_uploads_a_certificate(client: Client, admin: User) -> None:
    client.force_login(admin)
    upload = SimpleUploadedFile("chuky.cer", signing_certificate_bytes(serial=0x5A5A, pem=False))
    response = client.post(reverse("accounts:certificate_list"), {"file": upload}, follow=True)
    assert "Certificate 5A5A is registered." in response.content.decode()
    certificate = SigningCertificate.objects.get()
    assert (certificate.organization, certificate.uploaded_by) == (admin.organization, admin)
    assert AuditEntry.objects.filter(action="certificate.register").count() == 1
    assert "5A5A" in client.get(reverse("accounts:certificate_list")).content.decode()


def test_a_file_that_is_not_a_certificate_gets_a_clear_message(client: Client, admin: User) -> None:
    client.force_login(admin)
    upload = SimpleUploadedFile("chuky.cer", minimal_pdf())
    response = client.post(reverse("accounts:certificate_list"), {"file": upload})
    assert "This file is not an X.509 certificate." in response.content.decode()
    assert not SigningCertificate.objects.exists()


def test_the_same_certificate_twice_is_refused(client: Client, admin: User) -> None:
    content = signing_certificate_bytes()
    client.force_login(admin)
    client.post(
        reverse("accounts:certificate_list"), {"file": SimpleUploadedFile("a.pem", content)}
    )
    response = client.post(
        reverse("accounts:certificate_list"), {"file": SimpleUploadedFile("a.pem", content)}
    )
    assert "already registered to your organisation" in response.content.decode()
    other_admin = UserFactory.create(role=User.Role.ADMIN)
    client.force_login(other_admin)
    response = client.post(
        reverse("accounts:certificate_list"), {"file": SimpleUploadedFile("a.pem", content)}
    )
    assert "registered to another organisation" in response.content.decode()
    assert SigningCertificate.objects.count() == 1


def test_the_admin_marks_a_certificate_revoked(client: Client, admin: User) -> None:
    certificate = SigningCertificateFactory.create(organization=admin.organization)
    client.force_login(admin)
    client.post(reverse("accounts:certificate_revoke", args=[certificate.pk]))
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert AuditEntry.objects.filter(action="certificate.revoke").count() == 1
    response = client.post(
        reverse("accounts:certificate_revoke", args=[certificate.pk]), follow=True
    )
    assert "This certificate is already revoked." in response.content.decode()


def test_staff_see_the_certificates_but_cannot_upload_or_revoke(
    client: Client, admin: User
) -> None:
    certificate = SigningCertificateFactory.create(organization=admin.organization)
    client.force_login(UserFactory.create(organization=admin.organization))
    html = client.get(reverse("accounts:certificate_list")).content.decode()
    assert certificate.serial_number in html and "Upload" not in html
    upload = SimpleUploadedFile("a.pem", signing_certificate_bytes())
    assert client.post(reverse("accounts:certificate_list"), {"file": upload}).status_code == 403
    assert (
        client.post(reverse("accounts:certificate_revoke", args=[certificate.pk])).status_code
        == 403
    )
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_certificates_need_a_signed_in_user(client: Client) -> None:
    response = client.get(reverse("accounts:certificate_list"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
