"""JSON we send: never NaN or Infinity.

Python's json module writes a non-finite float as a bare `NaN`/`Infinity`,
which is not JSON: `JSON.parse` throws, and the PWA took the whole answer for a
captive portal (a site with a building area of 5e-324 had an infinite rent per
m², and the anonymous map showed no markers and an "offline" banner).

Inputs are bounded so that this should not happen; if a derived figure still
turns out non-finite, it is sent as `null` and logged with its path, instead of
breaking the answer for everyone.
"""

import json
import logging
import math
from typing import Any

from django.http import HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/json; charset=utf-8"


def _finite(value: Any, path: str, found: list[str]) -> Any:
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        found.append(path or "$")
        return None
    if isinstance(value, dict):
        return {k: _finite(v, f"{path}.{k}", found) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v, f"{path}[{i}]", found) for i, v in enumerate(value)]
    return value


class _FiniteEncoder(NinjaJSONEncoder):
    """For the second pass: what default() makes of an object (a model's dump) is made finite too."""

    found: list[str]

    def default(self, o: Any) -> Any:
        return _finite(super().default(o), f"<{type(o).__name__}>", self.found)


def dumps(data: Any) -> str:
    """Compact UTF-8 JSON; a non-finite float becomes null (and is logged)."""
    try:
        # The common case costs one pass: allow_nan=False only raises.
        return json.dumps(data, cls=NinjaJSONEncoder, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except ValueError as exc:
        if "Out of range float" not in str(exc):
            raise
    found: list[str] = []
    encoder = _FiniteEncoder(allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    encoder.found = found
    text = encoder.encode(_finite(data, "", found))
    log.error("non-finite number(s) sent as null at %s", ", ".join(found[:20]))
    return text


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """An answer serialised by dumps(), for views that build their JSON themselves."""
    return HttpResponse(dumps(data), status=status, content_type=CONTENT_TYPE)


class FiniteJSONRenderer(BaseRenderer):
    """The NinjaAPI's renderer: every answer through dumps()."""

    media_type = "application/json"
    charset = "utf-8"

    def render(self, request, data: Any, *, response_status: int) -> str:
        return dumps(data)
