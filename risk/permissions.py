"""Who may read the risk analysis and act on it: customs officers only (traders and brokers
never learn how they are scored)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.permissions import AnyUser, is_customs


def can_read_risk(user: AnyUser) -> bool:
    """The risk pages and API, refreshing the analysis and opening a flag from a finding:
    any active customs officer."""
    return is_customs(user) and user.is_active


class RiskReaderPermission(BasePermission):
    """DRF permission of the risk API."""

    message = _("Only customs officers may read the risk analysis.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_read_risk(request.user)
