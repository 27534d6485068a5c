from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class NoticeListQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    unread_only: bool = False
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=100_000)


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NoticeListOut(Schema):
    count: int
    unread: int
    items: list[NoticeOut]


class MarkedOut(Schema):
    marked: int
