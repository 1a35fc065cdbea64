"""The API's JSON parser: DRF's, refusing a body nested deeper than any of ours needs before it is parsed.

Python's json module recurses once per level, so a body of 1,000 `[` raised RecursionError inside DRF's parser, a
500 on every endpoint that reads a body. The deepest body the API takes is three levels (answers, an answer, its
choices); MAX_DEPTH leaves room and still refuses long before the recursion limit."""

import io
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

MAX_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)  # brackets inside strings are text
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str, *, beyond: int) -> int:
    """How deeply the JSON text nests arrays and objects, counting no further than `beyond`."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > beyond:
                break
        else:
            depth -= 1
    return deepest


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(get_encoding(parser_context or {}))  # ParseError for a charset that is not text
        except UnicodeError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        # A body cannot nest deeper than it has opening brackets: most bodies have too few to need counting.
        if text.count("[") + text.count("{") > MAX_DEPTH and nesting_depth(text, beyond=MAX_DEPTH) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - the body is nested more than {MAX_DEPTH} levels deep.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
