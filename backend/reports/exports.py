"""CSV and XLSX exports with Chinese headers: the same rows the API returns, streamed.

Rows go to the file one by one (a csv writer; openpyxl's write-only mode), so an
export's memory does not grow with its length: a year of a city's visits is
millions of rows. Every cell passes through `safe_cell`, the one place that
neutralises spreadsheet formulas (issue 11 item 8).
"""

import csv
import datetime as dt
import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from backend.errors import Invalid
from backend.visits.models import Visit

TEAM_COLUMNS = [
    ("staff_name", "姓名"),
    ("team", "小组"),
    ("visits", "走访次数"),
    ("enterprises", "走访企业数"),
    ("assigned", "包联企业数"),
    ("assigned_covered", "已走访包联企业"),
    ("coverage_pct", "包联覆盖率(%)"),
    ("avg_duration_min", "平均时长(分钟)"),
    ("flagged_visits", "有标记的走访"),
    ("avg_rating", "平均评分"),
    ("demands", "收集诉求数"),
    ("demands_assigned", "交办诉求数"),
    ("demands_resolved", "办结诉求数"),
    ("demands_overdue", "逾期诉求数"),
]

VISIT_COLUMNS = [
    ("date", "日期"),
    ("checkin", "签到时间"),
    ("checkout", "签退时间"),
    ("staff", "走访人"),
    ("team", "小组"),
    ("enterprise", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("distance_m", "签到距离(米)"),
    ("within", "是否在签到范围内"),
    ("purpose", "走访目的"),
    ("demands", "诉求数"),
    ("flags", "标记"),
    ("rating", "评分"),
]

DEMAND_COLUMNS = [
    ("id", "编号"),
    ("created", "登记时间"),
    ("enterprise", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("category", "类别"),
    ("description", "诉求内容"),
    ("channel", "来源"),
    ("raised_by", "登记人"),
    ("assignee", "承办人"),
    ("assignee_unit", "承办部门"),
    ("status", "状态"),
    ("deadline", "办理时限"),
    ("deadline_explained", "时限说明"),
    ("first_resolved", "首次办结时间"),
    ("on_time", "是否按时办结"),
    ("resolution", "办理结果"),
    ("rating", "企业评价"),
]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# OWASP "CSV injection": a cell starting with one of these is read as a formula by
# Excel, WPS or LibreOffice (tab and CR too: some strip them and then see the rest).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value no spreadsheet will run: text that could start a formula gets a leading quote.

    Numbers stay numbers (a negative number is data, not a formula); only text is touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- writers ------------------------------------------------------------------------------------


class CsvSink:
    """UTF-8 with a BOM, so Excel on Windows does not read it as GBK mojibake."""

    def __init__(self, out: IO[bytes], columns):
        self.columns = columns
        self.text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
        self.writer = csv.writer(self.text)
        self.writer.writerow([title for _, title in columns])

    def row(self, values: list) -> None:
        self.writer.writerow(["" if v is None else safe_cell(v) for v in values])

    def close(self) -> None:
        self.text.flush()
        self.text.detach()  # leave `out` open for the caller


class XlsxSink:
    """openpyxl write-only: rows go to a temporary file as they come, not into a tree in memory."""

    def __init__(self, out: IO[bytes], columns, *, title: str):
        self.out = out
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet(title)
        for i, (_, t) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = max(10, len(t) * 2 + 2)
        self.ws.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for _, t in columns:
            cell = WriteOnlyCell(self.ws, value=t)
            cell.font = bold
            header.append(cell)
        self.ws.append(header)

    def _cell(self, value: Any):
        if not isinstance(value, str):
            return value
        value = safe_cell(value)
        # openpyxl stores text starting with "=" as a formula and "#N/A" and the like as
        # errors. After safe_cell nothing starts with "="; a text starting with "#" gets a
        # cell forced to a plain string. (A cell object per value would cost a fifth of
        # the export's time.)
        if not value.startswith("#"):
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        cell.data_type = "s"
        return cell

    def row(self, values: list) -> None:
        self.ws.append([self._cell(v) for v in values])

    def close(self) -> None:
        self.wb.save(self.out)


def _sink(fmt: str, out: IO[bytes], columns, *, title: str):
    return CsvSink(out, columns) if fmt == "csv" else XlsxSink(out, columns, title=title)


# --- what is exported -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    kind: str  # "team" | "visits"
    title: str
    sheet: str
    columns: list


EXPORTS = {
    "team": Export("team", "团队统计", "团队统计", TEAM_COLUMNS),
    "visits": Export("visits", "走访记录", "走访记录", VISIT_COLUMNS),
    "demands": Export("demands", "诉求台账", "诉求台账", DEMAND_COLUMNS),
}


def export_days(date_from: dt.date, date_to: dt.date) -> int:
    return (date_to - date_from).days + 1


def export_range_check(*, date_from: dt.date, date_to: dt.date) -> None:
    """A clear 422 instead of an export that runs for hours (issue 11 item 9)."""
    if date_to < date_from:
        raise Invalid("结束日期不能早于开始日期", field="date_to")
    limit = settings.EXPORT_MAX_DAYS
    if export_days(date_from, date_to) > limit:
        raise Invalid(f"导出的时间范围最长{limit}天，请分段导出", field="date_to")


def file_name(kind: str, *, date_from: dt.date, date_to: dt.date, fmt: str) -> str:
    return f"{kind}-{date_from}-{date_to}.{fmt}"


def visit_rows(visits: Iterable[dict]) -> Iterator[dict]:
    """Export rows from selectors.visits_for_export's values."""
    from geo.flags import FLAG_LABELS

    purposes = dict(Visit.Purpose.choices)
    tz = timezone.get_current_timezone()
    for v in visits:
        local_in = v["checkin_at"].astimezone(tz)
        yield {
            "date": local_in.date().isoformat(),
            "checkin": local_in.strftime("%H:%M"),
            "checkout": v["checkout_at"].astimezone(tz).strftime("%H:%M") if v["checkout_at"] else "",
            "staff": v["staff__display_name"] or v["staff__username"],
            "team": v["staff__org_unit__name"] or "",
            "enterprise": v["enterprise__name"],
            "uscc": v["enterprise__uscc"],
            "distance_m": round(v["distance_m"]),
            "within": "是" if v["within_geofence"] else "否",
            "purpose": purposes.get(v["purpose"], ""),
            "demands": v["n_demands"],
            "flags": "、".join(FLAG_LABELS.get(f, f) for f in [*v["flags"], *v["checkout_flags"]]),
            "rating": v["rating"] if v["rating"] is not None else "",
        }


def demand_rows(demands: Iterable[dict]) -> Iterator[dict]:
    """Export rows from demands.selectors.demands_for_export's values."""
    from backend.demands.models import Demand

    labels = {
        "category": dict(Demand.Category.choices), "channel": dict(Demand.Channel.choices),
        "status": dict(Demand.Status.choices), "rating": dict(Demand.Rating.choices),
    }
    tz = timezone.get_current_timezone()

    def when(value) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""

    for d in demands:
        yield {
            "id": d["id"],
            "created": when(d["created_at"]),
            "enterprise": d["enterprise__name"],
            "uscc": d["enterprise__uscc"],
            "category": labels["category"].get(d["category"], d["category"]),
            "description": d["description"],
            "channel": labels["channel"].get(d["channel"], d["channel"]),
            "raised_by": d["raised_by__display_name"] or d["raised_by__username"],
            "assignee": d["assignee__display_name"] or d["assignee__username"] or "",
            "assignee_unit": d["assignee_unit__name"] or "",
            "status": labels["status"].get(d["status"], d["status"]),
            "deadline": when(d["deadline"]) or ("待日历确认" if d["deadline_explained"] else ""),
            "deadline_explained": d["deadline_explained"],
            "first_resolved": when(d["first_resolved_at"]),
            "on_time": {True: "是", False: "否"}.get(d["resolved_on_time"], "待日历确认" if d["first_resolved_at"] else ""),
            "resolution": d["resolution"],
            "rating": labels["rating"].get(d["rating"], ""),
        }


Progress = Callable[[int, int | None], None]


def export_write(
    *, kind: str, user, date_from: dt.date, date_to: dt.date, fmt: str, out: IO[bytes], progress: Progress | None = None,
    filters: dict | None = None,
) -> int:
    """Write one export to `out`, row by row; returns the number of data rows.

    `progress(done, total)` is called now and then (at most about once a second).
    """
    from . import selectors

    spec = EXPORTS[kind]
    sink = _sink(fmt, out, spec.columns, title=spec.sheet)
    keys = [key for key, _ in spec.columns]
    if kind == "team":
        rows: Iterable[dict] = selectors.team_report(user=user, date_from=date_from, date_to=date_to)
        total = len(rows)
    elif kind == "demands":
        demands_qs = selectors.demands_for_export(user=user, date_from=date_from, date_to=date_to, **(filters or {}))
        total = demands_qs.count() if progress else None
        rows = demand_rows(demands_qs.iterator(chunk_size=2000))
    else:
        visits = selectors.visits_for_export(user=user, date_from=date_from, date_to=date_to)
        total = visits.count() if progress else None
        # iterator(): a server-side cursor on PostgreSQL, chunks on SQLite; never the whole list.
        rows = visit_rows(visits.iterator(chunk_size=2000))
    done = demands = 0
    last = time.monotonic()
    if progress:
        progress(0, total)
    for row in rows:
        sink.row([row[key] for key in keys])
        done += 1
        demands += row.get("demands", 0) if kind != "demands" else 0
        if progress and time.monotonic() - last >= 1:
            progress(done, total)
            last = time.monotonic()
    if kind == "team":
        totals = {**selectors.team_totals(rows), "staff_name": "合计"}
    elif kind == "demands":
        totals = {"id": "合计", "created": f"{done} 条诉求"}
    else:
        totals = {"date": "合计", "demands": demands, "staff": f"{done} 次走访"}
    sink.row([totals.get(key) for key in keys])
    if progress:
        progress(done, total)
    sink.close()
    return done


def export_bytes(*, kind: str, user, date_from: dt.date, date_to: dt.date, fmt: str, filters: dict | None = None) -> bytes:
    """The synchronous path, for small exports."""
    out = io.BytesIO()
    export_write(kind=kind, user=user, date_from=date_from, date_to=date_to, fmt=fmt, out=out, filters=filters)
    return out.getvalue()
