from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """limit/offset with both ends bounded: an offset past 2**63 crashed SQLite (found by schemathesis)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=10_000_000)

    def __init__(self, **kwargs):
        super().__init__(max_limit=200, **kwargs)
