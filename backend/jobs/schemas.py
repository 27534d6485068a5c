import datetime as dt
from uuid import UUID

from ninja import Schema
from pydantic import Field


class JobOut(Schema):
    id: UUID
    kind: str
    title: str
    status: str = Field(description="queued 排队中 / running 进行中 / done 已完成 / failed 失败")
    done: int
    total: int | None
    percent: int | None = Field(description="0–100 when the total is known")
    error: str
    download_url: str | None = Field(description="when done: GET it for the file")
    created_at: dt.datetime
    finished_at: dt.datetime | None
