"""Who may do what in licensing, on the roles of ``accounts.permissions``."""

from accounts.permissions import (
    AnyUser,
    is_broker,
    is_customs,
    is_organization_admin,
    is_trader,
    organization_of,
)
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


def can_apply_for_recognition(user: AnyUser) -> bool:
    """A company's admin applies for its recognition as a customs broker: a company that
    signed up (as every company does, /accounts/signup/) and is not a broker yet."""
    return is_trader(user) and is_organization_admin(user) and user.is_active


def is_applicant(user: AnyUser, application: AnyApplication) -> bool:
    """The user belongs to the organisation that applied."""
    organization = organization_of(user)
    return (
        user.is_active
        and organization is not None
        and organization.pk == application_organization_id(application)
    )


def can_read_application(user: AnyUser, application: AnyApplication) -> bool:
    """Customs, and the users of the organisation that applied."""
    return can_decide_applications(user) or is_applicant(user, application)
