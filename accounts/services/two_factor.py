"""Second factors: passkeys (WebAuthn), authenticator apps (TOTP) and single-use backup
codes."""

import math
import time
from binascii import unhexlify
from dataclasses import dataclass

from django.core.cache import cache
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

# Wrong codes slow down the address they come from, for this user only: someone who has the
# password and guesses codes from elsewhere never makes the rightful user wait (django-otp's
# own per-device throttle would, so it is turned off in the settings). The first failures
# are free (typos); after them each one doubles the wait, up to the maximum.
OTP_FREE_FAILURES = 3
OTP_MAX_WAIT_SECONDS = 15 * 60


@dataclass(frozen=True)
class OtpCheck:
    """The outcome of a code: the device it belongs to, or how long this address must still
    wait before a code is looked at (0: the code was checked and is wrong)."""

    device: Device | None
    wait_seconds: int = 0


def _backoff_key(user: User, ip_address: str | None) -> str:
    return f"accounts:otp-backoff:{user.pk}:{ip_address or 'unknown'}"


def otp_wait_seconds(*, user: User, ip_address: str | None) -> int:
    """Seconds this address must wait before its next code for this user is checked."""
    state = cache.get(_backoff_key(user, ip_address))
    if not state:
        return 0
    return max(0, math.ceil(state["until"] - time.time()))


def otp_failure_note(*, user: User, ip_address: str | None) -> int:
    """Count a wrong code from this address; returns the wait it now owes."""
    key = _backoff_key(user, ip_address)
    failures = (cache.get(key) or {"failures": 0})["failures"] + 1
    wait = 0 if failures <= OTP_FREE_FAILURES else 2 ** (failures - OTP_FREE_FAILURES)
    wait = min(wait, OTP_MAX_WAIT_SECONDS)
    cache.set(key, {"failures": failures, "until": time.time() + wait}, OTP_MAX_WAIT_SECONDS * 2)
    return wait


def otp_token_check(*, user: User, token: str, ip_address: str | None, user_agent: str) -> OtpCheck:
    """The second sign-in step: the device (authenticator or backup codes) the code belongs
    to; both outcomes go to the login history. During this address's back-off the code is
    not looked at and the wait is returned instead. Backup codes are used up."""
    wait = otp_wait_seconds(user=user, ip_address=ip_address)
    if wait:
        return OtpCheck(device=None, wait_seconds=wait)
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
    if device is not None:
        cache.delete(_backoff_key(user, ip_address))
        return OtpCheck(device=device)
    otp_failure_note(user=user, ip_address=ip_address)
    return OtpCheck(device=None)


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
