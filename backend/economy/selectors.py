"""Reads: a month's figures by group with their comparisons, the rows behind a figure, trends.

Every figure carries a `filter` that GET /api/economy/rows takes as is, and the rows it
answers sum to the figure (tested): a section chief taps a growth rate and sees which
enterprises it compares, which were left out and why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from backend import access
from backend.errors import NotFound
from backend.enterprises.models import Enterprise

from .compare import Comparison, compare, periods, shift_months
from .models import METRICS, MonthlyIndicator

GROUPS = {
    "none": None,
    "industry": "industry",
    "size": "size",
}
SCOPES = {"all": "全部企业", "above_scale": "规上企业"}
MISSING_NAMED_MAX = 20


def _labels(by: str) -> dict[str, str]:
    if by == "industry":
        return dict(Enterprise._meta.get_field("industry").choices)
    if by == "size":
        return dict(Enterprise.Size.choices)
    return {}


def _load(*, metric: str, months: set[dt.date]):
    """(values {(enterprise, month): value}, flags {(enterprise, month): above_scale})."""
    values, flags = {}, {}
    for enterprise, month, value, above in MonthlyIndicator.objects.filter(month__in=months).values_list(
        "enterprise_id", "month", metric, "above_scale"
    ):
        flags[(enterprise, month)] = above
        if value is not None:
            values[(enterprise, month)] = value
    return values, flags


def _members(*, flags, month: dt.date, scope: str) -> set[int]:
    """The current month decides (同口径): every enterprise reported that month, or its 规上 ones."""
    return {e for (e, m), above in flags.items() if m == month and (scope == "all" or above)}


def _comparison_out(result: Comparison, names: dict[int, str]) -> dict:
    def named(missing: dict[int, list[str]]) -> list[dict]:
        return [
            {"enterprise_id": e, "enterprise_name": names.get(e, ""), "months": months}
            for e, months in list(missing.items())[:MISSING_NAMED_MAX]
        ]

    return {
        "label": result.growth.label,
        "rule": result.growth.rule,
        "rate": None if result.growth.rate is None else float(result.growth.rate),
        "comparable_current": result.comparable_current,
        "comparable_base": result.comparable_base,
        "comparable": len(result.comparable),
        "missing_base": named(result.missing_base),
        "missing_base_count": len(result.missing_base),
        "explained": result.explained,
    }


def economy_figures(*, user, metric: str, month: dt.date, kind: str, scope: str, by: str) -> dict:
    access.economy.require_economy_reader(user)
    wanted = periods(month, kind=kind)
    months = {m for current, base in wanted.values() for m in (*current, *base)}
    values, flags = _load(metric=metric, months=months)
    members = _members(flags=flags, month=month, scope=scope)
    field = GROUPS[by]
    group_of = dict(Enterprise.objects.filter(id__in=members).values_list("id", field)) if field else {}
    names = dict(Enterprise.objects.filter(id__in=members).values_list("id", "name"))
    groups: dict[str, set[int]] = defaultdict(set)
    for e in members:
        groups[group_of.get(e) or "" if field else "all"].add(e)
    labels = _labels(by)

    def figure(ids: set[int], group: str) -> dict:
        results = {which: compare(values=values, members=ids, current=current, base=base) for which, (current, base) in wanted.items()}
        first = next(iter(results.values()))
        return {
            "group": group,
            "label": labels.get(group, "未填写" if group == "" else "合计"),
            "current": first.current,
            "enterprises": first.enterprises,
            "missing_current": [
                {"enterprise_id": e, "enterprise_name": names.get(e, ""), "months": m}
                for e, m in list(first.missing_current.items())[:MISSING_NAMED_MAX]
            ],
            "missing_current_count": len(first.missing_current),
            "comparisons": {which: _comparison_out(r, names) for which, r in results.items()},
            "filter": {"metric": metric, "month": f"{month:%Y-%m}", "kind": kind, "scope": scope, "by": by, "group": group},
        }

    rows = [figure(ids, group) for group, ids in groups.items()] if field else []
    rows.sort(key=lambda r: (r["current"] is None, -(r["current"] or 0)))
    total = figure(members, "all")
    total["filter"]["by"], total["filter"]["group"] = "none", "all"
    heading, unit = METRICS[metric]
    return {
        "metric": metric,
        "metric_label": heading,
        "unit": unit,
        "month": f"{month:%Y-%m}",
        "kind": kind,
        "period_label": f"{month.year}年1–{month.month}月累计" if kind == "ytd" else f"{month.year}年{month.month}月",
        "scope": scope,
        "scope_label": SCOPES[scope],
        "by": by,
        "total": total,
        "rows": rows,
    }


def economy_rows(*, user, metric: str, month: dt.date, kind: str, scope: str, by: str, group: str) -> list[dict]:
    """The enterprises one figure sums: each one's current and base values per comparison."""
    access.economy.require_economy_reader(user)
    wanted = periods(month, kind=kind)
    months = {m for current, base in wanted.values() for m in (*current, *base)}
    values, flags = _load(metric=metric, months=months)
    members = _members(flags=flags, month=month, scope=scope)
    field = GROUPS[by]
    if field and group != "all":
        members &= set(Enterprise.objects.filter(id__in=members, **{field: group}).values_list("id", flat=True))
    enterprises = {e.id: e for e in Enterprise.objects.filter(id__in=members).only("id", "name", "uscc")}
    rows = {
        e: (i, b) for e, i, b in MonthlyIndicator.objects.filter(enterprise_id__in=members, month=month).values_list("enterprise_id", "id", "batch__file_name")
    }
    items = []
    for e in sorted(members, key=lambda i: enterprises[i].name):
        sides = {}
        for which, (current, base) in wanted.items():
            now = [values.get((e, m)) for m in current]
            then = [values.get((e, m)) for m in base]
            sides[which] = {
                "current": None if None in now else sum(now, Decimal(0)),
                "base": None if None in then else sum(then, Decimal(0)),
                "comparable": None not in now and None not in then,
                "months_missing": [f"{m:%Y-%m}" for m, v in zip([*current, *base], [*now, *then], strict=True) if v is None],
            }
        items.append({
            "enterprise_id": e,
            "enterprise_name": enterprises[e].name,
            "uscc": enterprises[e].uscc,
            "indicator_id": rows.get(e, (None, ""))[0],
            "batch": rows.get(e, (None, ""))[1],
            "sides": sides,
        })
    return items


