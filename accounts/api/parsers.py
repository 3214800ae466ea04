"""The API's JSON parser, bounded in nesting: a body nested deeper than ``JSON_MAX_DEPTH`` is
refused with a 400, where DRF's own parser lets deep nesting end in a RecursionError (a
500). Its size is bounded before: DRF reads the body through ``request.body``, which Django
refuses past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a 400 as well, ``config.views.bad_request``)."""

import codecs
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

# Lists of objects are two levels deep; no request of this API needs more than a few.
JSON_MAX_DEPTH = 32


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether ``data`` nests lists and objects deeper than ``limit`` (walked without
    recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


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
