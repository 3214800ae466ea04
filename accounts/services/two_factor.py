"""Second factors: passkeys (WebAuthn), authenticator apps (TOTP) and single-use backup
codes."""

from binascii import unhexlify

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import (
    LoginEvent,
    User,
)
from accounts.services.login_history import login_event_record


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


def _backup_codes_missing(user: User) -> bool:
    return not StaticDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_device_add(*, user: User, key: str, name: str, token: str) -> list[str] | None:
    """Add an authenticator once the user has typed a code from it. Returns fresh backup
    codes when the user had none, so that they are shown once."""
    if not totp_token_matches(key=key, token=token):
        raise ValidationError(
            {"token": _("The code is not right. Check the time on your phone and try again.")}
        )
    TOTPDevice.objects.create(user=user, key=key, name=name.strip()[:64], confirmed=True)
    if _backup_codes_missing(user):
        return backup_codes_regenerate(user=user)
    return None


@transaction.atomic
def passkey_name_set(*, user: User, passkey: WebAuthnCredential, name: str) -> list[str] | None:
    """Name a passkey the user just registered (django-otp-webauthn stores it unnamed).
    Returns fresh backup codes when the user had none, so that they are shown once; not
    under the passkey policy, where a code never passes."""
    if passkey.user_id != user.pk:
        raise ValidationError(_("This passkey does not exist."))
    passkey.name = name.strip()[:64]
    passkey.save(update_fields=["name"])
    organization = user.organization
    passkey_only = organization is not None and organization.require_phishing_resistant
    if _backup_codes_missing(user) and not passkey_only:
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
def second_factor_remove(*, user: User, device: TOTPDevice | WebAuthnCredential) -> None:
    """Remove one of the user's authenticators or passkeys, unless their organisation's
    policy needs it; the backup codes go with the last of them."""
    # Two removals at once must not both see the other's device as the one left.
    User.objects.select_for_update().filter(pk=user.pk).first()
    authenticators = TOTPDevice.objects.filter(user=user, confirmed=True)
    passkeys = WebAuthnCredential.objects.filter(user=user, confirmed=True)
    if isinstance(device, WebAuthnCredential):
        passkeys = passkeys.exclude(pk=device.pk)
    else:
        authenticators = authenticators.exclude(pk=device.pk)
    passkeys_left, authenticators_left = passkeys.count(), authenticators.count()
    organization = user.organization
    if organization is not None:
        if (
            organization.require_phishing_resistant
            and isinstance(device, WebAuthnCredential)
            and not passkeys_left
        ):
            raise ValidationError(
                _(
                    "Your organisation requires a passkey: add another passkey before you "
                    "remove this one."
                )
            )
        if organization.requires_2fa and not passkeys_left + authenticators_left:
            raise ValidationError(
                _(
                    "Your organisation requires two-factor authentication: add a passkey or "
                    "another authenticator before you remove this one."
                )
            )
    device.delete()
    if not passkeys_left + authenticators_left:
        StaticDevice.objects.filter(user=user).delete()
