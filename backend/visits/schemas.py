import datetime as dt
from uuid import UUID

from ninja import Schema
from typing import Literal

from pydantic import AwareDatetime, ConfigDict, Field

from .models import Visit, VisitDemand

Purpose = Visit.Purpose
Category = VisitDemand.Category


class CheckinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(description="手机生成的 UUID，用作幂等键")
    # Bounded to the id column's range: the check-in reads with raw SQL, where a
    # larger number would be a database error instead of "no such enterprise".
    enterprise_id: int = Field(ge=1, le=2**63 - 1)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    speed: float | None = Field(default=None, ge=0, le=1_000, description="m/s, from the Geolocation API")
    heading: float | None = Field(default=None, ge=0, le=360)
    captured_at: AwareDatetime = Field(description="手机采集定位的时间，ISO 8601 带时区")
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


class DemandIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: Category
    text: str = Field(min_length=1, max_length=1000)


class CheckoutIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: UUID
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    captured_at: AwareDatetime
    purpose: Purpose
    people_met: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=2000)
    demands: list[DemandIn] = Field(default_factory=list, max_length=20)


class DemandOut(Schema):
    id: int
    category: str
    text: str


class PhotoOut(Schema):
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
    demands: list[DemandOut]
    photos: list[PhotoOut]
    rating: int | None
    rating_comment: str
    unverified_rating: int | None
    unverified_comment: str
    flag_reviews: list["FlagReviewOut"]


class VisitListQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    staff_id: int | None = None


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stars: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)


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


class TrailQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    staff_id: int
    date: dt.date


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
    speed_kmh: float


class TrailOut(Schema):
    staff_id: int
    staff_name: str
    date: dt.date
    points: list[TrailPointOut]
    distance_km: float
    legs: list[LegOut]


class FlagReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["accepted", "explained", "rejected"]
    comment: str = Field(default="", max_length=1000)


class FlagExplainIn(Schema):
    model_config = ConfigDict(extra="forbid")

    explanation: str = Field(min_length=1, max_length=1000)


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
