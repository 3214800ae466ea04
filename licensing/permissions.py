"""Who may do what in licensing, on the roles of ``accounts.permissions``."""

from accounts.permissions import AnyUser, is_customs


def can_load_register(user: AnyUser) -> bool:
    """Customs officers load the official list of brokers."""
    return is_customs(user) and user.is_active
