"""Who may see or change what: the one place every view and API view asks.

Rules are per organisation and role. A rule that hides an object from a user
makes the view answer 404, so that nobody learns another organisation's ids.
"""

from django.contrib.auth.models import AnonymousUser

from accounts.models import AbuseReport, Organization, User

AnyUser = User | AnonymousUser


def organization_of(user: AnyUser) -> Organization | None:
    if not user.is_authenticated or not isinstance(user, User):
        return None
    return user.organization


def is_customs(user: AnyUser) -> bool:
    organization = organization_of(user)
    return organization is not None and organization.kind == Organization.Kind.CUSTOMS


def is_trader(user: AnyUser) -> bool:
    organization = organization_of(user)
    return organization is not None and organization.kind == Organization.Kind.TRADER


def is_broker(user: AnyUser) -> bool:
    organization = organization_of(user)
    return organization is not None and organization.kind == Organization.Kind.BROKER


def is_organization_admin(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and user.is_org_admin


# --- accounts and security (issue 4) ---


def can_manage_organization(user: AnyUser, organization: Organization | None) -> bool:
    """Security policy, staff, certificates and API tokens: the organisation's own admin."""
    return (
        organization is not None
        and is_organization_admin(user)
        and isinstance(user, User)
        and user.organization_id == organization.pk
    )


def can_manage_user(user: AnyUser, other: User) -> bool:
    return can_manage_organization(user, other.organization)


def can_read_certificates(user: AnyUser, organization: Organization) -> bool:
    return isinstance(user, User) and user.is_active and user.organization_id == organization.pk


def can_report_abuse(user: AnyUser) -> bool:
    return is_trader(user)


def can_answer_abuse_reports(user: AnyUser) -> bool:
    return is_customs(user)


def can_read_abuse_report(user: AnyUser, report: AbuseReport) -> bool:
    """Customs sees every report; a trader the reports of its own organisation."""
    if is_customs(user):
        return True
    return isinstance(user, User) and user.organization_id == report.organization_id


# --- broker register and customs actions (issues 3 and 7) ---


# --- contracts and letters (issue 5) ---


# --- compliance and dashboard (issues 6 and 7) ---


# --- audit log ---


def can_read_audit_log(user: AnyUser) -> bool:
    """Customs officers read the whole log; an organisation's admin the entries about it."""
    return is_customs(user) or is_organization_admin(user)
