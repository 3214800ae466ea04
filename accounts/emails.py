"""How the registry e-mails people; the e-mails of every app go through here.

A request never sends mail: a service queues a Celery task with ``transaction.on_commit``
(so a rolled-back change announces nothing and nobody waits for the mail server), and the
task calls an ``emails`` module, which writes each message in its readers' language (their
stored one, Vietnamese for an address with no user) and sends them over one connection.
Links are absolute on ``settings.SITE_URL``: a worker has no request to take a host from.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import DEFAULT_LANGUAGE, Invitation, LoginEvent, User
from accounts.selectors import Recipient, address_recipients


def absolute_url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """The full address of a page of the site, for a link in an e-mail or a QR code."""
    path = reverse(viewname, args=args or None, kwargs=kwargs or None)
    return settings.SITE_URL.rstrip("/") + path


def email_render(template: str, context: Mapping[str, Any], *, language: str) -> tuple[str, str]:
    """The subject (``<template>_subject.txt``) and body (``<template>.txt``) in a language."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", dict(context)).split())
        body = render_to_string(f"{template}.txt", dict(context)).strip() + "\n"
    return subject, body


def recipients_by_language(recipients: Iterable[Recipient]) -> dict[str, list[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for recipient in recipients:
        language = recipient.language
        if language not in dict(settings.LANGUAGES):
            language = DEFAULT_LANGUAGE
        grouped[language].add(recipient.email)
    return {language: sorted(addresses) for language, addresses in sorted(grouped.items())}


def emails_build(
    template: str, context: Mapping[str, Any], recipients: Iterable[Recipient]
) -> list[EmailMessage]:
    """One message per language among the recipients, each written in that language; the
    recipients of one message see each other's addresses, so call this per organisation."""
    messages = []
    for language, addresses in recipients_by_language(recipients).items():
        subject, body = email_render(template, context, language=language)
        messages.append(EmailMessage(subject=subject, body=body, to=addresses))
    return messages


def emails_send(messages: Sequence[EmailMessage]) -> int:
    """Send the messages over one connection; returns how many were sent."""
    if not messages:
        return 0
    return get_connection().send_messages(list(messages)) or 0


def rendered_email_send(
    *, subject: str, body: str, to: list[str], from_email: str, html: str = ""
) -> int:
    """Send a message written in the request that asked for it (allauth's)."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return emails_send([message])


def invitation_email_send(*, invitation_id: int, raw_key: str) -> int:
    """E-mail the invited person the link that creates their account, unless the invitation
    was used or has expired meanwhile."""
    invitation = Invitation.objects.select_related("organization").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return 0
    context = {
        "invitation": invitation,
        "link": absolute_url("accounts:invitation_accept", raw_key),
        "days": settings.INVITATION_VALID_DAYS,
        "sign_in_url": absolute_url("account_login"),
    }
    # The inviter is not told that the address has an account; its owner is.
    template = (
        "accounts/email/invitation_account_exists"
        if User.objects.filter(email__iexact=invitation.email).exists()
        else "accounts/email/invitation"
    )
    return emails_send(emails_build(template, context, address_recipients([invitation.email])))


def _login_event_email_send(
    *, event_id: int, template: str, urls: dict[str, str] | None = None
) -> int:
    # The account holder hears of a sign-in event in their language, with a link to their
    # login history (and any other link the message needs).
    event = LoginEvent.objects.select_related("user").filter(pk=event_id).first()
    if event is None or event.user is None:
        return 0
    user = event.user
    context = {
        "user": user,
        "event": event,
        "history_url": absolute_url("accounts:login_history"),
        **{name: absolute_url(url_name) for name, url_name in (urls or {}).items()},
    }
    recipients = [Recipient(user.email, user.language)]
    return emails_send(emails_build(template, context, recipients))


def new_sign_in_email_send(*, event_id: int) -> int:
    """Tell a user that their account was signed in to from an IP and browser never seen."""
    return _login_event_email_send(event_id=event_id, template="accounts/email/new_sign_in")


def failed_sign_ins_email_send(*, event_id: int) -> int:
    """Tell a user that their account had repeated failed sign-ins (wrong passwords or
    codes), from which address the last one came, and what to do if it was not them."""
    return _login_event_email_send(
        event_id=event_id,
        template="accounts/email/failed_sign_ins",
        urls={"password_url": "account_change_password"},
    )


def two_factor_reset_email_send(*, user_id: int, admin_id: int) -> int:
    """Tell a user that an administrator removed their passkeys, authenticators and backup
    codes, and what happens at their next sign-in."""
    user = User.objects.select_related("organization").filter(pk=user_id).first()
    admin = User.objects.filter(pk=admin_id).first()
    if user is None or admin is None:
        return 0
    context = {
        "user": user,
        "admin": admin,
        "required": user.organization is not None and user.organization.requires_2fa,
        "two_factor_url": absolute_url("accounts:two_factor"),
        "history_url": absolute_url("accounts:login_history"),
    }
    recipients = [Recipient(user.email, user.language)]
    return emails_send(emails_build("accounts/email/two_factor_reset", context, recipients))
