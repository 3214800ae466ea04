"""The site's own middleware: the refusal of control characters in a request's path, query
and headers, before any view, form, query or header sees them; ``no-store`` on signed-in
pages and downloads; the Content-Security-Policy header, built once."""

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from accounts.web import error_response

# C0 controls (NUL among them), DEL and C1 controls.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")
# In a header's value HTTP allows the tab; gunicorn lets the others (NUL too) through.
_HEADER_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


class ControlCharacterGuardMiddleware:
    """A path with a control character names no page (404); a query or a header with one is
    refused (400). No view, form, query or header ever sees such a character from the URL,
    and none stores a NUL from a header (a User-Agent in the login history)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _CONTROL_CHARACTERS.search(request.path):
            return error_response(request, 404)
        for name, values in request.GET.lists():
            if any(_CONTROL_CHARACTERS.search(text) for text in (name, *values)):
                return error_response(
                    request, 400, detail=_("The address contains control characters.")
                )
        for key, value in request.META.items():
            if key.startswith("HTTP_") and _HEADER_CONTROL_CHARACTERS.search(str(value)):
                return error_response(
                    request, 400, detail=_("A header of the request contains control characters.")
                )
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page a signed-in user gets and on every document
    download (contracts, letters, CSV exports), so that a shared computer's browser cache or
    a proxy keeps none of it after the user leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        download = response.has_header("Content-Disposition") or response.get(
            "Content-Type", ""
        ).startswith(("application/pdf", "text/csv"))
        if download or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


# What a view can set on a response to change its policy (django-csp's decorators).
_POLICY_CHANGES = (
    "_csp_exempt",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt_ro",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@cache
def _settings_policies() -> tuple[tuple[str, str], ...] | None:
    """The headers of ``CONTENT_SECURITY_POLICY`` (and its report-only twin) for a response
    without a nonce: (header, policy), the empty ones left out; None when a policy leaves
    some paths out (django-csp's ``EXCLUDE_URL_PREFIXES``), which its own middleware does."""
    names = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    if any((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") for name in names):
        return None
    policies = ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
    return tuple((header, policy) for header, policy in policies if policy)


@receiver(setting_changed)
def _settings_policies_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware. A response whose page used no nonce and whose view changed
    nothing of the policy gets the settings' policy as built once per process: it is the
    same text every time, and building it cost every request 40 µs. Every other response is
    django-csp's own."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        policies = _settings_policies()
        if (
            policies is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _POLICY_CHANGES)
        ):
            return super().process_response(request, response)
        for header, policy in policies:
            if header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
