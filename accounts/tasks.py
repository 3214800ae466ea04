"""Celery tasks of accounts: session clean-up and the e-mails, thin around ``accounts.emails``."""

from celery import shared_task
from django.core.management import call_command

from accounts.emails import (
    failed_sign_ins_email_send,
    invitation_email_send,
    new_sign_in_email_send,
    rendered_email_send,
    two_factor_reset_email_send,
)


@shared_task(time_limit=600, soft_time_limit=540)
def sessions_clear() -> None:
    """Delete expired sessions (Django keeps them until someone clears them)."""
    call_command("clearsessions")


@shared_task(time_limit=120, soft_time_limit=100)
def invitation_notify(invitation_id: int, raw_key: str) -> int:
    """E-mail an invited person the link that creates their account."""
    return invitation_email_send(invitation_id=invitation_id, raw_key=raw_key)


@shared_task(time_limit=120, soft_time_limit=100)
def new_sign_in_notify(event_id: int) -> int:
    """E-mail a user about a sign-in from an IP and browser never seen for them."""
    return new_sign_in_email_send(event_id=event_id)


@shared_task(time_limit=120, soft_time_limit=100)
def failed_sign_ins_notify(event_id: int) -> int:
    """E-mail a user that someone keeps failing to sign in to their account."""
    return failed_sign_ins_email_send(event_id=event_id)


@shared_task(time_limit=120, soft_time_limit=100)
def two_factor_reset_notify(user_id: int, admin_id: int) -> int:
    """E-mail a user that an administrator reset their two-factor authentication."""
    return two_factor_reset_email_send(user_id=user_id, admin_id=admin_id)


@shared_task(time_limit=120, soft_time_limit=100)
def email_deliver(subject: str, body: str, to: list[str], from_email: str, html: str = "") -> int:
    """Send a message already written in its reader's language (allauth's: password reset,
    address confirmation)."""
    return rendered_email_send(subject=subject, body=body, to=to, from_email=from_email, html=html)
