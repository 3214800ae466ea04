"""The refusal of control characters in a request's path, query and headers, before any
view, form, query or header sees them."""

import re
from collections.abc import Callable

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
