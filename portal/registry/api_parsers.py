"""The JSON API's request parsers (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES), apart from its
URLs: DRF imports them while it defines its views, so they import no view."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser, refusing a body nested deeper than ``API_JSON_MAX_DEPTH`` with a 400
    (Python's parser would overflow the stack on a deep enough one: a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(too_deep_message()) from exc
        if json_depth(data) > settings.API_JSON_MAX_DEPTH:
            raise ParseError(too_deep_message())
        return data


def too_deep_message() -> str:
    return _("The JSON is nested more than %(max)s levels deep.") % {
        "max": settings.API_JSON_MAX_DEPTH
    }


def json_depth(data) -> int:
    """How deep lists and objects nest (a scalar is 0), counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in value)
    return deepest
