from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from backend.kernel.inputs import CleanText, InputSchema, Month
from backend.kernel.paging import Page, PageQuery

Metric = Literal["tax", "revenue", "output_value", "employees", "energy"]
Scope = Literal["all", "above_scale"]
By = Literal["none", "industry", "size"]
Kind = Literal["month", "ytd"]


class EconomyFiguresQuery(InputSchema):
    metric: Metric = "tax"
    month: Month = Field(max_length=7, description="YYYY-MM")
    kind: Kind = Field(default="month", description="month：当月（环比、同比）；ytd：1–N月累计（同比）")
    scope: Scope = Field(default="all", description="all：当月有数据的全部企业；above_scale：当月规上企业（同口径）")
    by: By = "none"


class EconomyRowsQuery(EconomyFiguresQuery, PageQuery):
    group: CleanText = Field(default="all", max_length=20, description="figures 中该行的 group；all 为合计")


class EconomyTrendQuery(InputSchema):
    metric: Metric = "tax"
    end: Month = Field(max_length=7, description="最后一个月 YYYY-MM")
    months: int = Field(default=24, ge=2, le=60)
    scope: Scope = "all"


class IndicatorCorrectIn(InputSchema):
    field: Metric
    value: Decimal | None = Field(ge=Decimal("-999999999999"), le=Decimal("999999999999"), max_digits=14, decimal_places=2)
    reason: CleanText = Field(min_length=1, max_length=200)


class EconomyMissingOut(Schema):
    enterprise_id: int
    enterprise_name: str
    months: list[str]


class EconomyComparisonOut(Schema):
    label: str
    rule: str
    rate: float | None
    comparable_current: Decimal | None
    comparable_base: Decimal | None
    comparable: int
    missing_base: list[EconomyMissingOut]
    missing_base_count: int
    explained: str


class EconomyFigureFilterOut(Schema):
    metric: str
    month: str
    kind: str
    scope: str
    by: str
    group: str


class EconomyFigureOut(Schema):
    group: str
    label: str
    current: Decimal | None
    enterprises: int
    missing_current: list[EconomyMissingOut]
    missing_current_count: int
    comparisons: dict[str, EconomyComparisonOut]
    filter: EconomyFigureFilterOut


class EconomyFiguresOut(Schema):
    metric: str
    metric_label: str
    unit: str
    month: str
    kind: str
    period_label: str
    scope: str
    scope_label: str
    by: str
    total: EconomyFigureOut
    rows: list[EconomyFigureOut]


class EconomySideOut(Schema):
    current: Decimal | None
    base: Decimal | None
    comparable: bool
    months_missing: list[str]


class EconomyRowOut(Schema):
    enterprise_id: int
    enterprise_name: str
    uscc: str
    indicator_id: int | None
    batch: str
    sides: dict[str, EconomySideOut]


class EconomyRowsOut(Page):
    items: list[EconomyRowOut]


class EconomyTrendPointOut(Schema):
    month: str
    value: Decimal | None
    yoy: str
    enterprises: int


class EconomyTrendOut(Schema):
    metric: str
    unit: str
    scope: str
    points: list[EconomyTrendPointOut]


class IndicatorCorrectionOut(Schema):
    field: str
    old: Decimal | None
    new: Decimal | None
    by_name: str
    batch: str
    reason: str
    at: str


class IndicatorOut(Schema):
    id: int
    enterprise_id: int
    month: str
    above_scale: bool
    tax: Decimal | None
    revenue: Decimal | None
    output_value: Decimal | None
    employees: Decimal | None
    energy: Decimal | None
    batch: str
    corrections: list[IndicatorCorrectionOut]


class IndicatorImportProblemOut(Schema):
    row: int
    field: str
    message: str
    where: str


class IndicatorImportOut(Schema):
    file_name: str
    total: int
    valid: int
    created: int
    updated: int
    corrected: int
    columns: list[str]
    problems: list[IndicatorImportProblemOut]
    dry_run: bool
    imported: bool
    batch_id: int | None
    summary: str
