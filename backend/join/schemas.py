import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

from backend.accounts.schemas import MOBILE, MeOut
from backend.enterprises.uscc import USCCError, normalize_uscc
from backend.kernel.inputs import CleanText, InputSchema, RequiredText
from backend.kernel.paging import Page, PageQuery


class RegisterCodeIn(InputSchema):
    mobile: CleanText = Field(max_length=11, pattern=MOBILE, description="11位中国大陆手机号码")


class RegisterIn(InputSchema):
    mobile: CleanText = Field(max_length=11, pattern=MOBILE)
    code: CleanText = Field(max_length=6, pattern=r"^[0-9]{6}$")


class RegisteredOut(MeOut):
    created: bool = Field(description="true：新建了企业账号；false：该手机号已有企业账号，已登录")


class ClaimIn(InputSchema):
    name: RequiredText = Field(min_length=2, max_length=200, description="营业执照上的企业名称")
    uscc: CleanText = Field(max_length=40, description="统一社会信用代码，18位，含校验位")

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        try:
            return normalize_uscc(value)
        except USCCError as exc:
            raise ValueError(str(exc)) from None


class DecisionIn(InputSchema):
    reason: CleanText = Field(default="", max_length=500, description="说明（未通过时必填，会告知企业）")


class RejectIn(InputSchema):
    reason: RequiredText = Field(min_length=2, max_length=500, description="未通过的原因，会告知企业")


class ClaimListQuery(PageQuery):
    status: Literal["pending", "approved", "rejected", "all"] = Field(default="pending")


class ClaimOut(Schema):
    """A claim as its claimant sees it."""

    id: int
    name: str = Field(description="认领时填写的企业名称")
    uscc: str
    status: str
    status_text: str = Field(description="待核实 / 已通过 / 未通过")
    how_verified: str = Field(description="mobile_match：手机号与登记联系人一致，当即通过；staff：工作人员核实")
    note: str = Field(description="为何需要工作人员核实")
    reason: str = Field(description="工作人员的说明（未通过的原因）")
    created_at: dt.datetime
    decided_at: dt.datetime | None


class StatusOut(Schema):
    verified: bool = Field(description="已核实为企业用户，可查看本企业数据")
    enterprise_id: int | None
    status_text: str = Field(description="未认领 / 待核实 / 已通过 / 未通过（原因）")
    claim: ClaimOut | None


class ClaimReviewOut(ClaimOut):
    """A claim as a reviewer sees it: who asked, and the registry's entry."""

    enterprise_id: int
    enterprise_name: str = Field(description="名录中登记的企业名称")
    enterprise_pending: bool = Field(description="名录中原无此企业，认领时新建的待核实登记")
    claimant_id: int
    claimant_mobile: str
    decided_by: str | None


class ClaimPageOut(Page):
    items: list[ClaimReviewOut]
