from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from .industries import SECTIONS
from .models import Enterprise
from .uscc import USCCError, normalize_uscc


class EnterpriseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    uscc: str = Field(description="统一社会信用代码，18位，含校验位")
    name: str = Field(min_length=2, max_length=200)
    address: str = Field(default="", max_length=255)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    industry: str = Field(description="GB/T 4754 门类字母 A–T")
    size: str = Field(default=Enterprise.Size.SMALL)
    tags: list[str] = Field(default_factory=list, max_length=20)
    assigned_staff_id: int | None = None
    geofence_m: int | None = Field(default=None, ge=50, le=5000)

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        try:
            return normalize_uscc(value)
        except USCCError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("industry")
    @classmethod
    def _industry(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in SECTIONS:
            raise ValueError("行业门类应为 GB/T 4754 的门类字母 A–T")
        return value

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        if value not in Enterprise.Size.values:
            raise ValueError("企业规模应为 micro、small、medium 或 large")
        return value


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    address: str
    lat: float
    lng: float
    industry: str
    size: str
    tags: list[str]
    assigned_staff_id: int | None
    geofence_m: int | None


class NearbyQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    limit: int = Field(default=20, ge=1, le=100)
    q: str = Field(default="", max_length=100, description="名称或拼音首字母")


class NearbyEnterpriseOut(Schema):
    id: int
    name: str
    address: str
    lat: float
    lng: float
    geofence_m: int | None
    distance_m: float
