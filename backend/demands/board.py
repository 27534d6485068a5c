"""The overdue board (督办看板): a manager's demands by status, what is overdue or due soon,
and each official's open, overdue and on-time figures — every number with the rows it sums.

Three grouped queries, whatever the size of the city: status counts (the status index),
the open demands by desk (status IN open, read from the covering status/deadline index), this month's first
resolutions by desk (the first_resolved_at index). The totals are sums of the desk rows,
so a figure and its breakdown cannot disagree.
"""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from backend import access
from backend.accounts.models import OrgUnit, User
from backend.workdays.selectors import deadline_after

from .models import Demand

S = Demand.Status
OPEN = (S.ASSIGNED, S.VERIFYING, S.HANDLING)
OPEN_LABELS = "、".join(S(s).label for s in OPEN)
SOON_DAYS = 3


def on_time_rate(on_time: int, late: int) -> float | None:
    """On time ÷ judged, in %: a first resolution with no deadline (待日历确认) is neither."""
    judged = on_time + late
    return round(on_time / judged * 100, 1) if judged else None


def _month(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = timezone.localtime(now)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


# A row's desk: the official or department it was assigned to; on the city's rollup, the
# department — its own desk or its officials' — and an official only when without a unit.
DESK = ("assignee_id", "assignee_unit_id", "assignee__display_name", "assignee__username", "assignee_unit__name")


def _desk(row: dict, rollup: bool) -> tuple[str, int] | None:
    unit, official = (row["desk_unit"], row["loose"]) if rollup else (row["assignee_unit_id"], row["assignee_id"])
    if unit:
        return "unit", unit
    return ("official", official) if official else None  # None: 待交办, on no desk yet


def _grouped(qs, rollup: bool):
    if not rollup:
        return qs.values(*DESK)
    # Grouped by department alone (20 rows for a city, not 1,000): the names follow in two
    # small queries.
    return qs.annotate(**access.demands.desk_unit_annotations()).values("desk_unit", "loose")


def _names(rows: list[dict], rollup: bool) -> dict[tuple[str, int], str]:
    if not rollup:
        names = {}
        for row in rows:
            if row["assignee_unit_id"]:
                names["unit", row["assignee_unit_id"]] = row["assignee_unit__name"] or ""
            elif row["assignee_id"]:
                names["official", row["assignee_id"]] = row["assignee__display_name"] or row["assignee__username"] or ""
        return names
    units = {row["desk_unit"] for row in rows if row["desk_unit"]}
    loose = {row["loose"] for row in rows if row["loose"]}
    return {
        **{("unit", i): name for i, name in OrgUnit.objects.filter(id__in=units).values_list("id", "name")},
        **{
            ("official", i): display or username
            for i, display, username in User.objects.filter(id__in=loose).values_list("id", "display_name", "username")
        },
    }


def _filter(kind: str, ident: int, rollup: bool) -> dict[str, int]:
    if kind == "official":
        return {"assignee_id": ident}
    return {"desk_unit_id": ident} if rollup else {"assignee_unit_id": ident}


def demand_board(*, user, unit_id: int | None = None, now: dt.datetime | None = None) -> dict:
    desks, waiting, scope, rollup = access.demands.board_scope(user, unit_id=unit_id)
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    soon = deadline_after(start=now, working_days=SOON_DAYS)
    month_start, month_end = _month(now)

    by_status = dict(
        Demand.objects.filter(desks).exclude(status=S.PENDING).values("status").annotate(n=Count("*")).values_list("status", "n")
    )
    by_status[S.PENDING] = Demand.objects.filter(waiting, status=S.PENDING).count()

    due_soon = Q(deadline__gte=now, deadline__lte=soon.at) if soon.at else Q(pk__in=[])
    # Names come with the desk rows (a join per row) rather than from a second query with
    # an `IN` list of up to a thousand ids, whose parameters alone cost 13 ms in Django.
    # Count("status", filter=…): a column the covering index holds (status is never null),
    # so PostgreSQL answers from the index alone; Count("id") made it read the table.
    open_rows = (
        _grouped(Demand.objects.filter(desks, status__in=OPEN), rollup)
        .annotate(
            open=Count("*"),
            overdue=Count("status", filter=Q(deadline__lt=now)),
            due_today=Count("status", filter=Q(deadline__gte=now, deadline__lt=tomorrow)),
            due_soon=Count("status", filter=due_soon),
            pending_calendar=Count("status", filter=Q(deadline__isnull=True)),
        )
        .order_by()
    )
    month_rows = (
        _grouped(Demand.objects.filter(desks, first_resolved_at__gte=month_start, first_resolved_at__lt=month_end), rollup)
        .annotate(
            resolved=Count("*"),
            on_time=Count("status", filter=Q(resolved_on_time=True)),
            late=Count("status", filter=Q(resolved_on_time=False)),
            no_deadline=Count("status", filter=Q(resolved_on_time__isnull=True)),
        )
        .order_by()
    )
    zero = {"open": 0, "overdue": 0, "due_today": 0, "due_soon": 0, "pending_calendar": 0,
            "resolved": 0, "on_time": 0, "late": 0, "no_deadline": 0}
    rows: dict[tuple[str, int], dict] = {}
    grouped = [*open_rows, *month_rows]
    names = _names(grouped, rollup)
    for row in grouped:
        key = _desk(row, rollup)
        if key is None:
            continue
        figures = rows.setdefault(key, dict(zero))
        for name in zero:
            figures[name] += row.get(name, 0)

    officials = []
    for (kind, ident), f in rows.items():
        officials.append({
            "kind": kind,
            "id": ident,
            "name": names.get((kind, ident), ""),
            **f,
            "on_time_rate": on_time_rate(f["on_time"], f["late"]),
            "filter": _filter(kind, ident, rollup),
        })
    officials.sort(key=lambda r: (-r["overdue"], -r["open"], r["name"], r["id"]))

    totals = {name: sum(r[name] for r in officials) for name in zero}
    at = timezone.localtime(now)
    soon_text = (
        f"办理中（{OPEN_LABELS}）且办理时限在 {at:%m月%d日 %H:%M} 至 {timezone.localtime(soon.at):%m月%d日 %H:%M}"
        f"（{SOON_DAYS} 个工作日后）之间的诉求，含今日到期"
        if soon.at else f"{SOON_DAYS} 个工作日后落入尚未公布放假安排的年份（待日历确认），暂不能计算"
    )
    return {
        "now": now,
        "scope": scope,
        "rows_are_units": rollup,
        "month": month_start.date(),
        "by_status": [
            {"status": s, "label": S(s).label, "count": by_status.get(s, 0), "filter": {"status": s}} for s in S.values
        ],
        "overdue": totals["overdue"],
        "due_today": totals["due_today"],
        "due_soon": totals["due_soon"] if soon.at else None,
        "due_soon_until": soon.at,
        "pending_calendar": totals["pending_calendar"],
        "open": totals["open"],
        "month_resolved": totals["resolved"],
        "month_on_time": totals["on_time"],
        "month_late": totals["late"],
        "month_no_deadline": totals["no_deadline"],
        "month_on_time_rate": on_time_rate(totals["on_time"], totals["late"]),
        "officials": officials,
        "explain": {
            "by_status": "各状态诉求数：范围内交办给本单位人员或本单位的诉求；待交办为本单位人员登记的及企业在线/电话提出的待交办诉求",
            "open": f"状态为{OPEN_LABELS}的诉求",
            "overdue": f"状态为{OPEN_LABELS}且办理时限早于 {at:%Y-%m-%d %H:%M} 的诉求（filter: status∈open, deadline<now）",
            "due_today": f"状态为{OPEN_LABELS}且办理时限在今日 {at:%H:%M} 之后、今日结束之前的诉求",
            "due_soon": soon_text,
            "pending_calendar": f"状态为{OPEN_LABELS}但办理时限为空（待日历确认）的诉求：不计入逾期、不计入按时",
            "on_time_rate": (
                f"{month_start:%Y年%m月}首次办结的诉求中，首次办结时间不晚于当时办理时限的比例；"
                "首次办结时办理时限待日历确认的单独计数（no_deadline），不计入分子也不计入分母"
            ),
            "officials": (
                "按承办部门分行（部门自身及其人员承办的合在一起；承办人未设单位的单独成行），按逾期数从多到少排列；各行之和即上面的合计"
                if rollup else "按承办人（或承办部门）分行，按逾期数从多到少排列；各行之和即上面的合计"
            ),
        },
    }

