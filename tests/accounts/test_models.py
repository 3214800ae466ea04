from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import Organization, SigningCertificate, User
from accounts.provinces import Province
from accounts.services import organization_create, user_create
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_vietnam_has_34_provinces_with_diacritics() -> None:
    assert len(Province.choices) == 34
    assert Province.HAI_PHONG.label == "Hải Phòng"
    assert Province.HO_CHI_MINH.label == "Thành phố Hồ Chí Minh"


def test_organization_create_stores_the_normalised_tax_code() -> None:
    organization = organization_create(
        kind=Organization.Kind.TRADER,
        name="  Công ty TNHH Hải Đăng ",
        tax_code="0100109106 001",
        province=Province.HA_NOI,
    )
    organization.refresh_from_db()
    assert organization.tax_code == "0100109106-001"
    assert organization.name == "Công ty TNHH Hải Đăng"


def test_organization_create_refuses_a_bad_tax_code_and_stores_nothing() -> None:
    with pytest.raises(ValidationError) as error:
        organization_create(
            kind=Organization.Kind.TRADER, name="X", tax_code="0100109107", province="ha-noi"
        )
    assert "tax_code" in error.value.message_dict
    assert not Organization.objects.exists()


def test_one_organization_per_tax_code() -> None:
    OrganizationFactory(tax_code="0100109106")
    with pytest.raises(ValidationError) as error:
        organization_create(
            kind=Organization.Kind.TRADER, name="Y", tax_code="0100109106", province="ha-noi"
        )
    assert "tax_code" in error.value.message_dict
    assert error.value.message_dict["tax_code"] == [
        "An organisation with this tax code is already registered."
    ]


def test_a_certificate_valid_until_before_it_is_valid_from_is_refused_in_words() -> None:
    starts = timezone.now()
    certificate = SigningCertificate(
        organization=OrganizationFactory.create(),
        serial_number="1A2B",
        subject="CN=Công ty",
        issuer="CN=CA",
        not_before=starts,
        not_after=starts - timedelta(days=1),
        fingerprint_sha256="0" * 64,
        der=b"0",
    )
    with pytest.raises(ValidationError) as error:
        certificate.full_clean()
    assert error.value.messages == ["The certificate's validity ends before it starts."]


def test_database_refuses_a_tax_code_that_is_not_normalised() -> None:
    with pytest.raises(IntegrityError):
        Organization.objects.create(
            kind="trader", name="Z", tax_code="0100109106001", province="ha-noi"
        )


def test_user_signs_in_by_email_and_belongs_to_an_organization() -> None:
    organization = OrganizationFactory.create()
    user = user_create(
        email="Mai.Tran@Example.TEST",
        password="a long enough passphrase",
        organization=organization,
        role=User.Role.ADMIN,
    )
    assert User.USERNAME_FIELD == "email"
    assert user.email == "mai.tran@example.test"
    assert user.check_password("a long enough passphrase")
    assert user.is_org_admin
    assert user.password_changed_at is not None
    assert list(organization.users.all()) == [user]


def test_email_is_unique_whatever_the_case() -> None:
    user_create(email="a@example.test", password="x" * 12, organization=None)
    with pytest.raises((IntegrityError, ValidationError)):
        User.objects.create(email="A@example.test")
