"""Which security step a signed-in session still owes: the 2FA code, setting up 2FA, or a
new password.

Only sessions opened by the real sign-in flow (allauth's login, through our adapter) are
checked: the adapter sets ``SECURITY_CHECKS_KEY`` in the session. Sessions opened by
``Client.force_login`` in tests never carry the flag, so other apps' tests can sign in a
customs user without a second factor; a real customs user can only get a session through
the sign-in page (the Django admin's own login form is routed there too, see admin.py).
"""

from django.http import HttpRequest
from django_otp import user_has_device

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


def security_step_owed(request: HttpRequest) -> str | None:
    """The step this session must complete before anything else, or None."""
    user = request.user
    if not isinstance(user, User) or not request.session.get(SECURITY_CHECKS_KEY):
        return None
    if not user.is_verified():  # type: ignore[attr-defined]
        if user_has_device(user, confirmed=True):
            return VERIFY
        if user.organization is not None and user.organization.requires_2fa:
            return SET_UP
    if request.session.get(PASSWORD_EXPIRED_KEY):
        return CHANGE_PASSWORD
    return None
