"""Only customs keep the trust list; each change is on the audit log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Organization, TrustedCertificate
from audit.models import AuditAction, AuditEntry
from tests.factories import OrganizationFactory, UserFactory
from tests.signing import authority

pytestmark = pytest.mark.django_db

URL = "/customs/trust-list/"


def _officer():  # type: ignore[no-untyped-def]
    user = UserFactory.create(
        organization=OrganizationFactory.create(kind=Organization.Kind.CUSTOMS)
    )
    return user


def test_an_officer_adds_and_removes_a_ca_certificate(client: Client) -> None:
    client.force_login(_officer())
    ca = authority("VNPT-CA Thử nghiệm")
    response = client.post(URL, {"file": SimpleUploadedFile("ca.cer", ca.der)}, follow=True)
    assert "VNPT-CA Thử nghiệm" in response.content.decode()
    certificate = TrustedCertificate.objects.get()
    assert AuditEntry.objects.filter(action=AuditAction.TRUST_LIST_ADD).count() == 1
    client.post(f"{URL}{certificate.pk}/remove/")
    certificate.refresh_from_db()
    assert certificate.removed_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.TRUST_LIST_REMOVE).count() == 1


def test_not_a_certificate_is_refused(client: Client) -> None:
    client.force_login(_officer())
    response = client.post(URL, {"file": SimpleUploadedFile("x.cer", b"%PDF-1.4 nope")})
    assert "not an X.509 certificate" in response.content.decode()
    assert not TrustedCertificate.objects.exists()


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_manage_the_trust_list(client: Client, kind: str) -> None:
    client.force_login(UserFactory.create(organization=OrganizationFactory.create(kind=kind)))
    assert client.get(URL).status_code in (403, 404)
    ca = authority()
    client.post(URL, {"file": SimpleUploadedFile("ca.cer", ca.der)})
    assert not TrustedCertificate.objects.exists()


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert client.get(URL).status_code == 302
