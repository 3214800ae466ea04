"""Writes for organisations, users and their security."""

import hashlib
import secrets
from binascii import unhexlify
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.certificates import certificate_read
from accounts.models import (
    AbuseReport,
    ApiToken,
    Invitation,
    LoginEvent,
    Organization,
    SigningCertificate,
    User,
)
from accounts.taxcode import tax_code_normalize
from audit.services import audit_record


@transaction.atomic
def organization_create(
    *,
    kind: str,
    name: str,
    tax_code: str,
    province: str,
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Organization:
    """Create an organisation with its tax code validated and stored in canonical form."""
    try:
        normalised_tax_code = tax_code_normalize(tax_code)
    except ValidationError as error:
        raise ValidationError({"tax_code": error.error_list}) from error
    organization = Organization(
        kind=kind,
        name=name.strip(),
        tax_code=normalised_tax_code,
        province=province,
        address=address.strip(),
        phone=phone.strip(),
        email=email.strip().lower(),
    )
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    organization: Organization | None,
    role: str = User.Role.STAFF,
    full_name: str = "",
    phone: str = "",
) -> User:
    """Create a user of an organisation; the password is hashed, never stored in clear."""
    user = User(
        email=User.objects.normalize_email(email).lower(),
        organization=organization,
        role=role,
        full_name=full_name.strip(),
        phone=phone.strip(),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


# --- security policy, login history, 2FA, staff, certificates, abuse reports, API tokens ---


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def organization_security_policy_update(
    *, organization: Organization, require_2fa: bool, password_max_age_days: int | None, by: User
) -> Organization:
    """Set an organisation's 2FA requirement and maximum password age, on the record."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = {
        "require_2fa": organization.require_2fa,
        "password_max_age_days": organization.password_max_age_days,
    }
    organization.require_2fa = require_2fa
    organization.password_max_age_days = password_max_age_days
    # Only the policy changes: the other fields are checked where they are written.
    organization.full_clean(
        exclude=[
            field.name
            for field in Organization._meta.fields
            if field.name not in {"require_2fa", "password_max_age_days"}
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    organization.save(update_fields=["require_2fa", "password_max_age_days"])
    audit_record(
        action="organization.security_policy",
        obj=organization,
        actor=by,
        organization=organization,
        before=before,
        after={"require_2fa": require_2fa, "password_max_age_days": password_max_age_days},
    )
    return organization


def password_expired(user: User) -> bool:
    """Whether the organisation's maximum password age has passed for this user."""
    organization = user.organization
    if organization is None or not organization.password_max_age_days:
        return False
    changed_at = user.password_changed_at or user.date_joined
    return changed_at + timedelta(days=organization.password_max_age_days) < timezone.now()


@transaction.atomic
def trader_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    organization_name: str,
    tax_code: str,
    province: str,
    phone: str = "",
) -> User:
    """Register a trader organisation and its first user, who becomes its admin."""
    normalised_tax_code = tax_code_normalize(tax_code)
    if Organization.objects.filter(tax_code=normalised_tax_code).exists():
        raise ValidationError(
            {"tax_code": _("An organisation with this tax code is already registered.")}
        )
    organization = organization_create(
        kind=Organization.Kind.TRADER,
        name=organization_name,
        tax_code=normalised_tax_code,
        province=province,
        email=email,
        phone=phone,
    )
    candidate = User(email=email, organization=organization, phone=phone, full_name=full_name)
    validate_password(password, candidate)
    return user_create(
        email=email,
        password=password,
        organization=organization,
        role=User.Role.ADMIN,
        full_name=full_name,
        phone=phone,
    )


def login_event_record(
    *,
    kind: str,
    user: User | None,
    email: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    session_key: str = "",
) -> LoginEvent:
    """Store one sign-in step; a sign-in from an IP and browser never seen for this user
    e-mails them."""
    seen_before = (
        kind == LoginEvent.Kind.SIGN_IN
        and user is not None
        and LoginEvent.objects.filter(
            user=user,
            kind=LoginEvent.Kind.SIGN_IN,
            ip_address=ip_address,
            user_agent=user_agent,
        ).exists()
    )
    event = LoginEvent.objects.create(
        user=user,
        organization=user.organization if user is not None else None,
        email=(user.email if user is not None else email)[:254],
        kind=kind,
        ip_address=ip_address,
        user_agent=user_agent,
        session_key=session_key or "",
    )
    if kind == LoginEvent.Kind.SIGN_IN and user is not None and not seen_before:
        _new_sign_in_notify(event=event, user=user)
    return event