def economy_trend(*, user, metric: str, end: dt.date, months: int, scope: str) -> dict:
    """Month totals for a line chart; a month without any report is a gap (null), not zero."""
    access.economy.require_economy_reader(user)
    span = [shift_months(end, -i) for i in reversed(range(months))]
    values, flags = _load(metric=metric, months={*span, *(shift_months(m, -12) for m in span)})
    points = []
    for m in span:
        members = _members(flags=flags, month=m, scope=scope)
        result = compare(values=values, members=members, current=[m], base=[shift_months(m, -12)])
        points.append({"month": f"{m:%Y-%m}", "value": result.current, "yoy": result.growth.label, "enterprises": result.enterprises})
    return {"metric": metric, "unit": METRICS[metric][1], "scope": scope, "points": points}



def indicator_out(*, user, indicator_id: int) -> dict:
    """One enterprise-month as recorded, with every correction since it was first imported."""
    access.economy.require_economy_reader(user)
    indicator = MonthlyIndicator.objects.select_related("batch").filter(id=indicator_id).first()
    if indicator is None:
        raise NotFound("没有这条经济数据")
    return {
        "id": indicator.id,
        "enterprise_id": indicator.enterprise_id,
        "month": f"{indicator.month:%Y-%m}",
        "above_scale": indicator.above_scale,
        **{name: getattr(indicator, name) for name in METRICS},
        "batch": indicator.batch.file_name,
        "corrections": [
            {
                "field": c.field,
                "old": c.old,
                "new": c.new,
                "by_name": c.by.shown_name,
                "batch": c.batch.file_name if c.batch_id else "",
                "reason": c.reason,
                "at": timezone.localtime(c.at).isoformat(),
            }
            for c in indicator.corrections.select_related("by", "batch")
        ],
    }
