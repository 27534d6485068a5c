"""Issue 16, acceptance 1: the golden suite of period comparisons (backend/economy/compare.py).

Each case is a small set of enterprise-month values, the enterprises in scope, the period and
the comparison, with the figure the statistics bureau's rules give: 同口径 (the current
period's enterprises compared with themselves), growth on sums, missing never read as zero,
negative and zero bases by the written rules, year boundaries, 1–N月累计.
"""

import datetime as dt
from decimal import Decimal

import pytest

from backend.economy.compare import compare, growth, periods, percent, scope_members

D = Decimal


def m(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01")


# growth(current, base) → (rule, label). Labels are what the dashboard prints.
GROWTH = [
    ("up", "120", "100", "ratio", "+20.0%"),
    ("down", "80", "100", "ratio", "-20.0%"),
    ("flat", "100", "100", "ratio", "0.0%"),
    ("to zero", "0", "100", "ratio", "-100.0%"),
    ("positive base, negative now", "-20", "100", "ratio", "-120.0%"),
    ("doubled", "200", "100", "ratio", "+100.0%"),
    ("half-up rounding .x5", "112.35", "100", "ratio", "+12.4%"),
    ("half-up rounding below", "112.34", "100", "ratio", "+12.3%"),
    ("tiny fall rounds to 0.0", "99.96", "100", "ratio", "0.0%"),
    ("tiny rise rounds to +0.1", "100.05", "100", "ratio", "+0.1%"),
    ("zero base, something now", "50", "0", "zero_base", "—"),
    ("zero base, zero now", "0", "0", "zero_base", "—"),
    ("zero base, negative now", "-5", "0", "zero_base", "—"),
    ("negative base, positive now", "30", "-10", "turnaround", "扭亏"),
    ("negative base, zero now", "0", "-10", "turnaround", "扭亏"),
    ("negative base, smaller loss", "-4", "-10", "loss_narrowed", "减亏"),
    ("negative base, same loss", "-10", "-10", "flat_negative", "持平"),
    ("negative base, bigger loss", "-15", "-10", "loss_widened", "增亏"),
    ("missing base", "10", None, "missing", "—"),
    ("missing current", None, "10", "missing", "—"),
    ("both missing", None, None, "missing", "—"),
    ("decimals exact (0.1 + 0.2)", "0.3", "0.1", "ratio", "+200.0%"),
]


@pytest.mark.parametrize(("name", "current", "base", "rule", "label"), GROWTH, ids=[c[0] for c in GROWTH])
def test_it_applies_the_written_growth_rules(name, current, base, rule, label):
    g = growth(None if current is None else D(current), None if base is None else D(base))
    assert (g.rule, g.label) == (rule, label)
    assert (g.rate is None) == (rule != "ratio")
    assert g.explained


# compare(): values {(enterprise, "YYYY-MM"): value}, members, month, kind, comparison →
# expected current total, rule, label, comparable ids, missing-base ids, missing-current ids.
COMPARE = [
    dict(
        name="sum first, then the rate (not a mean of rates)",
        values={(1, "2026-03"): "200", (1, "2025-03"): "100", (2, "2026-03"): "1000", (2, "2025-03"): "1000"},
        members=[1, 2], month="2026-03", kind="month", which="yoy",
        current="1200", label="+9.1%", comparable=[1, 2],
    ),
    dict(
        name="entered 规上 this year: compared with its own last year",
        values={(1, "2026-03"): "150", (1, "2025-03"): "100", (2, "2026-03"): "50", (2, "2025-03"): "40"},
        flags={(1, "2026-03"): True, (2, "2026-03"): True, (1, "2025-03"): True, (2, "2025-03"): False},
        month="2026-03", kind="month", which="yoy",
        current="200", label="+42.9%", comparable=[1, 2],
    ),
    dict(
        name="left 规上 this year: in neither side",
        values={(1, "2026-03"): "150", (1, "2025-03"): "100", (2, "2026-03"): "5", (2, "2025-03"): "400"},
        flags={(1, "2026-03"): True, (2, "2026-03"): False, (1, "2025-03"): True, (2, "2025-03"): True},
        month="2026-03", kind="month", which="yoy",
        current="150", label="+50.0%", comparable=[1],
    ),
    dict(
        name="missing base month: in the total, not in the rate, named",
        values={(1, "2026-03"): "120", (1, "2025-03"): "100", (2, "2026-03"): "70"},
        members=[1, 2], month="2026-03", kind="month", which="yoy",
        current="190", label="+20.0%", comparable=[1], missing_base={2: ["2025-03"]},
    ),
    dict(
        name="missing current month: in neither total nor rate, named",
        values={(1, "2026-03"): "120", (1, "2025-03"): "100", (2, "2025-03"): "70"},
        members=[1, 2], month="2026-03", kind="month", which="yoy",
        current="120", label="+20.0%", comparable=[1], missing_current={2: ["2026-03"]},
    ),
    dict(
        name="no base at all: no rate",
        values={(1, "2026-03"): "120", (2, "2026-03"): "80"},
        members=[1, 2], month="2026-03", kind="month", which="yoy",
        current="200", label="—", rule="missing", comparable=[], missing_base={1: ["2025-03"], 2: ["2025-03"]},
    ),
    dict(
        name="no data at all",
        values={}, members=[1], month="2026-03", kind="month", which="yoy",
        current=None, label="—", rule="missing", comparable=[], missing_current={1: ["2026-03"]},
    ),
    dict(
        name="empty scope",
        values={(1, "2026-03"): "5"}, members=[], month="2026-03", kind="month", which="yoy",
        current=None, label="—", rule="missing", comparable=[],
    ),
    dict(
        name="an explicit zero is data, not missing",
        values={(1, "2026-03"): "100", (1, "2025-03"): "0", (2, "2026-03"): "100", (2, "2025-03"): "100"},
        members=[1, 2], month="2026-03", kind="month", which="yoy",
        current="200", label="+100.0%", comparable=[1, 2],
    ),
    dict(
        name="only zero bases: no rate",
        values={(1, "2026-03"): "100", (1, "2025-03"): "0"},
        members=[1], month="2026-03", kind="month", which="yoy",
        current="100", label="—", rule="zero_base", comparable=[1],
    ),
    dict(
        name="refunds make the base sum negative: 扭亏",
        values={(1, "2026-03"): "10", (1, "2025-03"): "-50", (2, "2026-03"): "0", (2, "2025-03"): "20"},
        members=[1, 2], month="2026-03", kind="month", which="yoy",
        current="10", label="扭亏", rule="turnaround", comparable=[1, 2],
    ),
    dict(
        name="negative sums both sides, loss narrowed: 减亏",
        values={(1, "2026-03"): "-5", (1, "2025-03"): "-30"},
        members=[1], month="2026-03", kind="month", which="yoy",
        current="-5", label="减亏", rule="loss_narrowed", comparable=[1],
    ),
    dict(
        name="negative sums both sides, loss widened: 增亏",
        values={(1, "2026-03"): "-40", (1, "2025-03"): "-30"},
        members=[1], month="2026-03", kind="month", which="yoy",
        current="-40", label="增亏", rule="loss_widened", comparable=[1],
    ),
    dict(
        name="环比 in January looks at last December",
        values={(1, "2026-01"): "110", (1, "2025-12"): "100", (1, "2025-01"): "50"},
        members=[1], month="2026-01", kind="month", which="mom",
        current="110", label="+10.0%", comparable=[1],
    ),
    dict(
        name="同比 in January looks at last January",
        values={(1, "2026-01"): "110", (1, "2025-12"): "100", (1, "2025-01"): "50"},
        members=[1], month="2026-01", kind="month", which="yoy",
        current="110", label="+120.0%", comparable=[1],
    ),
    dict(
        name="环比 mid-year",
        values={(1, "2026-07"): "90", (1, "2026-06"): "100"},
        members=[1], month="2026-07", kind="month", which="mom",
        current="90", label="-10.0%", comparable=[1],
    ),
    dict(
        name="环比 missing the month before",
        values={(1, "2026-07"): "90", (1, "2026-05"): "100"},
        members=[1], month="2026-07", kind="month", which="mom",
        current="90", label="—", rule="missing", comparable=[], missing_base={1: ["2026-06"]},
    ),
    dict(
        name="同比 of a leap-year February",
        values={(1, "2024-02"): "29", (1, "2023-02"): "28"},
        members=[1], month="2024-02", kind="month", which="yoy",
        current="29", label="+3.6%", comparable=[1],
    ),
    dict(
        name="1–3月累计 同比",
        values={**{(1, f"2026-0{i}"): "10" for i in (1, 2, 3)}, **{(1, f"2025-0{i}"): "8" for i in (1, 2, 3)}},
        members=[1], month="2026-03", kind="ytd", which="yoy",
        current="30", label="+25.0%", comparable=[1],
    ),
    dict(
        name="1–1月累计 is the month's own 同比",
        values={(1, "2026-01"): "12", (1, "2025-01"): "10"},
        members=[1], month="2026-01", kind="ytd", which="yoy",
        current="12", label="+20.0%", comparable=[1],
    ),
    dict(
        name="1–12月累计: the whole year",
        values={**{(1, f"2026-{i:02d}"): "1" for i in range(1, 13)}, **{(1, f"2025-{i:02d}"): "2" for i in range(1, 13)}},
        members=[1], month="2026-12", kind="ytd", which="yoy",
        current="12", label="-50.0%", comparable=[1],
    ),
    dict(
        name="累计 with a month missing this year: not a year-to-date, named",
        values={(1, "2026-01"): "10", (1, "2026-03"): "10", **{(1, f"2025-0{i}"): "8" for i in (1, 2, 3)},
                **{(2, f"2026-0{i}"): "5" for i in (1, 2, 3)}, **{(2, f"2025-0{i}"): "5" for i in (1, 2, 3)}},
        members=[1, 2], month="2026-03", kind="ytd", which="yoy",
        current="15", label="0.0%", comparable=[2], missing_current={1: ["2026-02"]},
    ),
    dict(
        name="累计 with last January missing: in the total, not the rate",
        values={**{(1, f"2026-0{i}"): "10" for i in (1, 2, 3)}, (1, "2025-02"): "8", (1, "2025-03"): "8",
                **{(2, f"2026-0{i}"): "4" for i in (1, 2, 3)}, **{(2, f"2025-0{i}"): "2" for i in (1, 2, 3)}},
        members=[1, 2], month="2026-03", kind="ytd", which="yoy",
        current="42", label="+100.0%", comparable=[2], missing_base={1: ["2025-01"]},
    ),
    dict(
        name="累计 across 规上 entry: the current month decides the scope",
        values={**{(1, f"2026-0{i}"): "10" for i in (1, 2)}, **{(1, f"2025-0{i}"): "5" for i in (1, 2)}},
        flags={(1, "2026-01"): False, (1, "2026-02"): True},
        month="2026-02", kind="ytd", which="yoy",
        current="20", label="+100.0%", comparable=[1],
    ),
    dict(
        name="累计 across 规上 exit: out of this month's figure",
        values={**{(1, f"2026-0{i}"): "10" for i in (1, 2)}, **{(1, f"2025-0{i}"): "5" for i in (1, 2)}},
        flags={(1, "2026-01"): True, (1, "2026-02"): False},
        month="2026-02", kind="ytd", which="yoy",
        current=None, label="—", rule="missing", comparable=[],
    ),
    dict(
        name="a correction of the base changes the rate (the figure reads the corrected value)",
        values={(1, "2026-03"): "120", (1, "2025-03"): "80"},
        members=[1], month="2026-03", kind="month", which="yoy",
        current="120", label="+50.0%", comparable=[1],
    ),
    dict(
        name="a correction to zero of the base: no rate",
        values={(1, "2026-03"): "120", (1, "2025-03"): "0"},
        members=[1], month="2026-03", kind="month", which="yoy",
        current="120", label="—", rule="zero_base", comparable=[1],
    ),
    dict(
        name="a correction to negative of the base: 扭亏",
        values={(1, "2026-03"): "120", (1, "2025-03"): "-3"},
        members=[1], month="2026-03", kind="month", which="yoy",
        current="120", label="扭亏", rule="turnaround", comparable=[1],
    ),
    dict(
        name="many firms, a few missing on each side",
        values={**{(i, "2026-06"): "10" for i in range(1, 11)}, **{(i, "2025-06"): "8" for i in range(1, 9)}},
        members=list(range(1, 13)), month="2026-06", kind="month", which="yoy",
        current="100", label="+25.0%", comparable=list(range(1, 9)),
        missing_base={9: ["2025-06"], 10: ["2025-06"]}, missing_current={11: ["2026-06"], 12: ["2026-06"]},
    ),
    dict(
        name="December 环比 stays in the year",
        values={(1, "2025-12"): "100", (1, "2025-11"): "125"},
        members=[1], month="2025-12", kind="month", which="mom",
        current="100", label="-20.0%", comparable=[1],
    ),
    dict(
        name="a firm with only negative values among positives",
        values={(1, "2026-03"): "100", (1, "2025-03"): "100", (2, "2026-03"): "-10", (2, "2025-03"): "-20"},
        members=[1, 2], month="2026-03", kind="month", which="yoy",
        current="90", label="+12.5%", comparable=[1, 2],
    ),
]


def _values(raw):
    return {(e, m(month)): D(v) for (e, month), v in raw.items()}


@pytest.mark.parametrize("case", COMPARE, ids=[c["name"] for c in COMPARE])
def test_it_compares_like_for_like(case):
    month = m(case["month"])
    if "flags" in case:
        members = scope_members({(e, m(mm)): on for (e, mm), on in case["flags"].items()}, month)
    else:
        members = case["members"]
    current, base = periods(month, kind=case["kind"])[case["which"]]
    result = compare(values=_values(case["values"]), members=members, current=current, base=base)
    assert result.current == (None if case["current"] is None else D(case["current"]))
    assert result.growth.label == case["label"]
    assert result.growth.rule == case.get("rule", "ratio")
    assert result.comparable == case["comparable"]
    assert result.missing_base == case.get("missing_base", {})
    assert result.missing_current == case.get("missing_current", {})
    # The explanation names every exclusion (a figure can say why its rate leaves firms out).
    if result.missing_base:
        assert f"{len(result.missing_base)} 家缺基期数据" in result.explained
    if result.missing_current:
        assert f"{len(result.missing_current)} 家缺本期数据" in result.explained


def test_it_never_reads_a_missing_month_as_zero():
    with_zero = compare(values=_values({(1, "2026-03"): "10", (1, "2025-03"): "0"}), members=[1], current=[m("2026-03")], base=[m("2025-03")])
    without = compare(values=_values({(1, "2026-03"): "10"}), members=[1], current=[m("2026-03")], base=[m("2025-03")])
    assert with_zero.comparable == [1] and without.comparable == []
    assert without.missing_base == {1: ["2025-03"]}


def test_it_prints_percentages_as_the_bureau_does():
    assert [percent(D(x)) for x in ("0.125", "-0.0004", "1", "-0.5")] == ["+12.5%", "0.0%", "+100.0%", "-50.0%"]


def test_it_has_at_least_fifty_golden_cases():
    assert len(GROWTH) + len(COMPARE) >= 50
