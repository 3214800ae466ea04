"""API tokens for machine clients: named, revocable, stored as hashes, shown once."""

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import (
    ApiToken,
    User,
)
from accounts.services import key_digest
from audit.models import AuditAction
from audit.services import audit_record


@transaction.atomic
def api_token_create(*, user: User, purpose: str, by: User) -> tuple[ApiToken, str]:
    """Create a token for a machine client acting as ``user``; the raw key is returned once
    and only its hash is stored."""
    raw_key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        purpose=purpose.strip(),
        prefix=raw_key[:8],
        key_hash=key_digest(raw_key),
        created_by=by,
    )
    token.full_clean()
    token.save()
    audit_record(
        action=AuditAction.API_TOKEN_CREATE,
        obj=token,
        actor=by,
        organization=user.organization,
        after={"user": user.email, "purpose": token.purpose},
    )
    return token, raw_key


def api_token_find(*, raw_key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_hash=key_digest(raw_key)).first()


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token: the client using it is refused from the next request on."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.API_TOKEN_REVOKE,
            obj=token,
            actor=by,
            organization=token.user.organization,
        )
    return token
