"""Reads that may come from a read replica (`REPLICA_DATABASE_URL`): the anonymous public
register, its API and CSV. Writes, and every request of a signed-in user or a token holder,
use the primary, so that nobody acts on a lagging copy and a revoked credential is never
looked up there."""

from collections.abc import Callable
from contextvars import ContextVar, Token
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


class ReplicaRouter:
    """Sends reads to the replica while a view allows it (`replica_reads`), everything else
    to the primary; migrations run on the primary only."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return REPLICA if _replica_reads.get() and REPLICA in settings.DATABASES else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


def replica_reads(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A page whose anonymous reads may come from the replica. The user is looked up first,
    on the primary: a signed-in user's request stays there."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _replica_reads.set(not request.user.is_authenticated)
        try:
            return view(request, *args, **kwargs)
        finally:
            _replica_reads.reset(token)

    return wrapped


class ReplicaReadsMixin:
    """The same for an API view: once DRF has authenticated the caller (on the primary), an
    anonymous caller's reads may come from the replica."""

    _replica_token: Token[bool] | None = None

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._replica_token = _replica_reads.set(not request.user.is_authenticated)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        token = getattr(self, "_replica_token", None)
        if token is not None:
            _replica_reads.reset(token)
            self._replica_token = None
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
