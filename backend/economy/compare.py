"""Period comparisons as the statistics bureau makes them: pure Python, no Django.

同口径 (like for like): a figure's enterprises are the ones in scope in the *current* period
(规上 this month, say); their base is what those same enterprises had in the base period,
whatever their scope was then. A firm that entered 规上 is compared with its own last year; a
firm that left is in neither side. The total shows every enterprise in scope; the growth rate
is computed on the enterprises that have values in both periods, and those left out are named
(docs/economy.md: "missing is not zero").

Growth on a sum, never a sum of growths: Σcurrent / Σbase − 1 over the comparable firms.

Bases that are not positive follow written rules (RULES), so a negative tax base never gives a
rate with the wrong sign:
- base > 0                → rate = (current − base) / base
- base = 0                → no rate, "—" (上年同期为零，不可比)
- base < 0, current ≥ 0   → 扭亏
- base < 0, base < current < 0 → 减亏
- base < 0, current = base → 持平
- base < 0, current < base → 增亏
- either side missing     → no rate, "—"
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

RULES = {
    "ratio": "按（本期 − 基期）÷ 基期计算",
    "zero_base": "基期为零，不可比，不计算增速",
    "turnaround": "基期为负、本期不为负：扭亏",
    "loss_narrowed": "基期、本期均为负，本期负得更少：减亏",
    "loss_widened": "基期、本期均为负，本期负得更多：增亏",
    "flat_negative": "基期、本期均为负且相等：持平",
    "missing": "缺少可比数据，不计算增速",
}
LABELS = {"zero_base": "—", "turnaround": "扭亏", "loss_narrowed": "减亏", "loss_widened": "增亏", "flat_negative": "持平", "missing": "—"}


@dataclass(frozen=True)
class Growth:
    rule: str
    rate: Decimal | None  # a fraction: 0.125 is +12.5 %
    label: str

    @property
    def explained(self) -> str:
        return RULES[self.rule]


def growth(current: Decimal | None, base: Decimal | None) -> Growth:
    """One growth figure between two sums, by the rules above."""
    if current is None or base is None:
        return Growth("missing", None, LABELS["missing"])
    if base > 0:
        rate = (current - base) / base
        return Growth("ratio", rate, percent(rate))
    if base == 0:
        return Growth("zero_base", None, LABELS["zero_base"])
    if current >= 0:
        rule = "turnaround"
    elif current > base:
        rule = "loss_narrowed"
    elif current == base:
        rule = "flat_negative"
    else:
        rule = "loss_widened"
    return Growth(rule, None, LABELS[rule])


def percent(rate: Decimal) -> str:
    """+12.5% / -3.0% / 0.0%: one decimal, half up, as the bureau prints it."""
    value = (rate * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value == 0:
        return "0.0%"
    return f"{value:+}%"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def shift_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_to_date(month: dt.date) -> list[dt.date]:
    """January to `month` of its year: the months a 1–N月累计 figure sums."""
    return [dt.date(month.year, m, 1) for m in range(1, month.month + 1)]


# (enterprise id, month) → value; a month absent from the mapping is missing, not zero.
Values = Mapping[tuple[int, dt.date], Decimal]


@dataclass
class Comparison:
    """One figure for a set of enterprises: the current total and its growth on a base."""

    current: Decimal | None  # Σ over every enterprise in scope with a value (None: none has one)
    growth: Growth
    comparable_current: Decimal | None  # the sides the rate is computed on
    comparable_base: Decimal | None
    enterprises: int  # in scope
    comparable: list[int] = field(default_factory=list)
    # enterprise id → the months it lacks ("2025-03"), per side; they are in no rate.
    missing_current: dict[int, list[str]] = field(default_factory=dict)
    missing_base: dict[int, list[str]] = field(default_factory=dict)

    @property
    def explained(self) -> str:
        parts = [f"{self.enterprises} 家企业", self.growth.explained]
        if self.missing_base:
            parts.append(f"{len(self.missing_base)} 家缺基期数据，未计入增速")
        if self.missing_current:
            parts.append(f"{len(self.missing_current)} 家缺本期数据，未计入总量和增速")
        return "；".join(parts)


def _sum(values: Values, enterprise: int, months: list[dt.date]) -> tuple[Decimal | None, list[str]]:
    total = Decimal(0)
    lacking = []
    for month in months:
        value = values.get((enterprise, month))
        if value is None:
            lacking.append(f"{month:%Y-%m}")
        else:
            total += value
    return (None if lacking else total), lacking


def compare(*, values: Values, members: Iterable[int], current: list[dt.date], base: list[dt.date]) -> Comparison:
    """`members`: the enterprises in scope in the current period; `current`/`base`: the months
    each side sums (one month, or January to N). An enterprise lacking any month of a side
    has no value on that side: a partial year-to-date is not a year-to-date."""
    members = sorted(set(members))
    total = None
    cur_sum = base_sum = None
    comparable: list[int] = []
    missing_current: dict[int, list[str]] = {}
    missing_base: dict[int, list[str]] = {}
    for enterprise in members:
        now_value, lacking_now = _sum(values, enterprise, current)
        if now_value is None:
            missing_current[enterprise] = lacking_now
            continue
        total = now_value if total is None else total + now_value
        base_value, lacking_base = _sum(values, enterprise, base)
        if base_value is None:
            missing_base[enterprise] = lacking_base
            continue
        comparable.append(enterprise)
        cur_sum = now_value if cur_sum is None else cur_sum + now_value
        base_sum = base_value if base_sum is None else base_sum + base_value
    return Comparison(
        current=total,
        growth=growth(cur_sum, base_sum),
        comparable_current=cur_sum,
        comparable_base=base_sum,
        enterprises=len(members),
        comparable=comparable,
        missing_current=missing_current,
        missing_base=missing_base,
    )


def periods(month: dt.date, *, kind: str) -> dict[str, tuple[list[dt.date], list[dt.date]]]:
    """The (current, base) months of each comparison a figure shows for `month`.

    kind "month": 环比 (the month before, across a year's end) and 同比 (the month a year
    before). kind "ytd": 1–N月累计 同比 (January to N of this year against the same months of
    last year); a year-to-date has no 环比."""
    month = month_start(month)
    if kind == "month":
        return {"mom": ([month], [shift_months(month, -1)]), "yoy": ([month], [shift_months(month, -12)])}
    if kind == "ytd":
        this_year = months_to_date(month)
        return {"yoy": (this_year, [shift_months(m, -12) for m in this_year])}
    raise ValueError(kind)


def scope_members(flags: Mapping[tuple[int, dt.date], bool], month: dt.date) -> set[int]:
    """The enterprises in scope in `month` (规上 that month, as reported with its figures):
    the current period decides, so a firm is compared with itself across an entry or exit."""
    month = month_start(month)
    return {enterprise for (enterprise, m), on in flags.items() if m == month and on}
