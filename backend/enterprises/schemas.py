from typing import Annotated

from ninja import Schema
from pydantic import Field, field_validator

from backend.kernel.inputs import CleanText, Id, InputSchema, RequiredText
from backend.kernel.paging import Page, PageQuery

from .industries import SECTIONS
from .models import Enterprise
from .uscc import USCCError, normalize_uscc


class EnterpriseIn(InputSchema):
    uscc: CleanText = Field(max_length=40, description="统一社会信用代码，18位，含校验位")
    name: RequiredText = Field(min_length=2, max_length=200)
    address: CleanText = Field(default="", max_length=255)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    industry: CleanText = Field(max_length=2, description="GB/T 4754 门类字母 A–T")
    size: CleanText = Field(default=Enterprise.Size.SMALL, max_length=10)
    tags: list[Annotated[CleanText, Field(max_length=50)]] = Field(default_factory=list, max_length=20)
    assigned_staff_id: Id | None = None
    geofence_m: int | None = Field(default=None, ge=50, le=5000)
    contact_mobile: CleanText = Field(default="", max_length=11, pattern=r"^(1[3-9][0-9]{9})?$", description="登记联系人手机；认领企业时手机号一致即自动核实")

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
    lat: float | None = Field(description="待核实登记（pending）的企业尚无位置")
    lng: float | None
    industry: str
    size: str
    tags: list[str]
    assigned_staff_id: int | None
    geofence_m: int | None
    pending: bool = Field(description="企业自行认领时新建、尚待工作人员核实的登记")


class EnterpriseListQuery(PageQuery):
    q: CleanText = Field(default="", max_length=100, description="名称、拼音首字母或统一社会信用代码")


class EnterprisePageOut(Page):
    items: list[EnterpriseOut]


class NearbyQuery(InputSchema):
    lat: float | None = Field(default=None, ge=-90, le=90, description="不给位置时须给 q：按名称查找，不算距离")
    lng: float | None = Field(default=None, ge=-180, le=180)
    limit: int = Field(default=20, ge=1, le=100, description="最多返回最近的几家")
    q: CleanText = Field(default="", max_length=100, description="名称或拼音首字母")


class NearbyEnterpriseOut(Schema):
    id: int
    name: str
    address: str
    lat: float
    lng: float
    geofence_m: int | None
    distance_m: float | None = Field(description="未给位置（尚未定位）时为 null")


class NearbyPageOut(Page):
    """The `limit` nearest enterprises: a top-N list, so `count` is how many were
    found (at most `limit`) and `offset` is always 0."""

    items: list[NearbyEnterpriseOut]
