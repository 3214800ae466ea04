"""Who may see or change what: the one place every view and API view asks.

Rules are per organisation and role. A rule that hides an object from a user
makes the view answer 404, so that nobody learns another organisation's ids.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from accounts.models import Organization, User

if TYPE_CHECKING:  # contracts imports accounts: only the type checker needs these names
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


# --- broker register and customs actions (issues 3 and 7) ---


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


# --- audit log ---


def can_read_audit_log(user: AnyUser) -> bool:
    """Customs officers read the whole log; an organisation's admin the entries about it."""
    return is_customs(user) or is_organization_admin(user)
