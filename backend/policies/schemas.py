import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, model_validator

from backend.kernel.inputs import CleanText, Day, Id, InputSchema, RequiredText
from backend.kernel.paging import Page, PageQuery

from .facts import FACTS, INDUSTRY_CODE

FactKey = Literal[tuple(FACTS)]  # type: ignore[valid-type]
Op = Literal[">=", ">", "<=", "<", "==", "in", "not_in", "held", "not_held"]
Word = Annotated[CleanText, Field(min_length=1, max_length=64)]
MAX_CONDITIONS = 20
LIMIT = 1e12  # 万元: far above any enterprise, far below a float's range


class ConditionIn(InputSchema):
    fact: FactKey = Field(description="条件所依据的企业信息")
    op: Op
    number: float | None = Field(default=None, ge=-LIMIT, le=LIMIT, description="数值条件的门槛（万元、人）")
    values: list[Word] | None = Field(default=None, max_length=50, description="属于/不属于：行业代码前缀、规模、村、园区")
    year: int | None = Field(default=None, ge=2000, le=2100, description="按年的信息（营收、纳税）用哪一年；空为上一完整年度")
    clause: CleanText = Field(default="", max_length=200, description="条件出自的条款，如“第三条第（一）项”")

    @model_validator(mode="after")
    def _fits_the_fact(self):
        fact = FACTS[self.fact]
        if self.op not in fact.ops:
            raise ValueError(f"「{fact.label}」只能用这些比较：{'、'.join(fact.ops)}")
        if fact.kind == "number" and self.number is None:
            raise ValueError(f"「{fact.label}」的条件需要填写数值")
        if fact.kind in ("code", "choice", "text") and not self.values:
            raise ValueError(f"「{fact.label}」的条件需要至少一个取值")
        if fact.choices and any(v not in dict(fact.choices) for v in self.values or []):
            raise ValueError(f"「{fact.label}」的取值应为：{'、'.join(k for k, _ in fact.choices)}")
        if fact.kind == "code" and any(not INDUSTRY_CODE.fullmatch(v.upper()) for v in self.values or []):
            raise ValueError("行业代码应为 GB/T 4754 代码：门类字母加 0–4 位数字，如 C、C39、C3911")
        if self.year is not None and not fact.yearly:
            raise ValueError(f"「{fact.label}」不按年度记录，不能指定年度")
        return self


class GroupIn(InputSchema):
    match: Literal["all", "any"] = Field(description="all：全部满足；any：满足其一")
    conditions: list[ConditionIn] = Field(min_length=1, max_length=MAX_CONDITIONS)


class RulesIn(InputSchema):
    match: Literal["all", "any"] = "all"
    conditions: list[ConditionIn | GroupIn] = Field(default_factory=list, max_length=MAX_CONDITIONS)


class PolicyIn(InputSchema):
    title: RequiredText = Field(min_length=2, max_length=200)
    issuer: RequiredText = Field(min_length=2, max_length=100)
    document_no: CleanText = Field(default="", max_length=100)
    summary: CleanText = Field(default="", max_length=5000)
    benefits: CleanText = Field(default="", max_length=2000)
    valid_from: Day | None = None
    valid_until: Day | None = None
    status: Literal["draft", "published"] = "draft"
    rules: RulesIn = Field(default_factory=RulesIn)

    @model_validator(mode="after")
    def _dates(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("截止日期不能早于起始日期")
        return self


class PolicyPatchIn(InputSchema):
    title: RequiredText | None = Field(default=None, min_length=2, max_length=200)
    issuer: RequiredText | None = Field(default=None, min_length=2, max_length=100)
    document_no: CleanText | None = Field(default=None, max_length=100)
    summary: CleanText | None = Field(default=None, max_length=5000)
    benefits: CleanText | None = Field(default=None, max_length=2000)
    valid_from: Day | None = None
    valid_until: Day | None = None
    status: Literal["draft", "published"] | None = None
    rules: RulesIn | None = None


class PolicyListQuery(PageQuery):
    status: Literal["draft", "published"] | None = None


class PolicyOut(Schema):
    id: int
    title: str
    issuer: str
    document_no: str
    summary: str
    benefits: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    status: str
    status_label: str
    rules: dict
    conditions_text: list[str]
    updated_at: dt.datetime


class PolicyPageOut(Page):
    items: list[PolicyOut]


class AskPolicyIn(InputSchema):
    text: RequiredText = Field(min_length=1, max_length=2000)


class AskPolicyOut(Schema):
    consultation_id: int
    url: str


class FactChoiceOut(Schema):
    value: str
    label: str


class FactSpecOut(Schema):
    key: str
    label: str
    kind: str
    unit: str
    yearly: bool
    derived: bool
    ops: list[str]
    choices: list[FactChoiceOut]


class CatalogueOut(Schema):
    facts: list[FactSpecOut]
    op_labels: dict[str, str]
    default_year: int


class FactIn(InputSchema):
    enterprise_id: Id | None = Field(default=None, description="企业用户不填（本企业）；工作人员必填")
    key: FactKey
    year: int | None = Field(default=None, ge=2000, le=2100, description="按年度记录的信息必填")
    number: float | None = Field(default=None, ge=0, le=LIMIT)
    text: CleanText | None = Field(default=None, max_length=64)
    held: bool | None = None
    valid_from: Day | None = None
    valid_until: Day | None = None
    as_of: Day | None = Field(default=None, description="数据日期；空为今天")


class FactQuery(PageQuery):
    enterprise_id: Id | None = None


class FactOut(Schema):
    id: int
    enterprise_id: int
    key: str
    label: str
    year: int | None
    number: float | None
    text: str
    held: bool | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    source: str
    source_label: str
    as_of: dt.date
    recorded_at: dt.datetime


class FactPageOut(Page):
    items: list[FactOut]


class MatchQuery(PageQuery):
    enterprise_id: Id | None = Field(default=None, description="工作人员查看某企业时必填；企业用户不填")
    outcome: Literal["eligible", "ineligible", "unknown"] | None = None
    limit: int = Field(default=200, ge=1, le=200)


class MatchReasonOut(Schema):
    fact: str
    label: str
    op: str
    threshold: str
    year: int | None
    value: str | None
    clause: str
    status: Literal["met", "failed", "missing"]
    text: str
    shortfall: str | None = None


class MatchOut(Schema):
    policy_id: int
    title: str
    issuer: str
    benefits: str
    valid_until: dt.date | None
    outcome: Literal["eligible", "ineligible", "unknown"]
    outcome_label: str
    near_miss: bool
    shortfalls: list[str]
    missing_facts: list[str]
    reasons: list[MatchReasonOut]
    conditions: list[MatchReasonOut]


class MatchPageOut(Page):
    items: list[MatchOut]
    enterprise_id: int
    enterprise_name: str
    counts: dict[str, int]
