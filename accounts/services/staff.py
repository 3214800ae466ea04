"""An organisation's users: invitations, roles, deactivation, 2FA reset."""

import secrets
from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import (
    Invitation,
    LoginEvent,
    Organization,
    User,
)
from accounts.selectors import SecondFactors, user_second_factors
from accounts.services import key_digest, user_create
from accounts.services.api_tokens import api_tokens_revoke_for_user
from accounts.tasks import invitation_notify, two_factor_reset_notify
from audit.models import AuditAction
from audit.services import audit_record


def _session_store() -> type[SessionBase]:
    from importlib import import_module

    return import_module(settings.SESSION_ENGINE).SessionStore  # type: ignore[no-any-return]


@transaction.atomic
def invitation_create(*, organization: Organization, email: str, role: str, by: User) -> str:
    """Invite a person by e-mail to join the organisation; returns the link's key. Whether
    the address has an account elsewhere is not the inviter's to learn: the invitation is
    made all the same, and its e-mail tells the owner that they already have one."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email, organization=organization).exists():
        # The admin sees their own users anyway.
        raise ValidationError({"email": _("This person is already a user of your organisation.")})
    if role not in User.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    raw_key = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        key_hash=key_digest(raw_key),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        action=AuditAction.USER_INVITE,
        obj=invitation,
        actor=by,
        organization=organization,
        after={"email": email, "role": role},
    )
    transaction.on_commit(partial(invitation_notify.delay, invitation.pk, raw_key))
    return raw_key


def invitation_find(*, raw_key: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organization")
        .filter(key_hash=key_digest(raw_key))
        .first()
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, full_name: str, password: str, phone: str = ""
) -> User:
    """Create the invited person's account with a verified e-mail address; the password
    rules see the name and phone they give, as at sign-up."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has expired or was already used."))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("You already have an account with this address: sign in with it instead.")
        )
    candidate = User(
        email=invitation.email,
        organization=invitation.organization,
        full_name=full_name,
        phone=phone.strip(),
    )
    validate_password(password, candidate)
    user = user_create(
        email=invitation.email,
        password=password,
        organization=invitation.organization,
        role=invitation.role,
        full_name=full_name,
        phone=phone.strip(),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def user_role_set(*, user: User, role: str, by: User) -> User:
    """Change a user's role in their organisation; an admin cannot demote themselves."""
    if role not in User.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if user.pk == by.pk and role != User.Role.ADMIN:
        raise ValidationError(
            _("You cannot remove your own administrator role; ask another administrator.")
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"role": user.role}
    user.role = role
    user.save(update_fields=["role"])
    audit_record(
        action=AuditAction.USER_ROLE,
        obj=user,
        actor=by,
        organization=user.organization,
        before=before,
        after={"role": role},
    )
    return user


@transaction.atomic
def user_sessions_end(*, user: User) -> None:
    """End every session of the user: raising the session epoch invalidates each session's
    auth hash, including sessions whose key rotated after sign-in (the key recorded at
    sign-in is deleted too, so the row goes at once); reactivation never lowers it."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    store = _session_store()
    keys = set(
        LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.SIGN_IN)
        .exclude(session_key="")
        .values_list("session_key", flat=True)
    )
    for key in keys:
        store(session_key=key).delete()


@transaction.atomic
def user_active_set(*, user: User, active: bool, by: User) -> User:
    """Deactivate a user (their sessions end at once and their API tokens stop working) or
    reactivate them."""
    if user.pk == by.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        user_sessions_end(user=user)
        api_tokens_revoke_for_user(user=user, by=by, reason="user deactivated")
    audit_record(
        action=AuditAction.USER_ACTIVATE if active else AuditAction.USER_DEACTIVATE,
        obj=user,
        actor=by,
        organization=user.organization,
        before=before,
        after={"is_active": active},
    )
    return user


@transaction.atomic
def user_2fa_reset(*, user: User, by: User) -> None:
    """Remove every passkey, authenticator and backup code of a user who lost them, on the
    record; the user is told by e-mail, so that a reset they did not ask for is noticed."""
    factors = user_second_factors(user)
    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # A token made while the user had a second factor must not outlive it.
    api_tokens_revoke_for_user(user=user, by=by, reason="two-factor authentication reset")
    audit_record(
        action=AuditAction.USER_2FA_RESET,
        obj=user,
        actor=by,
        organization=user.organization,
        before=factors._asdict(),
        after=SecondFactors()._asdict(),
    )
    transaction.on_commit(partial(two_factor_reset_notify.delay, user.pk, by.pk))
