"""The public register's answers, kept in the cache until the register changes.

Every service that writes what the register shows (a licence, its agents, its offices, a
sanction, a renamed organisation) calls ``register_changed()`` inside its transaction; once
it commits, the register's version in the cache moves on, and every answer cached under the
old version is never read again. So a suspension shows on the very next request; no answer
waits for a time-to-live. The version and the answer are read in one round trip.
"""

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "brokers:register:version"
# Moved on whenever the shape of a cached answer changes, so that a deployment never reads
# what the previous code cached.
_ENTRY_PREFIX = "brokers:register:answer:2:"

T = TypeVar("T")


def register_changed() -> None:
    """Mark every cached answer of the register stale once the current transaction commits
    (at once outside a transaction): the writer's next request already sees the change."""
    transaction.on_commit(_version_bump)


def _version_bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # No version yet (or evicted): start from the clock, above any version used before.
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _version_start() -> int:
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    version: int | None = cache.get(VERSION_KEY)
    # A cache that keeps nothing (the dummy backend) gives a version no answer matches.
    return version if version is not None else -1


def register_cache_keys(parts: Iterable[object]) -> list[str]:
    """The cache keys of the answer to ``parts`` (what the request asked: its path,
    parameters, host), today and in the active language: the register's version and the
    answer's entry."""
    material = "\x1f".join(str(part) for part in (*parts, timezone.localdate(), get_language()))
    return [VERSION_KEY, _ENTRY_PREFIX + hashlib.sha256(material.encode()).hexdigest()]


def register_cached(
    keys: Sequence[str], compute: Callable[[], T], found: Mapping[str, Any] | None = None
) -> T:
    """The answer cached under ``keys`` (``register_cache_keys`` of what the request asked)
    as of the register's current version; ``compute`` makes it when none is. ``found``: what
    the cache held for ``keys``, when the caller has read it already."""
    version_key, entry_key = keys
    if found is None:
        found = cache.get_many([version_key, entry_key])
    cached = register_answer_found(keys, found)
    if cached is not None:
        answer: T = cached
        return answer
    version = found.get(version_key)
    if version is None:
        version = _version_start()
    answer = compute()
    # The time-to-live only bounds the memory that rarely asked answers hold; a replica that
    # lags behind the primary could have given a stale answer, so that one is kept briefly.
    cache.set(entry_key, (version, answer), timeout=_entry_timeout())
    return answer


def register_answer_found(keys: Sequence[str], found: Mapping[str, Any] | None) -> Any | None:
    """The answer cached under ``keys`` (``register_cache_keys``) if it is of the register's
    current version, from what the cache held for them (``found``, or read now); None when
    there is none, which ``register_cached`` then computes."""
    version_key, entry_key = keys
    if found is None:
        found = cache.get_many([version_key, entry_key])
    version, entry = found.get(version_key), found.get(entry_key)
    if version is None or entry is None or entry[0] != version:
        return None
    return entry[1]


def _entry_timeout() -> int:
    if settings.REPLICA_DATABASE_URL:
        seconds: int = settings.REGISTER_CACHE_REPLICA_SECONDS
    else:
        seconds = settings.REGISTER_CACHE_SECONDS
    return seconds
