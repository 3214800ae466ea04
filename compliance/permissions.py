"""Who may feed declarations, see and work flags, and open the customs dashboard. Which flags
a user sees is ``compliance.selectors.flags_visible_to``."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.permissions import (
    AnyUser,
    is_broker,
    is_customs,
    is_organization_admin,
    is_trader,
    organization_of,
)


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


def can_see_declarations_in_own_name(user: AnyUser) -> bool:
    return is_trader(user)


def can_change_declaration_alert(user: AnyUser) -> bool:
    return is_trader(user) and is_organization_admin(user)


class CustomsFeedPermission(BasePermission):
    """DRF permission of the declaration ingest endpoint."""

    message = _("Only the customs data feed may push declarations.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_feed_declarations(request.user)


def can_check_authorization(
    user: AnyUser, *, trader_tax_code: str, declarant_tax_code: str
) -> bool:
    """Who works with whom is not public: customs may ask about anyone, a trader or a
    declarant only about itself."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_customs(user):
        return True
    organization = organization_of(user)
    return organization is not None and organization.tax_code in {
        trader_tax_code,
        declarant_tax_code,
    }


def can_see_customs_dashboard(user: AnyUser) -> bool:
    """The customs dashboard (and running the scan from it) is for customs officers only."""
    return is_customs(user) and user.is_active
