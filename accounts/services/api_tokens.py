"""API tokens for machine clients: scoped, expiring, revocable, stored as hashes, shown once.

A token never outlives what allowed it: it is made only from a session that passed the
second factor, and only for a user who meets their organisation's 2FA policy; it stops at
its expiry, and is revoked when its user is deactivated, loses their second factors or
changes their password."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

from accounts.models import (
    ApiToken,
    User,
)
from accounts.services import key_digest
from audit.models import AuditAction
from audit.services import audit_record


def api_token_refusal(*, user: User, second_factor_passed: bool) -> str | None:
    """Why no token may be made for ``user`` now, or None. ``second_factor_passed``: the
    session (or, for the command line, the user) that asks passed two-factor authentication."""
    if not second_factor_passed:
        return _(
            "API tokens are created only from a session that passed two-factor "
            "authentication: set up a second factor and sign in with it first."
        )
    if not user.is_active:
        return _("This user is deactivated.")
    if not api_token_policy_met(user):
        return _(
            "%(email)s has no second factor, which their organisation requires: they must "
            "set one up before a token can act as them."
        ) % {"email": user.email}
    return None


def api_token_policy_met(user: User) -> bool:
    """Whether the user meets their organisation's 2FA policy, as a token acting as them
    must (checked again on every request: a policy turned on later stops the token)."""
    organization = user.organization
    if organization is None or not organization.requires_2fa:
        return True
    return user_has_device(user, confirmed=True)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    purpose: str,
    scope: str,
    by: User,
    second_factor_passed: bool,
    days: int = ApiToken.DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """Create a token for a machine client acting as ``user`` in one scope for ``days``
    (at most a year); the raw key is returned once and only its hash is stored."""
    refusal = api_token_refusal(user=user, second_factor_passed=second_factor_passed)
    if refusal:
        raise ValidationError(refusal)
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose the scope: ingest or read.")})
    if not 1 <= days <= ApiToken.MAX_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)d days.") % {"max": ApiToken.MAX_DAYS}}
        )
    raw_key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        purpose=purpose.strip(),
        scope=scope,
        prefix=raw_key[:8],
        key_hash=key_digest(raw_key),
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        action=AuditAction.API_TOKEN_CREATE,
        obj=token,
        actor=by,
        organization=user.organization,
        after={
            "user": user.email,
            "purpose": token.purpose,
            "scope": scope,
            "expires_at": token.expires_at,
        },
    )
    return token, raw_key


def api_token_find(*, raw_key: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user__organization")
        .filter(key_hash=key_digest(raw_key))
        .first()
    )


def api_token_use_note(*, token: ApiToken, ip_address: str | None) -> None:
    """Record when and from where a token was last used: at most one write a minute for a
    busy feed, at once when the address changes."""
    now = timezone.now()
    stale = token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60
    if stale or token.last_used_ip != ip_address:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip_address)


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


@transaction.atomic
def api_tokens_revoke_for_user(*, user: User, by: User | None, reason: str) -> int:
    """Revoke every live token of a user (deactivated, second factors reset, new password);
    returns how many. Each revocation is on the audit log with its reason."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.API_TOKEN_REVOKE,
            obj=token,
            actor=by,
            organization=user.organization,
            after={"reason": reason},
        )
    return len(tokens)
