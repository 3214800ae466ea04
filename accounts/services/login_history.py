"""The login history: every sign-in step, and the e-mail for a sign-in from somewhere new."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import (
    LoginEvent,
    User,
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
