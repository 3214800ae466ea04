"""Where a request comes from: the one reading of the client address that the sign-in
limits, the API throttles, the login history and the new-device e-mails all use."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. With ``TRUSTED_PROXY_COUNT = 0`` (no proxy) it is the peer's
    address and X-Forwarded-For is ignored: a client writes whatever it wants there. Behind
    N trusted proxies, each appends the address it saw, so the N-th entry from the right is
    the last one no client could forge; whatever the client put to its left never counts."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        # The request did not pass through every proxy: only the peer is known.
        return remote
    return _address(forwarded[-proxies]) or remote


def client_user_agent(request: HttpRequest) -> str:
    return (request.META.get("HTTP_USER_AGENT") or "")[:500]
