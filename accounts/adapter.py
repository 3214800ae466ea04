"""allauth's hooks: our messages (translated in our catalogue, since allauth ships no
Vietnamese), its e-mails written in the reader's language and sent by a worker, and the
start of the security checks after a password sign-in."""

from functools import partial
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailConfirmation
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.client import client_ip, client_user_agent
from accounts.emails import absolute_url
from accounts.models import LoginEvent, User
from accounts.security import security_checks_start
from accounts.selectors import address_recipients
from accounts.services.login_history import login_event_record
from accounts.tasks import email_deliver


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

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits count per client address as every other limit does
        (``accounts.client.client_ip``)."""
        return client_ip(request) or super().get_client_ip(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth counts failed sign-ins per address and per account; the account's count
        is kept per address too, so that someone guessing from elsewhere slows down only
        themselves and never locks the rightful user out (the user is e-mailed instead:
        ``accounts.services.login_history``)."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Write the message here, where allauth's request is at hand, in the reader's
        language; a worker sends it once the request's changes are committed."""
        user = context.get("user")
        if isinstance(user, User):
            language = user.language
        else:
            language = address_recipients([email])[0].language
        if "signup_url" in context:  # allauth builds it from the request's host
            context = {**context, "signup_url": absolute_url("account_signup")}
        request = self.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_url": settings.SITE_URL,
            **context,
        }
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        alternatives = message.alternatives if isinstance(message, EmailMultiAlternatives) else []
        html = next((str(content) for content, kind in alternatives if kind == "text/html"), "")
        transaction.on_commit(
            partial(
                email_deliver.delay,
                subject=str(message.subject),
                body=str(message.body),
                to=list(message.to),
                from_email=message.from_email,
                html=html,
            )
        )

    def get_reset_password_from_key_url(self, key: str) -> str:
        # The opaque key is "<user id in base 36>-<token>", as allauth's URL takes it.
        uidb36, _dash, token = key.partition("-")
        return absolute_url("account_reset_password_from_key", uidb36=uidb36, key=token)

    def get_email_confirmation_url(
        self, request: HttpRequest, emailconfirmation: EmailConfirmation
    ) -> str:
        return absolute_url("account_confirm_email", emailconfirmation.key)

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": absolute_url("account_signup"),
                "password_reset_url": absolute_url("account_reset_password"),
            },
        )

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
