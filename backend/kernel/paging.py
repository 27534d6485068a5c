"""The one envelope every list answers with.

    {"items": [...], "count": N, "limit": L, "offset": O, ...extras}

`count` is the number of matches in all (not only this page); `limit` and
`offset` echo the page that was served. A list may add its own extras (the
inbox adds `unread`). `tests/contract/test_http_kernel.py` walks the API's
routes: a GET that answers with a bare array, or with an object lacking these
four fields, fails unless it is declared "not a list" there with a reason.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

from .inputs import InputSchema

MAX_OFFSET = 10_000_000  # an offset past 2**63 crashed SQLite (found by schemathesis)


class PageQuery(InputSchema):
    """limit/offset, both bounded. A list with other defaults subclasses this."""

    limit: int = Field(default=50, ge=1, le=200, description="本页最多条数")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="跳过的条数")


class Page(Schema):
    """Base of every list's output schema: subclass it with `items: list[ItemOut]`."""

    items: list[Any]
    count: int = Field(description="符合条件的总数（不只是本页）")
    limit: int = Field(description="本页最多条数")
    offset: int = Field(description="本页之前跳过的条数")


def page(
    rows: QuerySet | Sequence,
    *,
    limit: int,
    offset: int,
    shape: Callable[[Any], Any] | None = None,
    count: int | None = None,
    **extras: Any,
) -> dict:
    """One page of `rows` in the envelope; `shape` turns each row of the page into its output."""
    if count is None:
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chunk = list(rows[offset : offset + limit])
    return {
        "items": [shape(row) for row in chunk] if shape else chunk,
        "count": count,
        "limit": limit,
        "offset": offset,
        **extras,
    }
