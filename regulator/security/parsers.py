"""Input bounds that hold before any view runs: JSON nested too deep, or with a huge number, is a 400."""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A number literal longer than this is refused (Python's int() already refuses 4,300+ digits, as a 500).
MAX_NUMBER_DIGITS = 100


def _bounded_number(text: str):
    if len(text) > MAX_NUMBER_DIGITS:
        raise ValueError("number too long")
    return int(text)


def _bounded_float(text: str):
    if len(text) > MAX_NUMBER_DIGITS:
        raise ValueError("number too long")
    return float(text)


def depth_of(value, limit: int) -> int:
    """How deep `value` nests, stopping (without recursion) as soon as it passes `limit`."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def loads_bounded(text: str | bytes, *, max_depth: int | None = None):
    """json.loads with a nesting limit checked before parsing (so no RecursionError) and bounded numbers."""
    limit = max_depth or settings.REGULATOR_JSON_MAX_DEPTH
    raw = text.decode("utf-8") if isinstance(text, bytes) else text
    depth = 0
    in_string = escaped = False
    for char in raw:  # brackets outside strings: a cheap scan, linear in the body, bounded by the upload limit
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise ValueError(f"JSON nested deeper than {limit} levels")
        elif char in "]}":
            depth -= 1
    return json.loads(raw, parse_int=_bounded_number, parse_float=_bounded_float)


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            body = stream.read() if stream is not None else b""
            return loads_bounded(body.decode(encoding))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError(f"JSON parse error: {exc}"[:200]) from None
