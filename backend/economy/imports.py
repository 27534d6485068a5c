"""The town's indicator spreadsheet: one row per enterprise and month, Chinese headings.

Every row is checked before anything is written; any problem → nothing written, and the
report names each one as (第N行, 列, message) like the site import's. `dry_run` checks and
counts only. A value already recorded that the file changes is kept as a Correction naming
the batch, so "what did this figure say before the March re-import" has an answer.
Empty cells are missing values (never zero); a file without a column leaves that indicator
as recorded.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from backend.enterprises.models import Enterprise
from backend.errors import Invalid, PayloadTooLarge

from .models import METRICS, Correction, ImportBatch, MonthlyIndicator

# Heading → field, after dropping a unit in brackets ("税收（万元）" → "税收") and spaces.
HEADINGS = {
    "统一社会信用代码": "uscc",
    "信用代码": "uscc",
    "企业名称": "name",
    "单位名称": "name",
    "月份": "month",
    "统计月份": "month",
    "期别": "month",
    "是否规上": "above_scale",
    "规上": "above_scale",
    "规上企业": "above_scale",
    "税收": "tax",
    "税收收入": "tax",
    "营业收入": "revenue",
    "工业总产值": "output_value",
    "产值": "output_value",
    "从业人员": "employees",
    "从业人数": "employees",
    "期末从业人数": "employees",
    "综合能耗": "energy",
    "能耗": "energy",
}
MAX_VALUE = Decimal("999999999999")  # what the column holds (14 digits, 2 decimals)
# Negative values only where they happen: tax after refunds.
MAY_BE_NEGATIVE = {"tax"}
YES = {"是", "规上", "y", "yes", "true", "1", "√"}
NO = {"否", "规下", "n", "no", "false", "0", ""}
MISSING = {"", "-", "—", "／", "/", "无数据"}
REPORT_PROBLEMS_MAX = 200


@dataclass
class Report:
    file_name: str
    total: int = 0
    valid: int = 0
    created: int = 0
    updated: int = 0
    corrected: int = 0
    problems: list[dict] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False
    batch_id: int | None = None

    def problem(self, row: int, column: str, message: str) -> None:
        if len(self.problems) < REPORT_PROBLEMS_MAX:
            self.problems.append({"row": row, "field": column, "message": message, "where": f"第{row}行"})

    def summary(self) -> str:
        if self.problems:
            more = "" if len(self.problems) < REPORT_PROBLEMS_MAX else f"（只列出前 {REPORT_PROBLEMS_MAX} 个）"
            return f"共 {self.total} 行，发现 {len(self.problems)} 处问题{more}，未导入任何数据。"
        verb = "可导入" if self.dry_run else "已导入"
        return f"共 {self.total} 行，{verb}：新增 {self.created} 条，更新 {self.updated} 条（其中 {self.corrected} 个数值有改动，已留痕）。"


def _heading(text) -> str:
    text = re.sub(r"[（(][^）)]*[）)]", "", str(text or ""))
    return re.sub(r"\s+", "", text)


def parse_month(value) -> dt.date | None:
    """A month as spreadsheets write it: a date cell, 2026-03, 2026/3, 2026年3月, 202603."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))", text)
    if not match:
        return None
    month = int(match.group(2) or match.group(3))
    if not 1 <= month <= 12:
        return None
    return dt.date(int(match.group(1)), month, 1)


def parse_value(value, *, name: str) -> tuple[Decimal | None, str]:
    """(value, "") or (None, a Chinese message); (None, "") is an empty cell: missing."""
    if value is None or (isinstance(value, str) and value.strip() in MISSING):
        return None, ""
    if isinstance(value, bool):
        return None, "应为数字"
    if isinstance(value, float) and not math.isfinite(value):
        return None, "不是有限的数字"
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None, "应为数字"
    if not number.is_finite():
        return None, "不是有限的数字"
    if abs(number) > MAX_VALUE:
        return None, "数值过大"
    if number < 0 and name not in MAY_BE_NEGATIVE:
        return None, "不能为负数"
    return number.quantize(Decimal("0.01")), ""


def _read(data: bytes) -> list[tuple]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any unreadable file: zip, XML or openpyxl's own errors
        raise Invalid("无法读取该文件，请上传 Excel 工作簿（.xlsx）", field="file") from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > settings.ECONOMY_IMPORT_MAX_ROWS:
                raise PayloadTooLarge(f"一次最多导入 {settings.ECONOMY_IMPORT_MAX_ROWS} 行，请分批导入")
            rows.append(row)
        return rows
    finally:
        book.close()


