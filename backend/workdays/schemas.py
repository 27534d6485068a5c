import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from backend.kernel.inputs import Day, InputSchema, RequiredText

from .services import MAX_HOLIDAYS, MAX_NAME, MAX_WORKDAYS, MAX_YEAR, MIN_YEAR

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description=f"{MIN_YEAR}–{MAX_YEAR}")]


class HolidayIn(InputSchema):
    date: Day
    name: Annotated[RequiredText, Field(max_length=MAX_NAME, description="节日名称，如 劳动节")]


class YearScheduleIn(InputSchema):
    holidays: Annotated[
        list[HolidayIn],
        Field(max_length=MAX_HOLIDAYS, description="放假的每一天（假期中的周末也列上），含节日名称"),
    ]
    workdays: Annotated[list[Day], Field(max_length=MAX_WORKDAYS, description="调休上班的周六、周日")]


class HolidayOut(Schema):
    date: dt.date
    name: str


class YearScheduleOut(Schema):
    year: int
    source: Literal["official", "admin", "none"] = Field(
        description="official 官方(chinesecalendar) / admin 管理员录入 / none 无（截止时间待日历确认）"
    )
    source_label: str
    official_known: bool = Field(description="chinesecalendar 是否收录了该年（管理员录入优先）")
    holidays: list[HolidayOut]
    workdays: list[dt.date]
    updated_by: str | None
    updated_at: dt.datetime | None
