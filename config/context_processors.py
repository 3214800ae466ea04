"""What every page's navigation may offer the signed-in user, asked of the permission rules
of each app (so the menu shows a link exactly when its page would let the user in)."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.permissions import (
    AnyUser,
    can_administer_brokers,
    can_manage_trust_list,
    can_read_audit_log,
    is_broker,
    is_customs,
    organization_of,
)
from accounts.security import security_step_owed
from compliance.permissions import (
    can_feed_declarations,
    can_see_customs_dashboard,
    can_see_declarations_in_own_name,
    can_see_flags,
)
from compliance.work import waiting_counts
from contracts.permissions import can_upload_contract
from risk.permissions import can_read_risk


def _navigation(request: HttpRequest) -> dict[str, bool | int]:
    user: AnyUser = request.user
    # Until the second factor (or a due password change) is done, the session is not signed
    # in yet: the menu names nobody and offers nothing but signing out.
    if not user.is_authenticated or security_step_owed(request) is not None:
        return {"signed_in": False}
    customs = is_customs(user)
    counts = waiting_counts(user)
    return {
        "signed_in": True,
        # The groups of the menu: the customs pages, and the declarations of a trader or broker.
        "customs": customs,
        "declarations_menu": not customs and can_see_flags(user),
        "customs_brokers": can_administer_brokers(user),
        "contracts": organization_of(user) is not None,
        "clients": is_broker(user),
        "contract_upload": can_upload_contract(user),
        "customs_dashboard": can_see_customs_dashboard(user),
        "risk": can_read_risk(user),
        "trust_list": can_manage_trust_list(user),
        "my_declarations": can_see_declarations_in_own_name(user),
        "flags": can_see_flags(user),
        "declaration_upload": can_feed_declarations(user),
        "audit_log": can_read_audit_log(user),
        # What waits, counted in the menu (one query).
        "waiting": counts.total,
        "contracts_waiting": counts.contracts_waiting,
        "letters_expiring": counts.letters_expiring,
        "open_flags": counts.open_flags,
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav``: which menu links to show; worked out only when a template reads it."""
    return {"nav": SimpleLazyObject(lambda: _navigation(request))}
