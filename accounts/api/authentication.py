"""API tokens for machine clients: ``Authorization: Token <key>``."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken
from accounts.services.api_tokens import api_token_find


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token scheme over hashed, named, revocable keys; a deactivated user's token
    is refused like a revoked one."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = api_token_find(raw_key=key)
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The user of this token is deactivated."))
        now = timezone.now()
        # At most one write a minute per token, not one per request of a busy feed.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        return super().authenticate(request)  # type: ignore[no-any-return]
