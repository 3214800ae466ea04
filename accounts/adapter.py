"""allauth's hooks: our messages (translated in our catalogue, since allauth ships no
Vietnamese) and the start of the security checks after a password sign-in."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.client import client_ip, client_user_agent
from accounts.models import LoginEvent, User
from accounts.security import security_checks_start
from accounts.services.login_history import login_event_record


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is deactivated. Ask your organisation's admin."),
        "email_password_mismatch": _("The e-mail address or the password is not right."),
        "email_taken": _("A user is already registered with this e-mail address."),
        "enter_current_password": _("Your current password is not right."),
        "incorrect_password": _("The password is not right."),
        "invalid_or_expired_key": _("This link is not valid or has expired."),
        "invalid_login": _("The e-mail address or the password is not right."),
        "invalid_password_reset": _("This password reset link is not valid or has expired."),
        "too_many_login_attempts": _("Too many failed sign-ins. Try again in a few minutes."),
        "unknown_email": _("No account has this e-mail address."),
        "unverified_primary_email": _("Your e-mail address must be verified first."),
        "same_as_current": _("The new value must be different from the current one."),
        "rate_limited": _("Too many requests. Wait a moment and try again."),
    }

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        assert isinstance(user, User)
        security_checks_start(request, user)
        login_event_record(
            kind=LoginEvent.Kind.SIGN_IN,
            user=user,
            ip_address=client_ip(request),
            user_agent=client_user_agent(request),
            session_key=request.session.session_key or "",
        )
