"""API tokens for machine clients: ``Authorization: Token <key>``."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from accounts.client import client_ip
from accounts.models import ApiToken
from accounts.services.api_tokens import api_token_find, api_token_policy_met, api_token_use_note


def view_token_scope(view: Any) -> str:
    """The scope a token needs for a view: what the view names as its ``token_scope``
    (the declaration feed: ``ingest``), ``read`` otherwise."""
    return str(getattr(view, "token_scope", ApiToken.Scope.READ))


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token scheme over hashed, scoped, expiring, revocable keys. A token works only
    for its scope (a read token never writes), until it expires or is revoked, and only
    while its user is active and meets their organisation's 2FA policy."""

    model = ApiToken

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        found: tuple[Any, ApiToken] | None = super().authenticate(request)
        if found is None:
            return None
        user, token = found
        view = (getattr(request, "parser_context", None) or {}).get("view")
        needed = view_token_scope(view)
        if token.scope != needed or (
            token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS
        ):
            raise exceptions.PermissionDenied(
                _("This token's scope (%(scope)s) does not allow this request.")
                % {"scope": token.scope}
            )
        api_token_use_note(token=token, ip_address=client_ip(request._request))
        return user, token

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = api_token_find(raw_key=key)
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The user of this token is deactivated."))
        if not api_token_policy_met(token.user):
            raise exceptions.AuthenticationFailed(
                _("The user of this token has no second factor, which their organisation requires.")
            )
        return token.user, token
