"""Each request's id: made by ``RequestIdMiddleware`` (first in ``MIDDLEWARE``), sent back
in the ``X-Request-ID`` header, written on every log line (``RequestIdLogFilter`` in
``LOGGING``) and shown on the error pages, so that a user's report leads to the log. It
imports no model: the logging configuration loads it before the apps."""

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Give each request a random id: on ``request.request_id``, in the ``X-Request-ID``
    response header, in every log line written while it is answered (``RequestIdLogFilter``)
    and on the error pages, so that a user's report leads to the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = uuid.uuid4().hex[:16]
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Puts the current request's id on every log record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a refused request's line (django.request) once the middleware has
        # returned: the record carries the request itself then.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True
