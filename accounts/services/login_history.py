"""The login history: every sign-in step, and the e-mail for a sign-in from somewhere new."""

from functools import partial

from django.db import transaction

from accounts.models import (
    LoginEvent,
    User,
)
from accounts.tasks import new_sign_in_notify


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
        transaction.on_commit(partial(new_sign_in_notify.delay, event.pk))
    return event
