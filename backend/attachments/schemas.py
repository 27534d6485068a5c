import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from backend.kernel.inputs import InputSchema


class AttachmentOut(Schema):
    id: int
    kind: Literal["image", "pdf"]
    name: str
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None
    pages: int | None = Field(description="PDF 的页数")
    uploaded_by_name: str
    uploaded_at: dt.datetime
    url: str = Field(description="下载地址（照片直接显示；PDF 作为附件下载）")
    thumb_url: str | None = Field(description="照片的缩略图")


class AttachmentQuery(InputSchema):
    thumb: bool = False
