"""Who may see or change what: the one place every view and API view asks.

Rules are per organisation and role. A rule that hides an object from a user
makes the view answer 404, so that nobody learns another organisation's ids.
"""

from django.contrib.auth.models import AnonymousUser

from accounts.models import Organization, User

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


# --- broker register and customs actions (issues 3 and 7) ---


def can_administer_brokers(user: AnyUser) -> bool:
    """Customs officers (any active user of the customs organisation) suspend, reinstate
    and revoke brokers and withdraw agents' codes."""
    return is_customs(user) and user.is_active


# --- contracts and letters (issue 5) ---


# --- compliance and dashboard (issues 6 and 7) ---


def can_see_customs_dashboard(user: AnyUser) -> bool:
    """The customs dashboard (and running the scan from it) is for customs officers only."""
    return is_customs(user) and user.is_active


# --- audit log ---


def can_read_audit_log(user: AnyUser) -> bool:
    """Customs officers read the whole log; an organisation's admin the entries about it."""
    return is_customs(user) or is_organization_admin(user)
