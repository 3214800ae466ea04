"""Reads for accounts: login history, staff, certificates, abuse reports, API tokens."""

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    AbuseReport,
    ApiToken,
    Invitation,
    LoginEvent,
    Organization,
    SigningCertificate,
    User,
)
from accounts.permissions import can_manage_organization, is_customs


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


def users_with_2fa(users: QuerySet[User]) -> set[int]:
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization, accepted_at__isnull=True)


def user_totp_devices(user: User) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name="backup").count()


def organization_certificates(organization: Organization) -> QuerySet[SigningCertificate]:
    return SigningCertificate.objects.filter(organization=organization).select_related(
        "uploaded_by"
    )


def abuse_reports_visible_to(user: User, *, status: str = "") -> QuerySet[AbuseReport]:
    reports = AbuseReport.objects.select_related("organization", "reporter")
    if not is_customs(user):
        if user.organization_id is None:
            return reports.none()
        reports = reports.filter(organization_id=user.organization_id)
    if status:
        reports = reports.filter(status=status)
    return reports


def organization_api_tokens(organization: Organization) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user__organization=organization).select_related("user")
