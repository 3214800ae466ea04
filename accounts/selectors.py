"""Reads for accounts: login history, the audit log, staff, certificates, abuse reports, API
tokens."""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import suppress
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Upper
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import (
    DEFAULT_LANGUAGE,
    AbuseReport,
    ApiToken,
    Invitation,
    LoginEvent,
    Organization,
    SigningCertificate,
    User,
)
from accounts.permissions import can_manage_organization, is_customs
from accounts.taxcode import tax_code_normalize
from audit.models import AuditEntry


def login_events_visible_to(
    user: User, *, user_id: int | None = None, kind: str = ""
) -> QuerySet[LoginEvent]:
    """A user's own events; for an organisation admin, every account of the organisation,
    optionally narrowed to one user and one outcome."""
    events = LoginEvent.objects.select_related("user")
    if user.organization_id is not None and can_manage_organization(user, user.organization):
        events = events.filter(organization_id=user.organization_id)
        if user_id is not None:
            events = events.filter(user_id=user_id)
    else:
        events = events.filter(user=user)
    if kind:
        events = events.filter(kind=kind)
    return events


def organization_users(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(organization=organization).order_by("email")


class SecondFactors(NamedTuple):
    """What a user holds to prove it is them after the password."""

    authenticators: int = 0
    passkeys: int = 0
    backup_codes: int = 0

    @property
    def any(self) -> bool:
        return bool(self.authenticators or self.passkeys or self.backup_codes)


def users_second_factors(users: QuerySet[User]) -> dict[int, SecondFactors]:
    """Each user's authenticators, passkeys and unused backup codes, in three queries; a
    user with none of them is left out."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    per_user: list[tuple[str, QuerySet[Any], str]] = [
        ("authenticators", TOTPDevice.objects.filter(user__in=users, confirmed=True), "user_id"),
        ("passkeys", WebAuthnCredential.objects.filter(user__in=users, confirmed=True), "user_id"),
        (
            "backup_codes",
            StaticToken.objects.filter(device__user__in=users, device__name="backup"),
            "device__user_id",
        ),
    ]
    for field, rows, user_field in per_user:
        for user_id, number in (
            rows.order_by()
            .values(user_field)
            .annotate(number=Count("id"))
            .values_list(user_field, "number")
        ):
            counts[user_id][field] = number
    return {user_id: SecondFactors(**found) for user_id, found in counts.items()}


def user_second_factors(user: User) -> SecondFactors:
    return users_second_factors(User.objects.filter(pk=user.pk)).get(user.pk, SecondFactors())


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization, accepted_at__isnull=True)


def user_totp_devices(user: User) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name="backup").count()


def user_passkeys(user: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("id")


def organization_certificates(organization: Organization) -> QuerySet[SigningCertificate]:
    return SigningCertificate.objects.filter(organization=organization).select_related(
        "uploaded_by"
    )


def signing_certificates_registered(fingerprints: Iterable[str]) -> dict[str, SigningCertificate]:
    """The registered, unrevoked certificates with these SHA-256 fingerprints, by fingerprint,
    with their organisation: whom a signature made with one of them counts for."""
    return {
        certificate.fingerprint_sha256: certificate
        for certificate in SigningCertificate.objects.filter(
            fingerprint_sha256__in=[value for value in fingerprints if value],
            revoked_at__isnull=True,
        ).select_related("organization")
    }


def abuse_reports_visible_to(user: User) -> QuerySet[AbuseReport]:
    reports = AbuseReport.objects.select_related("organization", "reporter")
    if is_customs(user):
        return reports
    if user.organization_id is None:
        return reports.none()
    return reports.filter(organization_id=user.organization_id)


def organization_api_tokens(organization: Organization) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user__organization=organization).select_related("user")


class Recipient(NamedTuple):
    """An e-mail address and the language its reader gets messages in."""

    email: str
    language: str


def address_languages(addresses: Iterable[str]) -> dict[str, str]:
    """The language of each address that belongs to a user, in one query; an address with no
    user (an organisation's own, an invited person's) is left out and reads Vietnamese."""
    return dict(
        User.objects.filter(email__in={address.lower() for address in addresses}).values_list(
            "email", "language"
        )
    )


def address_recipients(addresses: Iterable[str]) -> list[Recipient]:
    addresses = list(addresses)
    languages = address_languages(addresses)
    return [
        Recipient(address, languages.get(address.lower(), DEFAULT_LANGUAGE))
        for address in addresses
    ]


def organization_recipients(
    organization_ids: Iterable[int], *, with_organization_address: bool = True
) -> dict[int, list[Recipient]]:
    """Where to e-mail each organisation, and in which language: its active admins in their
    own, and unless told otherwise its own address (in the language of the user who has it,
    Vietnamese when nobody does). Three queries at most; organisations with nobody to write
    to are left out."""
    ids = set(organization_ids)
    recipients: dict[int, dict[str, str]] = defaultdict(dict)
    admins = User.objects.filter(
        organization_id__in=ids, role=User.Role.ADMIN, is_active=True
    ).values_list("organization_id", "email", "language")
    for organization_id, email, language in admins:
        recipients[organization_id][email] = language
    if with_organization_address:
        addresses = dict(
            Organization.objects.filter(pk__in=ids).exclude(email="").values_list("pk", "email")
        )
        languages = address_languages(addresses.values())
        for organization_id, email in addresses.items():
            recipients[organization_id].setdefault(
                email, languages.get(email.lower(), DEFAULT_LANGUAGE)
            )
    return {
        pk: [Recipient(email, language) for email, language in sorted(found.items())]
        for pk, found in recipients.items()
    }


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """Customs sees every entry; an organisation's admin sees the entries about it."""
    entries = AuditEntry.objects.select_related("organization", "counterparty")
    if is_customs(user):
        return entries
    if user.organization_id is None:
        return entries.none()
    return entries.filter(
        Q(organization_id=user.organization_id) | Q(counterparty_id=user.organization_id)
    )


def audit_entries_about(entries: QuerySet[AuditEntry], identifier: str) -> QuerySet[AuditEntry]:
    """The ``entries`` about what ``identifier`` names: the organisation with that tax code
    or the broker with that licence number (the entries naming it as either of their two
    organisations), or the object with that reference, such as a contract's reference or a
    letter's number (the label the entry recorded). One query to find the organisations; the
    entries are then read through indexes only."""
    # Licence numbers are issued in capitals; exact values keep the unique index usable.
    # ``broker`` is the register's one-to-one on the organisation: a lookup, not an import.
    named = Q(broker__license_number__in={identifier, identifier.upper()})
    with suppress(ValidationError):  # unless it is not a tax code
        named |= Q(tax_code=tax_code_normalize(identifier))
    # Ids, not a subquery: PostgreSQL filters every entry against a subquery in an OR, but
    # combines the three indexes for a list of values.
    organizations = list(Organization.objects.filter(named).values_list("pk", flat=True))
    return entries.alias(label_upper=Upper("object_label")).filter(
        Q(organization__in=organizations)
        | Q(counterparty__in=organizations)
        | Q(label_upper=identifier.upper())  # the label index's expression; upper() folds đ
    )
