"""Rate limits of the API and of the public look-up pages, counted per client address as
``accounts.client.client_ip`` gives it (DRF's own reading trusts any X-Forwarded-For a
client sends), or per user once signed in. The rates are ``REST_FRAMEWORK``'s
``DEFAULT_THROTTLE_RATES``."""

from typing import Any

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from accounts.client import client_ip


class _ClientAddress:
    def get_ident(self, request: HttpRequest | Request) -> str:
        django_request = request._request if isinstance(request, Request) else request
        return client_ip(django_request) or "unknown"


class ClientAnonRateThrottle(_ClientAddress, AnonRateThrottle):
    """Anonymous requests, per client address (``anon``)."""


class ClientUserRateThrottle(_ClientAddress, UserRateThrottle):
    """Signed-in requests per user, anonymous ones per client address (``user``)."""


class LetterCheckRateThrottle(_ClientAddress, SimpleRateThrottle):
    """Look-ups of a letter of authority by its code, on the page and the API alike, per
    client address whoever is signed in: codes are not to be guessed (``letter_check``)."""

    scope = "letter_check"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class DocumentCheckRateThrottle(LetterCheckRateThrottle):
    """Public checks of an uploaded PDF's signatures, page and API alike, per client address
    (``document_check``): each costs a signature validation."""

    scope = "document_check"
