"""Which security step a signed-in session still owes: the second factor, setting one up, or
a new password.

Only sessions opened by the real sign-in flow (allauth's login through our adapter, or a
passkey sign-in through ``accounts.views.passkeys``) are checked: both set
``SECURITY_CHECKS_KEY`` in the session. Sessions opened by ``Client.force_login`` in tests
never carry the flag, so other apps' tests can sign in a customs user without a second
factor; a real customs user can only get a session through the sign-in page (the Django
admin's own login form is routed there too, see admin.py).

Under an organisation's phishing-resistant policy only a passkey proves the second factor.
django-otp keeps the device that verified the session (``user.otp_device``, restored from
the session by its middleware); a session verified with a code from an authenticator app or
a backup code is held back: at the second-factor page when the user has a passkey, at the
passkey registration when they have none yet (the code is then the one way to prove who
they are while they register their first passkey).
"""

from django.http import HttpRequest
from django_otp import user_has_device
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import User
from accounts.services import password_expired

SECURITY_CHECKS_KEY = "accounts_security_checks"
PASSWORD_EXPIRED_KEY = "accounts_password_expired"  # noqa: S105 - a session key name

VERIFY = "verify"
SET_UP = "set_up"
CHANGE_PASSWORD = "change_password"  # noqa: S105 - a step name


def security_checks_start(request: HttpRequest, user: User) -> None:
    request.session[SECURITY_CHECKS_KEY] = True
    request.session[PASSWORD_EXPIRED_KEY] = password_expired(user)


def password_renewed(request: HttpRequest) -> None:
    request.session.pop(PASSWORD_EXPIRED_KEY, None)


def passkey_required(user: User) -> bool:
    """Whether the user's organisation accepts only a passkey as the second factor."""
    return user.organization is not None and user.organization.require_phishing_resistant


def verified_with_passkey(user: User) -> bool:
    """Whether this session's second factor was a passkey (not a code)."""
    return isinstance(getattr(user, "otp_device", None), WebAuthnCredential)


def second_factor_satisfied(user: User) -> bool:
    """Whether the session's second factor meets the organisation's policy."""
    if not user.is_verified():  # type: ignore[attr-defined]
        return False
    return not passkey_required(user) or verified_with_passkey(user)


def second_factor_step(user: User) -> str | None:
    """VERIFY, SET_UP or None: what the second factor of this session still needs."""
    if second_factor_satisfied(user):
        return None
    if user.is_verified():  # type: ignore[attr-defined]
        # Verified with a code under the passkey policy.
        has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
        return VERIFY if has_passkey else SET_UP
    if user_has_device(user, confirmed=True):
        return VERIFY
    if user.organization is not None and user.organization.requires_2fa:
        return SET_UP
    return None


def security_step_owed(request: HttpRequest) -> str | None:
    """The step this session must complete before anything else, or None."""
    user = request.user
    if not isinstance(user, User) or not request.session.get(SECURITY_CHECKS_KEY):
        return None
    step = second_factor_step(user)
    if step is not None:
        return step
    if request.session.get(PASSWORD_EXPIRED_KEY):
        return CHANGE_PASSWORD
    return None