def _update(rows: list[MonthlyIndicator], names: list[str]) -> None:
    """One prepared UPDATE per row, sent with executemany: bulk_update's CASE WHEN per column
    took 25 s for 2,400 rows on PostgreSQL (bench/economy_import.py)."""
    if not rows:
        return
    fields = [MonthlyIndicator._meta.get_field(name) for name in names]
    table = MonthlyIndicator._meta.db_table
    quote = connection.ops.quote_name
    sql = f"UPDATE {quote(table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} WHERE {quote('id')} = %s"
    params = [[f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.id] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def indicators_import(*, user, data: bytes, file_name: str, dry_run: bool = False) -> Report:
    """Check the spreadsheet, then (unless dry_run, and only if every row is sound) write it."""
    if len(data) > settings.ECONOMY_IMPORT_MAX_BYTES:
        raise PayloadTooLarge(f"文件超过 {settings.ECONOMY_IMPORT_MAX_BYTES // (1024 * 1024)} MB")
    # The name comes from the browser: shown back in reports and the rows behind a figure.
    report = Report(file_name=re.sub(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]", "", file_name)[:200] or "upload.xlsx", dry_run=dry_run)
    rows = [r for r in _read(data) if any(c not in (None, "") for c in r)]
    if not rows:
        raise Invalid("文件是空的", field="file")
    headings = [_heading(h) for h in rows[0]]
    columns: dict[str, int] = {}
    for i, heading in enumerate(headings):
        name = HEADINGS.get(heading)
        if name and name not in columns:
            columns[name] = i
    metrics = [m for m in METRICS if m in columns]
    if "uscc" not in columns or "month" not in columns or not metrics:
        have = "、".join(h for h in headings if h) or "（无）"
        raise Invalid(f"缺少必需的列：统一社会信用代码、月份，以及至少一项指标（税收、营业收入、工业总产值、从业人员、综合能耗）。文件中的列：{have}", field="file")
    report.columns = [c for c in ("above_scale", *metrics) if c in columns]

    body = rows[1:]
    report.total = len(body)
    usccs = {str(r[columns["uscc"]] or "").strip().upper() for r in body if columns["uscc"] < len(r)}
    known = dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "id"))
    today = timezone.localdate()
    parsed: dict[tuple[int, dt.date], dict] = {}
    for number, row in enumerate(body, start=2):
        cell = lambda name: row[columns[name]] if columns[name] < len(row) else None  # noqa: E731
        uscc = str(cell("uscc") or "").strip().upper()
        ok = True
        if uscc not in known:
            report.problem(number, "统一社会信用代码", "为空" if not uscc else f"{uscc} 不在企业名录中")
            ok = False
        month = parse_month(cell("month"))
        if month is None:
            report.problem(number, "月份", "应为 2026-03、2026年3月 这样的月份")
            ok = False
        elif not (dt.date(2000, 1, 1) <= month <= today.replace(day=1)):
            report.problem(number, "月份", f"{month:%Y-%m} 不在 2000-01 到本月之间")
            ok = False
        values = {}
        if "above_scale" in columns:
            flag = str(cell("above_scale") if cell("above_scale") is not None else "").strip().lower()
            if flag in YES:
                values["above_scale"] = True
            elif flag in NO:
                values["above_scale"] = False
            else:
                report.problem(number, "是否规上", "应为 是 或 否")
                ok = False
        for name in metrics:
            value, message = parse_value(cell(name), name=name)
            if message:
                report.problem(number, METRICS[name][0], message)
                ok = False
            values[name] = value
        if not ok:
            continue
        key = (known[uscc], month)
        if key in parsed:
            report.problem(number, "月份", f"与第{parsed[key]['row']}行重复：同一企业同一月份只能有一行")
            continue
        parsed[key] = {"row": number, **values}
    report.valid = len(parsed)
    if report.problems:
        return report

    existing = {
        (i.enterprise_id, i.month): i
        for i in MonthlyIndicator.objects.filter(enterprise_id__in={e for e, _ in parsed}, month__in={m for _, m in parsed})
    }
    report.created = sum(1 for key in parsed if key not in existing)
    report.updated = len(parsed) - report.created
    if dry_run:
        for key, values in parsed.items():
            if key in existing:
                report.corrected += sum(1 for f in report.columns if getattr(existing[key], f) != values[f])
        return report
    with transaction.atomic():
        batch = ImportBatch.objects.create(file_name=report.file_name, imported_by=user, rows=report.total)
        new, changed, corrections = [], [], []
        for (enterprise_id, month), values in parsed.items():
            values = {f: values[f] for f in report.columns}
            old = existing.get((enterprise_id, month))
            if old is None:
                new.append(MonthlyIndicator(enterprise_id=enterprise_id, month=month, batch=batch, **values))
                continue
            for name, value in values.items():
                if getattr(old, name) != value:
                    if name in METRICS:
                        corrections.append(Correction(indicator=old, field=name, old=getattr(old, name), new=value, by=user, batch=batch, reason=f"导入 {report.file_name}"))
                    setattr(old, name, value)
            old.batch = batch
            old.updated_at = timezone.now()  # bulk_update skips auto_now
            changed.append(old)
        MonthlyIndicator.objects.bulk_create(new, batch_size=2000)
        _update(changed, [*report.columns, "batch", "updated_at"])
        Correction.objects.bulk_create(corrections, batch_size=2000)
        report.corrected = len(corrections)
        batch.created, batch.updated = report.created, report.updated
        batch.save(update_fields=["created", "updated"])
    report.imported = True
    report.batch_id = batch.id
    return report
