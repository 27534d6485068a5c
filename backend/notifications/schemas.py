from datetime import datetime

from ninja import Schema
from pydantic import Field

from backend.kernel.inputs import CleanText, InputSchema
from backend.kernel.paging import Page, PageQuery


class NoticeListQuery(PageQuery):
    unread_only: bool = False


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NoticeListOut(Page):
    items: list[NoticeOut]
    unread: int = Field(description="我的全部未读条数（与筛选无关）")


class MarkedOut(Schema):
    marked: int


# --- delivery: batch summaries (admins) ------------------------------------------------------


class ReasonOut(Schema):
    reason: str
    count: int


class ChannelSummaryOut(Schema):
    total: int = Field(description="deliveries on this channel (inbox: notices written)")
    counts: dict[str, int] = Field(description="by status: queued 排队中, sending 发送中, sent 已发送, delivered 已送达, read 已读, failed 失败")
    attempts: int
    overdue: int = Field(description="open deliveries more than 10 minutes past their due time: stuck")
    reasons: list[ReasonOut] = Field(description="the commonest reasons of failed deliveries")


class BatchSummaryOut(Schema):
    id: int
    kind: str
    title: str
    created_at: datetime
    recipients: int
    channels: list[str]
    summary: dict[str, ChannelSummaryOut]


# --- delivery: Web Push subscriptions -----------------------------------------------------------

_B64URL = r"^[A-Za-z0-9_-]+={0,2}$"


class PushConfigOut(Schema):
    enabled: bool = Field(description="false: the server has no VAPID keys, push is off")
    public_key: str | None = Field(description="applicationServerKey for PushManager.subscribe (base64url)")
    subscribed: int = Field(description="how many of my devices are subscribed")


class PushKeysIn(InputSchema):
    p256dh: CleanText = Field(min_length=80, max_length=100, pattern=_B64URL)
    auth: CleanText = Field(min_length=16, max_length=32, pattern=_B64URL)


class PushSubscriptionIn(InputSchema):
    """What `PushSubscription.toJSON()` gives in the browser."""

    endpoint: CleanText = Field(min_length=12, max_length=1000, pattern=r"^https?://[!-~]+$")
    expirationTime: int | None = Field(default=None, ge=0, le=2**53)  # noqa: N815  (the browser's name)
    keys: PushKeysIn


class PushEndpointIn(InputSchema):
    endpoint: CleanText = Field(min_length=12, max_length=1000, pattern=r"^https?://[!-~]+$")


class PushSubscribedOut(Schema):
    subscribed: bool
    created: bool


class PushRemovedOut(Schema):
    removed: int
