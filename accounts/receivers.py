"""Signal receivers: they only pass what happened to the login history and the session."""

from typing import Any

from allauth.account.signals import password_changed, password_reset
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.client import client_ip, client_user_agent
from accounts.models import LoginEvent, User
from accounts.security import password_renewed
from accounts.services.api_tokens import api_tokens_revoke_for_user
from accounts.services.login_history import login_event_record


@receiver(user_login_failed)
def login_failed_record(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    email = str(credentials.get("email") or credentials.get("username") or "")
    user = User.objects.filter(email__iexact=email).select_related("organization").first()
    login_event_record(
        kind=LoginEvent.Kind.SIGN_IN_FAILED,
        user=user,
        email=email,
        ip_address=client_ip(request),
        user_agent=client_user_agent(request),
    )


@receiver(user_logged_out)
def logout_record(
    sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any
) -> None:
    if request is None or not isinstance(user, User):
        return
    login_event_record(
        kind=LoginEvent.Kind.SIGN_OUT,
        user=user,
        ip_address=client_ip(request),
        user_agent=client_user_agent(request),
    )


@receiver(password_changed)
@receiver(password_reset)
def password_renewed_note(
    sender: Any, request: HttpRequest, user: Any = None, **kwargs: Any
) -> None:
    password_renewed(request)
    if isinstance(user, User):
        # Tokens made under the old password stop with it.
        api_tokens_revoke_for_user(user=user, by=user, reason="password changed")
