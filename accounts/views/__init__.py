"""Account and security pages, one module per topic. Each view fetches, asks
permissions.py, validates a form and calls one service; the helper below is shared."""

from django.http import HttpRequest

from accounts.models import User
from accounts.permissions import can_manage_organization
from accounts.web import permit, signed_in_user


def organization_admin(request: HttpRequest) -> User:
    """The signed-in user, who must be the admin of their own organisation."""
    user = signed_in_user(request)
    permit(can_manage_organization, user, user.organization)
    return user
