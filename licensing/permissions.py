"""Who may do what in licensing, on the roles of ``accounts.permissions``."""

from accounts.permissions import AnyUser, is_broker, is_customs, organization_of
from licensing.kinds import AnyApplication, application_organization_id


def can_load_register(user: AnyUser) -> bool:
    """Customs officers load the official list of brokers."""
    return is_customs(user) and user.is_active


def can_decide_applications(user: AnyUser) -> bool:
    """Customs officers ask for information on, approve and refuse applications."""
    return is_customs(user) and user.is_active


def can_apply_as_broker(user: AnyUser) -> bool:
    """A broker's users (admin or staff) apply for a renewal of its licence and for agent
    codes, and follow their applications."""
    return is_broker(user) and user.is_active


def can_read_application(user: AnyUser, application: AnyApplication) -> bool:
    """Customs, and the users of the organisation that applied."""
    if can_decide_applications(user):
        return True
    organization = organization_of(user)
    return (
        user.is_active
        and organization is not None
        and organization.pk == application_organization_id(application)
    )
