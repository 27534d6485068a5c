"""CSV and XLSX exports with Chinese headers: the same rows the API returns."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

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


def visit_rows(visits) -> list[dict]:
    from geo.flags import FLAG_LABELS

    purposes = dict(Visit.Purpose.choices)
    rows = []
    for v in visits:
        local_in = v.checkin_at.astimezone()
        rows.append(
            {
                "date": local_in.date().isoformat(),
                "checkin": local_in.strftime("%H:%M"),
                "checkout": v.checkout_at.astimezone().strftime("%H:%M") if v.checkout_at else "",
                "staff": v.staff.shown_name,
                "team": v.staff.org_unit.name if v.staff.org_unit_id else "",
                "enterprise": v.enterprise.name,
                "uscc": v.enterprise.uscc,
                "distance_m": round(v.distance_m),
                "within": "是" if v.within_geofence else "否",
                "purpose": purposes.get(v.purpose, ""),
                "demands": v.n_demands,
                "flags": "、".join(FLAG_LABELS.get(f, f) for f in [*v.flags, *v.checkout_flags]),
                "rating": v.rating if v.rating is not None else "",
            }
        )
    return rows


def to_csv(rows: list[dict], columns, totals: dict | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for _, title in columns])
    for row in rows:
        writer.writerow(["" if row[key] is None else row[key] for key, _ in columns])
    if totals:
        writer.writerow([totals.get(key, "合计" if i == 0 else "") for i, (key, _) in enumerate(columns)])
    # The BOM makes Excel on Windows open the file as UTF-8 instead of GBK mojibake.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict], columns, *, title: str, totals: dict | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append([t for _, t in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row[key] for key, _ in columns])
    if totals:
        ws.append([totals.get(key, "合计" if i == 0 else None) for i, (key, _) in enumerate(columns)])
    for i, (_, t) in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(t) * 2 + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
