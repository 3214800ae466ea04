"""The API's JSON parser, bounded in nesting: a body nested deeper than ``JSON_MAX_DEPTH`` is
refused with a 400, where DRF's own parser lets deep nesting end in a RecursionError (a
500). Its size is bounded before: DRF reads the body through ``request.body``, which Django
refuses past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a 400 as well, ``config.views.bad_request``)."""

import codecs
from itertools import chain, compress
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

# Lists of objects are two levels deep; no request of this API needs more than a few.
JSON_MAX_DEPTH = 32
_CONTAINER_TYPES = frozenset((dict, list))


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether ``data`` (as ``json.loads`` gives it) nests lists and objects deeper than
    ``limit``. Walked a level at a time without recursion, the values of a level listed and
    sorted by type inside the interpreter's built-ins: a batch of 10,000 flat objects costs
    a few milliseconds, not one Python step per value."""
    level = [data]
    for _depth in range(limit):
        containers = list(compress(level, map(_CONTAINER_TYPES.__contains__, map(type, level))))
        if not containers:
            return False
        level = list(
            chain.from_iterable(
                value.values() if type(value) is dict else value for value in containers
            )
        )
    return any(map(_CONTAINER_TYPES.__contains__, map(type, level)))


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = b"" if stream is None else stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(
                text, parse_constant=json.strict_constant if api_settings.STRICT_JSON else None
            )
        except RecursionError as error:
            raise ParseError(_("The JSON is nested too deeply.")) from error
        except (ValueError, LookupError) as error:
            raise ParseError(
                _("The body is not valid JSON: %(error)s") % {"error": error}
            ) from error
        if json_depth_exceeds(data, JSON_MAX_DEPTH):
            raise ParseError(_("The JSON is nested too deeply."))
        return data
