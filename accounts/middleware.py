from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp_webauthn.utils import get_exempt_urls

from accounts.security import CHANGE_PASSWORD, SET_UP, VERIFY, security_step_owed


class SecurityPolicyMiddleware:
    """Send a signed-in session to the security step it owes (second factor, setting one
    up, new password) and let it reach nothing else until the step is done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = security_step_owed(request)
        if step is not None and not self._allowed(request.path_info, step):
            target = {
                VERIFY: "accounts:otp_verify",
                SET_UP: "accounts:two_factor",
                CHANGE_PASSWORD: "account_change_password",
            }[step]
            url = reverse(target)
            if request.method == "GET" and step == VERIFY:
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str, step: str) -> bool:
        always = [
            reverse("account_logout"),
            settings.STATIC_URL,
            "/i18n/",
            "/healthz",
        ]
        # The passkey ceremonies (django-otp-webauthn's JSON endpoints) check for themselves
        # who may register or use a passkey: see accounts.views.passkeys.
        passkey_ceremonies = [*get_exempt_urls(), reverse("otp_webauthn:js-i18n-catalog")]
        by_step = {
            VERIFY: [reverse("accounts:otp_verify"), *passkey_ceremonies],
            SET_UP: [reverse("accounts:two_factor"), *passkey_ceremonies],
            CHANGE_PASSWORD: [reverse("account_change_password")],
        }[step]
        return any(path.startswith(prefix) for prefix in [*always, *by_step])
