"""Bounded input types: every value a request may carry has a sane range.

Used by every input schema (body, query, form and path), so a class of bad
input is refused in one place instead of endpoint by endpoint:

- text (`CleanText`, `RequiredText`, `Secret`): no NUL or other control
  characters (PostgreSQL refuses NUL in text, SQLite stores it; either way no
  form has one), no lone UTF-16 surrogates (not encodable as UTF-8);
- dates and times (`Day`, `Moment`): 2000-01-01 … 2100-12-31. Python's
  date arithmetic overflows near years 1 and 9999, and no record here is
  from outside that span;
- ids and counts (`Id`): a positive 64-bit database integer;
- numbers: `InputSchema` refuses NaN and ±Infinity (which Python's JSON
  parser accepts) and each float field states its own finite range.

`tests/contract/test_input_bounds.py` walks every operation's input models and
fails on a text, number or date field that does not use these.
"""

import datetime as dt
import re
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict, Field

MIN_DAY = dt.date(2000, 1, 1)
MAX_DAY = dt.date(2100, 12, 31)
MAX_ID = 2**63 - 1  # a 64-bit signed database integer

# C0 controls except tab and newline, DEL, C1 controls, and lone surrogates
# (JSON's "\ud800" decodes to one; neither database's UTF-8 can store it).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_MESSAGE = "含有不可见的控制字符"


def _no_controls(value: str) -> str:
    # A carriage return is half of a Windows newline, not a control character to refuse.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _FORBIDDEN.search(value):
        raise ValueError(CONTROL_MESSAGE)
    return value


def _clean(value: str) -> str:
    return _no_controls(value).strip()


def _required(value: str) -> str:
    if not value:
        raise ValueError("此项不能为空")
    return value


def _not_null(value):
    # Only reached when a client sends null explicitly: a left-out field keeps its default.
    if value is None:
        raise ValueError("此项不能为空")
    return value


# The validator objects double as markers: the contract test looks for them.
CLEAN = AfterValidator(_clean)
NO_CONTROLS = AfterValidator(_no_controls)
REQUIRED = AfterValidator(_required)
NOT_NULL = BeforeValidator(_not_null)

CleanText = Annotated[str, CLEAN]
"""Free text: trimmed, without control characters (tab and newline are kept)."""

RequiredText = Annotated[str, CLEAN, REQUIRED]
"""CleanText that must not be empty once trimmed."""

Secret = Annotated[str, NO_CONTROLS]
"""A password: never trimmed, but no control characters either."""


def _day_in_range(value: dt.date) -> dt.date:
    if not MIN_DAY <= value <= MAX_DAY:
        raise ValueError(f"日期应在 {MIN_DAY} 至 {MAX_DAY} 之间")
    return value


def _moment_in_range(value: dt.datetime) -> dt.datetime:
    # Compared in UTC: a time just inside the range in one zone stays usable in all.
    first = dt.datetime.combine(MIN_DAY, dt.time.min, tzinfo=dt.UTC)
    last = dt.datetime.combine(MAX_DAY, dt.time.max, tzinfo=dt.UTC)
    if not first <= value <= last:
        raise ValueError(f"时间应在 {MIN_DAY} 至 {MAX_DAY} 之间")
    return value


DAY_RANGE = AfterValidator(_day_in_range)
MOMENT_RANGE = AfterValidator(_moment_in_range)

Day = Annotated[dt.date, DAY_RANGE]
"""A calendar date between 2000-01-01 and 2100-12-31."""

Moment = Annotated[AwareDatetime, MOMENT_RANGE]
"""A time with its time zone, between 2000-01-01 and 2100-12-31."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A database id: what a 64-bit integer column can hold, nothing larger."""


def month_start(value: str) -> dt.date:
    """'YYYY-MM' as the month's first day, within the date range; ValueError otherwise."""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value):
        raise ValueError("月份格式应为 YYYY-MM")
    return _day_in_range(dt.date(int(value[:4]), int(value[5:]), 1))


def _month(value: str) -> str:
    month_start(value)
    return value


Month = Annotated[str, CLEAN, AfterValidator(_month)]
"""'YYYY-MM' between 2000-01 and 2100-12."""


class InputSchema(Schema):
    """Base of every input schema: unknown fields and non-finite numbers are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
