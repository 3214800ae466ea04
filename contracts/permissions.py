"""Who may upload, review and terminate contracts and issue and revoke letters of authority.
Who sees which contract is ``contracts.selectors.contracts_visible_to``."""

from accounts.permissions import (
    AnyUser,
    is_broker,
    is_organization_admin,
    is_trader,
    organization_of,
)
from contracts.models import LetterOfAuthority, ServiceContract


def is_contract_party(user: AnyUser, contract: ServiceContract) -> bool:
    """The trader's or the broker's staff."""
    organization = organization_of(user)
    return organization is not None and organization.pk in (
        contract.trader_id,
        contract.broker.organization_id,
    )


def can_upload_contract(user: AnyUser) -> bool:
    """Staff of a broker organisation that holds a licence."""
    organization = organization_of(user)
    return is_broker(user) and organization is not None and hasattr(organization, "broker")


def can_review_contract(user: AnyUser, contract: ServiceContract) -> bool:
    """The trader's admin confirms or rejects a contract its broker uploaded."""
    return is_organization_admin(user) and organization_of(user) == contract.trader


def can_terminate_contract(user: AnyUser, contract: ServiceContract) -> bool:
    """An admin of either party."""
    return is_organization_admin(user) and is_contract_party(user, contract)


def can_issue_letter(user: AnyUser, contract: ServiceContract) -> bool:
    """The trader's admin issues letters of authority under its contracts."""
    return can_review_contract(user, contract)


def can_revoke_letter(user: AnyUser, letter: LetterOfAuthority) -> bool:
    return can_review_contract(user, letter.contract)


def can_set_letter_limit(user: AnyUser) -> bool:
    """A trader's admin sets how many active letters one contract may have."""
    return is_trader(user) and is_organization_admin(user)
