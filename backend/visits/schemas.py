import datetime as dt
from uuid import UUID

from ninja import Schema
from typing import Annotated, Literal

from pydantic import Field

from backend.kernel.inputs import CleanText, Day, Id, InputSchema, Moment, RequiredText
from backend.kernel.paging import Page, PageQuery

from backend.demands.models import Demand

from .models import Visit

Purpose = Visit.Purpose
Category = Demand.Category


class CheckinIn(InputSchema):
    client_id: UUID = Field(description="手机生成的 UUID，用作幂等键")
    # Bounded to the id column's range: the check-in reads with raw SQL, where a
    # larger number would be a database error instead of "no such enterprise".
    enterprise_id: Id
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    speed: float | None = Field(default=None, ge=0, le=1_000, description="m/s, from the Geolocation API")
    heading: float | None = Field(default=None, ge=0, le=360)
    captured_at: Moment = Field(description="手机采集定位的时间，ISO 8601 带时区")
    queued: bool = Field(default=False, description="离线排队后补传")


class CheckinOut(Schema):
    id: int
    client_id: UUID
    enterprise_id: int
    enterprise_name: str
    checkin_at: dt.datetime
    distance_m: float
    within_geofence: bool
    flags: list[str]


class VisitDemandIn(InputSchema):
    category: Category
    text: RequiredText = Field(min_length=1, max_length=1000)


class CheckoutIn(InputSchema):
    client_id: UUID
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    captured_at: Moment
    purpose: Purpose
    people_met: CleanText = Field(default="", max_length=200)
    summary: CleanText = Field(default="", max_length=2000)
    demands: list[VisitDemandIn] = Field(default_factory=list, max_length=20)


class VisitDemandOut(Schema):
    id: int
    category: str
    text: str


class VisitPhotoOut(Schema):
    id: int
    client_id: UUID
    url: str
    thumbnail_url: str
    width: int
    height: int
    exif_distance_m: float | None


class CheckoutOut(Schema):
    id: int
    client_id: UUID
    checkout_at: dt.datetime
    duration_s: int
    checkout_distance_m: float
    flags: list[str]
    rating_url: str


class VisitOut(Schema):
    id: int
    client_id: UUID
    staff_id: int
    staff_name: str
    enterprise_id: int
    enterprise_name: str
    checkin_at: dt.datetime
    checkin_lat: float
    checkin_lng: float
    checkin_accuracy_m: float | None
    distance_m: float
    within_geofence: bool
    queued: bool
    checkout_at: dt.datetime | None
    checkout_lat: float | None
    checkout_lng: float | None
    duration_s: int | None
    purpose: str
    people_met: str
    summary: str
    flags: list[str]
    checkout_flags: list[str]
    demands: list[VisitDemandOut]
    photos: list[VisitPhotoOut]
    rating: int | None
    rating_comment: str
    unverified_rating: int | None
    unverified_comment: str
    flag_reviews: list["FlagReviewOut"]


class VisitListQuery(PageQuery):
    date_from: Day | None = None
    date_to: Day | None = None
    staff_id: Id | None = None


class VisitPageOut(Page):
    items: list[VisitOut]


class RatingIn(InputSchema):
    stars: int = Field(ge=1, le=5)
    comment: CleanText = Field(default="", max_length=500)


class RatingPageOut(Schema):
    enterprise_name: str
    staff_name: str
    visit_date: dt.date
    rated: bool  # a counted rating exists
    rating: int | None
    rating_comment: str
    unverified_rated: bool  # a rating sent without logging in exists (counts nowhere)
    # How a rating from whoever asks would count: verified / unverified / refused (why).
    standing: Literal["verified", "unverified", "refused"]
    refusal: str | None


class TrailQuery(InputSchema):
    staff_id: Id
    date: Day


class TrailFlagOut(Schema):
    flag: str
    status: str


class TrailPointOut(Schema):
    visit_id: int
    kind: str = Field(description="in = 签到, out = 签退")
    lat: float
    lng: float
    at: dt.datetime
    accuracy_m: float | None
    enterprise_id: int
    enterprise_name: str
    distance_m: float | None
    flags: list[TrailFlagOut]


class LegOut(Schema):
    from_index: int
    to_index: int
    distance_m: float
    seconds: float
    speed_kmh: float | None = Field(description="null：两处不同地点的时间相同或倒序（不可能的移动，已标记）")


class ScopeOut(Schema):
    kind: str = Field(description="all | unit | self | none: whose trails and statistics the viewer may see")
    explanation: str = Field(description="为什么是这个范围（例如科室负责人尚未设置所属单位时只能看自己）")


class TrailOut(Schema):
    staff_id: int
    staff_name: str
    scope: ScopeOut
    date: dt.date
    points: list[TrailPointOut]
    distance_km: float
    legs: list[LegOut]


class FlagReviewIn(InputSchema):
    status: Literal["accepted", "explained", "rejected"]
    comment: CleanText = Field(default="", max_length=1000)


class FlagExplainIn(InputSchema):
    explanation: RequiredText = Field(min_length=1, max_length=1000)


class FlagReviewOut(Schema):
    visit_id: int
    flag: str
    status: str
    comment: str
    reviewer_name: str | None
    reviewed_at: dt.datetime | None
    explanation: str
    explained_at: dt.datetime | None


class AccessLogOut(Schema):
    viewer_name: str
    viewer_role: str
    what: str
    what_label: str
    detail: str
    at: dt.datetime


class AccessLogPageOut(Page):
    items: list[AccessLogOut]


# Path parameters. [0-9], not \d: "²" is a digit to Python and to pydantic's
# patterns, and int("²") raised inside the check-out (a 500).
VisitRef = Annotated[
    CleanText,
    Field(
        max_length=36,
        pattern=r"^([1-9][0-9]{0,17}|[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})$",
        description="走访 id，或签到时手机生成的 client_id（UUID）",
    ),
]
FlagName = Annotated[CleanText, Field(max_length=40, pattern=r"^[a-z_]{1,40}$", description="标记名，例如 outside_geofence")]
RatingToken = Annotated[CleanText, Field(max_length=64, pattern=r"^[A-Za-z0-9_-]{1,64}$", description="评价二维码中的令牌")]
