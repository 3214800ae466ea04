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

from accounts.models import AbuseReport, Organization, User

if TYPE_CHECKING:  # these apps import accounts: only the type checker needs their names
    from compliance.models import Flag
    from contracts.models import LetterOfAuthority, ServiceContract

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


def can_administer_register(user: AnyUser) -> bool:
    """The register's Django admin is for customs officers with admin access (and superusers)."""
    if not isinstance(user, User) or not user.is_active or not user.is_staff:
        return False
    return user.is_superuser or is_customs(user)


def can_administer_brokers(user: AnyUser) -> bool:
    """Customs officers (any active user of the customs organisation) suspend, reinstate
    and revoke brokers and withdraw agents' codes."""
    return is_customs(user) and user.is_active


# --- contracts and letters (issue 5) ---


def is_contract_party(user: AnyUser, contract: "ServiceContract") -> bool:
    """The trader's or the broker's staff."""
    organization = organization_of(user)
    return organization is not None and organization.pk in (
        contract.trader_id,
        contract.broker.organization_id,
    )


def can_view_contract(user: AnyUser, contract: "ServiceContract") -> bool:
    """The two parties and customs see a contract and download its signed document."""
    return is_customs(user) or is_contract_party(user, contract)


def can_upload_contract(user: AnyUser) -> bool:
    """Staff of a broker organisation that holds a licence."""
    organization = organization_of(user)
    return is_broker(user) and organization is not None and hasattr(organization, "broker")


def can_review_contract(user: AnyUser, contract: "ServiceContract") -> bool:
    """The trader's admin confirms or rejects a contract its broker uploaded."""
    return is_organization_admin(user) and organization_of(user) == contract.trader


def can_terminate_contract(user: AnyUser, contract: "ServiceContract") -> bool:
    """An admin of either party."""
    return is_organization_admin(user) and is_contract_party(user, contract)


def can_issue_letter(user: AnyUser, contract: "ServiceContract") -> bool:
    """The trader's admin issues letters of authority under its contracts."""
    return can_review_contract(user, contract)


def can_view_letter(user: AnyUser, letter: "LetterOfAuthority") -> bool:
    return can_view_contract(user, letter.contract)


def can_revoke_letter(user: AnyUser, letter: "LetterOfAuthority") -> bool:
    return can_review_contract(user, letter.contract)


def can_set_letter_limit(user: AnyUser) -> bool:
    """A trader's admin sets how many active letters one contract may have."""
    return is_trader(user) and is_organization_admin(user)


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


def can_see_customs_dashboard(user: AnyUser) -> bool:
    """The customs dashboard (and running the scan from it) is for customs officers only."""
    return is_customs(user) and user.is_active


# --- audit log ---


def can_read_audit_log(user: AnyUser) -> bool:
    """Customs officers read the whole log; an organisation's admin the entries about it."""
    return is_customs(user) or is_organization_admin(user)
