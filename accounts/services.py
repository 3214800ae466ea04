"""Writes for organisations and users."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization, User
from accounts.taxcode import tax_code_normalize


@transaction.atomic
def organization_create(
    *,
    kind: str,
    name: str,
    tax_code: str,
    province: str,
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Organization:
    """Create an organisation with its tax code validated and stored in canonical form."""
    try:
        normalised_tax_code = tax_code_normalize(tax_code)
    except ValidationError as error:
        raise ValidationError({"tax_code": error.error_list}) from error
    organization = Organization(
        kind=kind,
        name=name.strip(),
        tax_code=normalised_tax_code,
        province=province,
        address=address.strip(),
        phone=phone.strip(),
        email=email.strip().lower(),
    )
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    organization: Organization | None,
    role: str = User.Role.STAFF,
    full_name: str = "",
    phone: str = "",
) -> User:
    """Create a user of an organisation; the password is hashed, never stored in clear."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        organization=organization,
        role=role,
        full_name=full_name.strip(),
        phone=phone.strip(),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
