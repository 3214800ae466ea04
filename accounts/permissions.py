"""Who may see or change what: the roles, and the rules of accounts, the register's admin,
the customs area and the audit log.

Rules are per organisation and role. Each app states its own rules on these roles in its
``permissions`` module (``contracts.permissions``, ``compliance.permissions``); every view and
API view asks there. A rule that hides an object from a user makes the view answer 404, so
that nobody learns another organisation's ids.
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


def can_read_certificates(user: AnyUser, organization: Organization | None) -> bool:
    return (
        organization is not None
        and isinstance(user, User)
        and user.is_active
        and user.organization_id == organization.pk
    )


def can_report_abuse(user: AnyUser) -> bool:
    return is_trader(user)


def can_answer_abuse_reports(user: AnyUser) -> bool:
    return is_customs(user)


def can_see_abuse_reports(user: AnyUser) -> bool:
    """The list of reports: traders see their own, customs all of them."""
    return can_report_abuse(user) or can_answer_abuse_reports(user)


def can_read_abuse_report(user: AnyUser, report: AbuseReport) -> bool:
    """Customs sees every report; a trader the reports of its own organisation."""
    if is_customs(user):
        return True
    return isinstance(user, User) and user.organization_id == report.organization_id


def can_administer_register(user: AnyUser) -> bool:
    """The register's Django admin is for customs officers with admin access (and superusers)."""
    if not isinstance(user, User) or not user.is_active or not user.is_staff:
        return False
    return user.is_superuser or is_customs(user)


def can_manage_trust_list(user: AnyUser) -> bool:
    """Customs officers keep the trust list of CA certificates."""
    return is_customs(user) and user.is_active


def can_administer_brokers(user: AnyUser) -> bool:
    """Customs officers (any active user of the customs organisation) suspend, reinstate
    and revoke brokers and withdraw agents' codes."""
    return is_customs(user) and user.is_active


def can_read_audit_log(user: AnyUser) -> bool:
    """Customs officers read the whole log; an organisation's admin the entries about it."""
    return is_customs(user) or is_organization_admin(user)