def _new_sign_in_notify(*, event: LoginEvent, user: User) -> None:
    context = {
        "user": user,
        "event": event,
        "history_url": settings.SITE_URL + reverse("accounts:login_history"),
    }
    send_mail(
        subject=_("New sign-in to your customs broker registry account"),
        message=render_to_string("accounts/email/new_sign_in.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


# 2FA


def otp_token_check(
    *, user: User, token: str, ip_address: str | None, user_agent: str
) -> Device | None:
    """The second sign-in step: the device (authenticator or backup codes) the code belongs
    to, or None; both outcomes go to the login history. Backup codes are used up and
    django-otp throttles repeated failures."""
    token = token.replace(" ", "")
    device = next(
        (d for d in devices_for_user(user, confirmed=True) if d.verify_token(token)), None
    )
    login_event_record(
        kind=LoginEvent.Kind.OTP_SUCCESS if device else LoginEvent.Kind.OTP_FAILURE,
        user=user,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    return device


def totp_token_matches(*, key: str, token: str) -> bool:
    """Whether a 6-digit code fits the hexadecimal TOTP key (one step of clock drift allowed)."""
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6)
    return token.strip().isdigit() and totp.verify(int(token.strip()), tolerance=1)


@transaction.atomic
def totp_device_add(*, user: User, key: str, name: str, token: str) -> list[str] | None:
    """Add an authenticator once the user has typed a code from it. Returns fresh backup
    codes when the user had none, so that they are shown once."""
    if not totp_token_matches(key=key, token=token):
        raise ValidationError(
            {"token": _("The code is not right. Check the time on your phone and try again.")}
        )
    TOTPDevice.objects.create(user=user, key=key, name=name.strip()[:64], confirmed=True)
    if not StaticDevice.objects.filter(user=user, confirmed=True).exists():
        return backup_codes_regenerate(user=user)
    return None


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's backup codes with 10 new single-use ones."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(10)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def otp_device_remove(*, user: User, device_id: int) -> None:
    """Remove one of the user's authenticators; the backup codes go with the last one."""
    deleted, _rows = TOTPDevice.objects.filter(user=user, pk=device_id).delete()
    if not deleted:
        raise ValidationError(_("This authenticator does not exist."))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        StaticDevice.objects.filter(user=user).delete()


# Staff


def _session_store() -> type[SessionBase]:
    from importlib import import_module

    return import_module(settings.SESSION_ENGINE).SessionStore  # type: ignore[no-any-return]


@transaction.atomic
def invitation_create(*, organization: Organization, email: str, role: str, by: User) -> str:
    """Invite a person by e-mail to join the organisation; returns the link's key."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    if role not in User.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    raw_key = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        key_hash=_digest(raw_key),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        action="user.invite",
        obj=invitation,
        actor=by,
        organization=organization,
        after={"email": email, "role": role},
    )
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[raw_key])
    context = {"invitation": invitation, "link": link, "days": settings.INVITATION_VALID_DAYS}
    transaction.on_commit(
        lambda: send_mail(
            subject=_("You are invited to the customs broker registry"),
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return raw_key


def invitation_find(*, raw_key: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organization").filter(key_hash=_digest(raw_key)).first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create the invited person's account with a verified e-mail address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has expired or was already used."))
    candidate = User(email=invitation.email, organization=invitation.organization)
    validate_password(password, candidate)
    user = user_create(
        email=invitation.email,
        password=password,
        organization=invitation.organization,
        role=invitation.role,
        full_name=full_name,
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
        action="user.role",
        obj=user,
        actor=by,
        organization=user.organization,
        before=before,
        after={"role": role},
    )
    return user


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
        store = _session_store()
        keys = set(
            LoginEvent.objects.filter(user=user, kind=LoginEvent.Kind.SIGN_IN)
            .exclude(session_key="")
            .values_list("session_key", flat=True)
        )
        for key in keys:
            store(session_key=key).delete()
    audit_record(
        action="user.activate" if active else "user.deactivate",
        obj=user,
        actor=by,
        organization=user.organization,
        before=before,
        after={"is_active": active},
    )
    return user


@transaction.atomic
def user_2fa_reset(*, user: User, by: User) -> None:
    """Remove every authenticator and backup code of a user who lost their phone."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(action="user.2fa_reset", obj=user, actor=by, organization=user.organization)


# Signing certificates


@transaction.atomic
def certificate_register(
    *, organization: Organization, content: bytes, by: User
) -> SigningCertificate:
    """Read an uploaded certificate and register it to the organisation."""
    details = certificate_read(content)
    existing = (
        SigningCertificate.objects.filter(fingerprint_sha256=details.fingerprint_sha256).first()
        or SigningCertificate.objects.filter(
            issuer=details.issuer, serial_number=details.serial_number
        ).first()
    )
    if existing is not None:
        if existing.organization_id == organization.pk:
            message = _("This certificate is already registered to your organisation.")
        else:
            message = _(
                "This certificate is registered to another organisation. If it is yours, "
                "report it to customs as an abuse report."
            )
        raise ValidationError(message, code="duplicate")
    certificate = SigningCertificate(
        organization=organization,
        serial_number=details.serial_number,
        subject=details.subject,
        issuer=details.issuer,
        not_before=details.not_before,
        not_after=details.not_after,
        fingerprint_sha256=details.fingerprint_sha256,
        der=details.der,
        uploaded_by=by,
    )
    certificate.full_clean()
    certificate.save()
    audit_record(
        action="certificate.register",
        obj=certificate,
        actor=by,
        organization=organization,
        after={"serial_number": certificate.serial_number, "subject": certificate.subject},
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: SigningCertificate, by: User) -> SigningCertificate:
    """Mark a certificate revoked: signatures made with it no longer count as the owner's."""
    certificate = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    audit_record(
        action="certificate.revoke",
        obj=certificate,
        actor=by,
        organization=certificate.organization,
        after={"revoked_at": certificate.revoked_at},
    )
    return certificate


# Abuse reports


@transaction.atomic
def abuse_report_create(
    *,
    reporter: User,
    kind: str,
    description: str,
    happened_from: date,
    happened_until: date | None = None,
    declarations: str = "",
) -> AbuseReport:
    """A trader's report to customs that its account or signature was misused."""
    assert reporter.organization is not None
    report = AbuseReport(
        organization=reporter.organization,
        reporter=reporter,
        kind=kind,
        description=description.strip(),
        happened_from=happened_from,
        happened_until=happened_until,
        declarations="\n".join(line.strip() for line in declarations.splitlines() if line.strip()),
    )
    if happened_until is not None and happened_until < happened_from:
        raise ValidationError({"happened_until": _("The end date is before the start date.")})
    report.full_clean()
    report.save()
    audit_record(
        action="abuse_report.create",
        obj=report,
        actor=reporter,
        organization=report.organization,
        after={"kind": kind},
    )
    return report


@transaction.atomic
def abuse_report_answer(*, report: AbuseReport, status: str, answer: str, by: User) -> AbuseReport:
    """Customs answers a report and sets where the case stands."""
    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    before = {"status": report.status}
    report.status = status
    report.answer = answer.strip()
    report.answered_by = by
    report.answered_at = timezone.now()
    report.full_clean()
    report.save()
    audit_record(
        action="abuse_report.answer",
        obj=report,
        actor=by,
        organization=report.organization,
        before=before,
        after={"status": status},
    )
    return report


# API tokens


@transaction.atomic
def api_token_create(*, user: User, purpose: str, by: User) -> tuple[ApiToken, str]:
    """Create a token for a machine client acting as ``user``; the raw key is returned once
    and only its hash is stored."""
    raw_key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        purpose=purpose.strip(),
        prefix=raw_key[:8],
        key_hash=_digest(raw_key),
        created_by=by,
    )
    token.full_clean()
    token.save()
    audit_record(
        action="api_token.create",
        obj=token,
        actor=by,
        organization=user.organization,
        after={"user": user.email, "purpose": token.purpose},
    )
    return token, raw_key


def api_token_find(*, raw_key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_hash=_digest(raw_key)).first()


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token: the client using it is refused from the next request on."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="api_token.revoke",
            obj=token,
            actor=by,
            organization=token.user.organization,
        )
    return token
