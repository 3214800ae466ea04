"""The login history: every sign-in step, and the e-mail for a sign-in from somewhere new."""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import (
    LoginEvent,
    User,
)
from accounts.tasks import failed_sign_ins_notify, new_sign_in_notify

# The account holder hears of repeated failures (passwords or second-factor codes), whoever
# makes them and from wherever: the limits slow each address down, the e-mail tells the
# person the attempts are about.
FAILED_SIGN_INS_ALERT_AT = 5
FAILED_SIGN_INS_WINDOW = timedelta(minutes=30)
_FAILURES = (LoginEvent.Kind.SIGN_IN_FAILED, LoginEvent.Kind.OTP_FAILURE)


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
    if kind in _FAILURES and user is not None:
        failures = LoginEvent.objects.filter(
            user=user,
            kind__in=_FAILURES,
            occurred_at__gte=timezone.now() - FAILED_SIGN_INS_WINDOW,
        ).count()
        # Once when the failures reach the threshold, not on every one after it.
        if failures == FAILED_SIGN_INS_ALERT_AT:
            transaction.on_commit(partial(failed_sign_ins_notify.delay, event.pk))
    return event
