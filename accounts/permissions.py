"""Who may see or change what: the one place every view and API view asks.

Rules are per organisation and role. A rule that hides an object from a user
makes the view answer 404, so that nobody learns another organisation's ids.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import Organization, User

if TYPE_CHECKING:
    from compliance.models import Flag

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


# --- contracts and letters (issue 5) ---


# --- compliance and dashboard (issues 6 and 7) ---


def can_feed_declarations(user: AnyUser) -> bool:
    """The customs data feed pushes declarations: any active user of the customs
    organisation (the feed's API token belongs to such a user)."""
    return is_customs(user) and user.is_active


def can_work_flags(user: AnyUser) -> bool:
    """Customs officers acknowledge, resolve and dismiss flags and see every one."""
    return is_customs(user) and user.is_active


def can_see_flags(user: AnyUser) -> bool:
    """Customs, traders and brokers see flags (the latter only their own: see
    ``flags_visible_to``)."""
    return is_customs(user) or is_trader(user) or is_broker(user)


def can_see_flag(user: AnyUser, flag: "Flag") -> bool:
    """Customs sees every flag; a trader the flags on declarations in its name; a broker
    the flags on declarations it filed."""
    organization = organization_of(user)
    if organization is None:
        return False
    if organization.kind == Organization.Kind.CUSTOMS:
        return True
    if organization.kind == Organization.Kind.TRADER:
        return flag.trader_id == organization.pk
    broker = getattr(organization, "broker", None)
    return broker is not None and flag.broker_id == broker.pk


def can_note_flag(user: AnyUser, flag: "Flag") -> bool:
    """Whoever may see a flag may add a note to it."""
    return can_see_flag(user, flag)


def can_see_declarations_in_own_name(user: AnyUser) -> bool:
    return is_trader(user)


def can_change_declaration_alert(user: AnyUser) -> bool:
    return is_trader(user) and is_organization_admin(user)


def can_upload_declarations(user: AnyUser) -> bool:
    return can_feed_declarations(user)


class CustomsFeedPermission(BasePermission):
    """DRF permission of the declaration ingest endpoint."""

    message = _("Only the customs data feed may push declarations.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_feed_declarations(request.user)


# --- audit log ---


def can_read_audit_log(user: AnyUser) -> bool:
    """Customs officers read the whole log; an organisation's admin the entries about it."""
    return is_customs(user) or is_organization_admin(user)
