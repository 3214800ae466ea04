"""Writes for organisations and users; the security services are in the modules beside this one."""

import hashlib
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import (
    Organization,
    User,
)
from accounts.taxcode import tax_code_normalize
from audit.models import AuditAction
from audit.services import audit_record


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


def key_digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


SECURITY_POLICY_FIELDS = (
    "require_2fa",
    "require_phishing_resistant",
    "password_max_age_days",
    "require_verified_contract_signatures",
)


@transaction.atomic
def organization_security_policy_update(
    *,
    organization: Organization,
    require_2fa: bool,
    password_max_age_days: int | None,
    by: User,
    require_phishing_resistant: bool = False,
    require_verified_contract_signatures: bool = False,
) -> Organization:
    """Set an organisation's second-factor requirements (any factor, or a passkey only),
    maximum password age and, for a trader, whether only contracts with verified
    signatures may be confirmed, on the record."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = {name: getattr(organization, name) for name in SECURITY_POLICY_FIELDS}
    organization.require_2fa = require_2fa
    organization.require_phishing_resistant = require_phishing_resistant
    organization.password_max_age_days = password_max_age_days
    organization.require_verified_contract_signatures = (
        require_verified_contract_signatures and organization.kind == Organization.Kind.TRADER
    )
    # Only the policy changes: the other fields are checked where they are written.
    organization.full_clean(
        exclude=[
            field.name
            for field in Organization._meta.fields
            if field.name not in SECURITY_POLICY_FIELDS
        ],
        validate_unique=False,
    )
    organization.save(update_fields=list(SECURITY_POLICY_FIELDS))
    audit_record(
        action=AuditAction.ORGANIZATION_SECURITY_POLICY,
        obj=organization,
        actor=by,
        organization=organization,
        before=before,
        after={name: getattr(organization, name) for name in SECURITY_POLICY_FIELDS},
    )
    return organization


def password_expired(user: User) -> bool:
    """Whether the organisation's maximum password age has passed for this user."""
    organization = user.organization
    if organization is None or not organization.password_max_age_days:
        return False
    changed_at = user.password_changed_at or user.date_joined
    return changed_at + timedelta(days=organization.password_max_age_days) < timezone.now()


@transaction.atomic
def trader_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    organization_name: str,
    tax_code: str,
    province: str,
    phone: str = "",
) -> User:
    """Register a trader organisation and its first user, who becomes its admin."""
    organization = organization_create(
        kind=Organization.Kind.TRADER,
        name=organization_name,
        tax_code=tax_code,
        province=province,
        email=email,
        phone=phone,
    )
    candidate = User(email=email, organization=organization, phone=phone, full_name=full_name)
    validate_password(password, candidate)
    return user_create(
        email=email,
        password=password,
        organization=organization,
        role=User.Role.ADMIN,
        full_name=full_name,
        phone=phone,
    )
