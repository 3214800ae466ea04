"""Rate limits of the API and of the public look-up pages, counted per client address as
``accounts.client.client_ip`` gives it (DRF's own reading trusts any X-Forwarded-For a
client sends), or per user once signed in. The rates are ``REST_FRAMEWORK``'s
``DEFAULT_THROTTLE_RATES``.

DRF's throttles keep every request's time in a list that grows with the rate (read, trimmed
and written back: two round trips and a list of up to 1,000 entries each time). Here a
request costs one round trip to Redis, whatever the rate: a counter per window of the rate's
length, weighted with the previous window's count (a sliding-window estimate, so that a
client cannot pass twice the rate across a window's edge). A view can have its own cache
reads carried by that round trip (``reads_with_throttle``): a cached answer then costs the
request no second one."""

import math
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import (
    AnonRateThrottle,
    BaseThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from accounts.client import client_ip


class _ClientAddress:
    def get_ident(self, request: HttpRequest | Request) -> str:
        django_request = request._request if isinstance(request, Request) else request
        return client_ip(django_request) or "unknown"


# One command, so one round trip: start this window's counter (it lives for two windows: the
# next one weighs it), count the request, read the previous window's count and the request's
# own cache reads. KEYS: this window's counter, the previous window's, then the keys to read.
_COUNT_AND_READ = """
redis.call("SET", KEYS[1], 0, "EX", ARGV[1], "NX")
local reply = {redis.call("INCR", KEYS[1]), redis.call("GET", KEYS[2])}
for index = 3, #KEYS do
  reply[index] = redis.call("GET", KEYS[index])
end
return reply
"""
# Registered once, with the first client; each call names the client it runs on.
_script: Any = None


def _window_counts(
    key: str, window: int, duration: int, reads: Sequence[str] = ()
) -> tuple[int, int, dict[str, Any]]:
    """Count one request in this window: the counts of this window and the one before, and
    the values the cache holds for ``reads`` (the keys it has), all in one round trip."""
    current, previous = f"{key}:{window}", f"{key}:{window - 1}"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        global _script
        client = cache._cache.get_client(write=True)
        if _script is None:
            _script = client.register_script(_COUNT_AND_READ)
        keys = [cache.make_key(name) for name in (current, previous, *reads)]
        count, before, *values = _script(keys=keys, args=[2 * duration], client=client)
        loads = cache._cache._serializer.loads  # type: ignore[attr-defined]
        pairs = zip(reads, values, strict=True)
        found = {name: loads(value) for name, value in pairs if value is not None}
        return int(count), int(before or 0), found
    # The database and in-memory caches of development and tests: the same answers, in
    # the cache API's calls.
    cache.add(current, 0, timeout=2 * duration)
    count = cache.incr(current)
    return count, int(cache.get(previous) or 0), cache.get_many(reads) if reads else {}


def first_refusal(
    request: HttpRequest | Request, throttles: Iterable[BaseThrottle], view: Any = None
) -> BaseThrottle | None:
    """Count ``request`` with each of ``throttles`` in turn; the first that refuses it (its
    ``wait()`` is the Retry-After), or None when all allow it. For a Django view as for DRF's
    own check, which the register's API runs before DRF (``brokers.api.views``)."""
    for throttle in throttles:
        if not throttle.allow_request(request, view):  # type: ignore[arg-type]
            return throttle
    return None


def reads_with_throttle(request: HttpRequest | Request, keys: Sequence[str]) -> None:
    """Ask the throttle that counts ``request`` to read the cache keys ``keys`` in its round
    trip; what it found is then ``read_with_throttle(request)``."""
    request._reads_with_throttle = list(keys)  # type: ignore[union-attr]


def read_with_throttle(request: HttpRequest | Request) -> dict[str, Any] | None:
    """The cache's values for the keys ``reads_with_throttle`` asked for (the keys it has),
    or None when no throttle counted the request (no rate, or none for this client)."""
    found: dict[str, Any] | None = getattr(request, "_read_with_throttle", None)
    return found


class _SlidingWindow:
    """The rate's count over the last window's length, from two counters."""

    rate: str | None
    num_requests: int
    duration: int

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        count, before, found = _window_counts(
            key, window, self.duration, getattr(request, "_reads_with_throttle", ())
        )
        request._read_with_throttle = found
        elapsed = (now - window * self.duration) / self.duration
        estimate = before * (1 - elapsed) + count
        if estimate <= self.num_requests:
            return True
        # Until the weighted count of the previous window has fallen enough (or, with no
        # earlier requests, until this window ends).
        excess = estimate - self.num_requests
        self._wait = (
            min(1 - elapsed, excess / before) * self.duration
            if before
            else (1 - elapsed) * self.duration
        )
        return False

    def wait(self) -> float | None:
        return math.ceil(getattr(self, "_wait", 0.0)) or 1


class ClientAnonRateThrottle(_ClientAddress, _SlidingWindow, AnonRateThrottle):
    """Anonymous requests, per client address (``anon``)."""


class ClientUserRateThrottle(_ClientAddress, _SlidingWindow, UserRateThrottle):
    """Signed-in requests per user (``user``). Anonymous ones are ``ClientAnonRateThrottle``'s
    alone, which every view that has this one also has: counting them twice would cost a
    second round trip and limit nothing more (the anonymous rate is the lower)."""

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not request.user.is_authenticated:
            return None
        key: str | None = super().get_cache_key(request, view)
        return key


class LetterCheckRateThrottle(_ClientAddress, _SlidingWindow, SimpleRateThrottle):
    """Look-ups of a letter of authority by its code, on the page and the API alike, per
    client address whoever is signed in: codes are not to be guessed (``letter_check``)."""

    scope = "letter_check"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class DocumentCheckRateThrottle(LetterCheckRateThrottle):
    """Public checks of an uploaded PDF's signatures, page and API alike, per client address
    (``document_check``): each costs a signature validation."""

    scope = "document_check"
