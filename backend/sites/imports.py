"""Import idle sites from the collective-asset platform's files.

One code path for ``manage.py import_sites``, the admin upload page and
``POST /api/sites/import``: geo.sitefiles reads any format/CRS into WGS-84
rows, this module gives the columns their meaning (Chinese or English
headers), checks every row, and upserts by external id (编号) in bulk.

All or nothing by default: one bad row and nothing is written, and the
report lists every problem (row, column, what is wrong) in Chinese so the
town can fix the file and try again. ``skip_invalid`` imports the good rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from backend.errors import Invalid
from geo.sitefiles import RowProblem, SiteFile, SiteFileError, SiteRow, as_date, read_site_file

from .models import OwnerUnit, Site
from .rent import MU_M2
from .services import saved_search_alerts_queue, search_columns, sites_changed

BATCH = 1000
ANALYZE_AFTER_ROWS = 1000
DERIVED = ("area_m2", "rent_per_m2_day", "min_lng", "min_lat", "max_lng", "max_lat")

# Canonical field → headers it may have in a file (compared after _norm()).
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "ext_id", "编号", "场地编号", "资产编号", "资源编号", "资产编码"),
    "name": ("name", "名称", "场地名称", "资产名称", "资源名称"),
    "type": ("type", "类型", "场地类型", "资产类型", "资源类型"),
    "address": ("address", "地址", "坐落", "坐落位置", "详细地址"),
    "village": ("village", "所属村", "村", "村/社区", "村居", "区域", "片区"),
    "building_area_m2": ("building_area_m2", "bldg_m2", "建筑面积", "建筑面积(m²)", "建筑面积(m2)"),
    "land_area_m2": ("land_area_m2", "land_m2", "土地面积(m²)", "土地面积(m2)", "占地面积(m²)", "占地面积"),
    "land_area_mu": ("land_area_mu", "land_mu", "土地面积(亩)", "占地面积(亩)", "土地面积", "亩数"),
    "floors": ("floors", "层数", "楼层数"),
    "floor_height_m": ("floor_height_m", "height_m", "层高", "层高(m)", "层高(米)"),
    "floor_load_kn_m2": ("floor_load_kn_m2", "load_kn", "楼面荷载", "楼面荷载(kn/m²)", "承重", "荷载"),
    "power_kva": ("power_kva", "用电容量", "用电容量(kva)", "电力容量", "配电容量", "变压器容量"),
    "crane": ("crane", "行车", "有无行车", "起重机"),
    "fire_rating": ("fire_rating", "fire", "火灾危险性", "消防等级", "消防类别"),
    "land_use": ("land_use", "用地性质", "用地类型", "土地用途"),
    "property_rights": ("property_rights", "rights", "产权状况", "产权", "权属"),
    "rent_value": ("rent_value", "rent", "租金", "租金价格", "价格"),
    "rent_unit": ("rent_unit", "租金单位", "价格单位"),
    "status": ("status", "状态", "招租状态", "使用状态"),
    "available_from": ("available_from", "avail_from", "可租日期", "起租日期", "可入驻日期"),
    "last_confirmed": ("last_confirmed", "confirmed", "确认日期", "最近确认", "更新日期"),
    "owner_unit_code": ("owner_unit_code", "unit_code", "单位编码", "持有单位编码", "资源持有单位编码"),
    "owner_unit_name": ("owner_unit_name", "unit_name", "资源持有单位", "持有单位", "权属单位", "产权单位"),
    "contact_name": ("contact_name", "contact", "联系人"),
    "contact_mobile": ("contact_mobile", "mobile", "联系电话", "手机", "电话", "联系方式"),
    "description": ("description", "remark", "描述", "说明", "备注", "简介"),
}
LABELS = {
    "external_id": "编号",
    "name": "名称",
    "type": "类型",
    "owner_unit_code": "单位编码",
    "owner_unit_name": "资源持有单位",
}
TYPE_WORDS = {
    "factory": "factory", "厂房": "factory", "工业厂房": "factory", "标准厂房": "factory", "车间": "factory",
    "office": "office", "办公": "office", "办公楼": "office", "写字楼": "office", "办公用房": "office",
    "warehouse": "warehouse", "仓库": "warehouse", "仓储": "warehouse", "库房": "warehouse",
    "shop": "shop", "商铺": "shop", "商业": "shop", "门面": "shop", "店面": "shop", "商业用房": "shop",
    "land": "land", "土地": "land", "地块": "land", "空地": "land", "闲置土地": "land",
    "other": "other", "其他": "other", "其它": "other",
}
STATUS_WORDS = {
    "vacant": "vacant", "空置": "vacant", "闲置": "vacant", "待租": "vacant", "招租中": "vacant",
    "reserved": "reserved", "洽谈中": "reserved", "已预定": "reserved", "意向中": "reserved",
    "leased": "leased", "已出租": "leased", "已租": "leased", "在租": "leased", "已使用": "leased",
}
RENT_UNIT_WORDS = {
    "yuan_m2_day": "yuan_m2_day", "元/m²/天": "yuan_m2_day", "元/m²·天": "yuan_m2_day", "元/m²/日": "yuan_m2_day",
    "yuan_m2_month": "yuan_m2_month", "元/m²/月": "yuan_m2_month", "元/m²·月": "yuan_m2_month",
    "yuan_year": "yuan_year", "元/年": "yuan_year", "万元/年": "wan_yuan_year",
}
TRUE_WORDS = {"是", "有", "true", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"否", "无", "没有", "false", "no", "n", "0", "0.0"}
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
TEXT_LIMITS = {
    "external_id": 64, "name": 200, "address": 255, "village": 100, "fire_rating": 20, "land_use": 20,
    "property_rights": 100, "owner_unit_code": 32, "owner_unit_name": 200, "contact_name": 50,
}
NUMBER_FIELDS = ("building_area_m2", "land_area_m2", "land_area_mu", "floor_height_m", "floor_load_kn_m2", "power_kva", "rent_value")
# Columns an update writes only when the file has them: a file without a
# "floors" column must not wipe the floors already recorded.
SITE_FIELDS = (
    "name", "type", "address", "village", "building_area_m2", "land_area_m2", "floors", "floor_height_m",
    "floor_load_kn_m2", "power_kva", "crane", "fire_rating", "land_use", "property_rights", "rent_value",
    "rent_unit", "status", "available_from", "last_confirmed", "contact_name", "contact_mobile", "description",
)


def _norm(text: Any) -> str:
    value = str(text).strip().lower()
    value = value.replace("（", "(").replace("）", ")").replace("㎡", "m²").replace("平方米", "m²").replace("m2", "m²")
    return re.sub(r"\s+", "", value)


def _norm_word(text: Any) -> str:
    return _norm(text).replace("／", "/").replace("每", "/").replace("平米", "m²")


def _words(table: dict[str, str]) -> dict[str, str]:
    return {_norm_word(k): v for k, v in table.items()}


TYPE_WORDS, STATUS_WORDS, RENT_UNIT_WORDS = _words(TYPE_WORDS), _words(STATUS_WORDS), _words(RENT_UNIT_WORDS)


@dataclass
class ImportReport:
    format: str
    source_crs: str
    layer: str | None
    row_label: str
    total: int
    valid: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    owner_units_created: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False
    # Saved-search alerts for the new sites were queued; a worker sends them after the commit.
    alerts_queued: bool = False

    def where(self, row: int) -> str:
        return f"第{row}行" if self.row_label == "行" else f"第{row}个要素"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = [
            {"row": p.row, "field": p.field, "message": p.message, "where": self.where(p.row)} for p in self.problems
        ]
        return data

    def summary(self) -> str:
        head = f"{self.format}，坐标系 {self.source_crs}，共 {self.total} 条"
        if self.problems and not self.imported and not self.dry_run:
            return f"{head}；{len(self.problems)} 处问题，未导入任何数据（修正后重试，或使用“跳过错误行”只导入正确的行）"
        verb = "将新增" if self.dry_run else "新增"
        text = f"{head}；{verb} {self.created} 处，{'将更新' if self.dry_run else '更新'} {self.updated} 处"
        if self.skipped:
            text += f"，跳过 {self.skipped} 条有问题的记录"
        if self.owner_units_created:
            text += f"，{'将新建' if self.dry_run else '新建'}资源持有单位 {len(self.owner_units_created)} 个"
        return text + ("（试运行，未写入）" if self.dry_run else "")

    def lines(self) -> list[str]:
        return [self.summary()] + [f"  {self.where(p.row)} · {p.field}：{p.message}" for p in self.problems]


def _map_columns(rows: list[SiteRow]) -> dict[str, str]:
    """canonical field → the file's column, from the headers present."""
    headers: dict[str, None] = {}
    for row in rows:
        headers.update(dict.fromkeys(row.properties))
    normalized = {_norm(h): h for h in headers}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for canonical, aliases in ALIASES.items():
        for alias in aliases:
            column = normalized.get(_norm(alias))
            if column is not None and column not in used:
                mapping[canonical] = column
                used.add(column)
                break
    return mapping


class _Row:
    """One file row being checked: collects values and problems with the file's column names."""

    def __init__(self, row: SiteRow, columns: dict[str, str]):
        self.row = row
        self.columns = columns
        self.problems: list[RowProblem] = []
        self.values: dict[str, Any] = {}

    def raw(self, name: str) -> Any:
        column = self.columns.get(name)
        return None if column is None else self.row.properties.get(column)

    def problem(self, name: str, message: str) -> None:
        self.problems.append(RowProblem(self.row.row, self.columns.get(name, LABELS.get(name, name)), message))

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.raw(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # Excel turns the id 1001 into 1001.0
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.problem(name, "不能为空")
        limit = TEXT_LIMITS.get(name)
        if limit and len(text) > limit:
            self.problem(name, f"最多{limit}个字符，当前{len(text)}个")
        return text

    def number(self, name: str, *, integer: bool = False) -> float | int | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(str(value).replace(",", "").replace("，", "").strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            self.problem(name, f"应为数字，当前为“{value}”")
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.problem(name, "应为数字")
            return None
        if number < 0:
            self.problem(name, f"不能为负数（{number:g}）")
            return None
        if integer:
            if not number.is_integer():
                self.problem(name, f"应为整数，当前为 {number:g}")
                return None
            return int(number)
        return number

    def choice(self, name: str, words: dict[str, str], *, default: str, allowed: str) -> str:
        value = self.raw(name)
        if value is None or not str(value).strip():
            return default
        found = words.get(_norm_word(value))
        if found is None:
            self.problem(name, f"“{value}”无法识别，应为 {allowed}")
            return default
        return found

    def boolean(self, name: str) -> bool | None:
        value = self.raw(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            return value
        word = _norm(value)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.problem(name, f"“{value}”无法识别，应为 是/否（有/无）")
        return None

    def date(self, name: str) -> dt.date | None:
        try:
            return as_date(self.raw(name))
        except ValueError:
            self.problem(name, f"日期格式不正确：“{self.raw(name)}”（应为 2026-07-31）")
            return None

    def phone(self, name: str) -> str:
        value = self.raw(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else re.sub(r"[\s()（）]", "", str(value))
        if text and not (MOBILE_RE.match(text) or LANDLINE_RE.match(text)):
            self.problem(name, f"“{value}”不是有效的电话号码（应为11位手机号或带区号的固定电话）")
            return ""
        return text


def _parse(row: SiteRow, columns: dict[str, str]) -> _Row:
    r = _Row(row, columns)
    v = r.values
    v["external_id"] = r.text("external_id", required=True)
    v["name"] = r.text("name", required=True)
    v["type"] = r.choice("type", TYPE_WORDS, default="", allowed="厂房、办公、仓库、商铺、土地 或 其他")
    if not v["type"] and not any(p.field == columns.get("type", "类型") for p in r.problems):
        r.problem("type", "不能为空")
    for name in ("address", "village", "fire_rating", "land_use", "property_rights", "contact_name", "description"):
        v[name] = r.text(name)
    numbers = {name: r.number(name) for name in NUMBER_FIELDS}
    v["building_area_m2"] = numbers["building_area_m2"]
    if numbers["land_area_m2"] is not None:
        v["land_area_m2"] = numbers["land_area_m2"]
    elif numbers["land_area_mu"] is not None:
        v["land_area_m2"] = round(numbers["land_area_mu"] * MU_M2, 2)  # 亩 → m²
    else:
        v["land_area_m2"] = None
    v["floors"] = r.number("floors", integer=True)
    if v["floors"] is not None and v["floors"] > 200:
        r.problem("floors", f"层数 {v['floors']} 不合理")
    for name in ("floor_height_m", "floor_load_kn_m2", "power_kva", "rent_value"):
        v[name] = numbers[name]
    v["crane"] = r.boolean("crane")
    unit = r.choice("rent_unit", RENT_UNIT_WORDS, default="yuan_m2_day", allowed="元/m²/天、元/m²/月 或 元/年")
    if unit == "wan_yuan_year":  # 万元/年: the platform's habit for land
        unit = "yuan_year"
        v["rent_value"] = None if v["rent_value"] is None else v["rent_value"] * 10_000
    v["rent_unit"] = unit
    v["status"] = r.choice("status", STATUS_WORDS, default="vacant", allowed="空置、洽谈中 或 已出租")
    v["available_from"] = r.date("available_from")
    v["last_confirmed"] = r.date("last_confirmed")
    v["contact_mobile"] = r.phone("contact_mobile")
    v["owner_unit_code"] = r.text("owner_unit_code")
    v["owner_unit_name"] = r.text("owner_unit_name")
    if not v["owner_unit_code"] and not v["owner_unit_name"]:
        r.problem("owner_unit_code" if "owner_unit_code" in columns else "owner_unit_name", "缺少资源持有单位（编码或名称）")
    return r


def _unit_code_for(name: str) -> str:
    return "U" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10].upper()


def _resolve_units(parsed: list[_Row]) -> tuple[dict[str, OwnerUnit], list[OwnerUnit]]:
    """code → unit for every row; units to create (unknown code with a name, or a new name)."""
    codes = {r.values["owner_unit_code"] for r in parsed if r.values["owner_unit_code"]}
    names = {r.values["owner_unit_name"] for r in parsed if r.values["owner_unit_name"] and not r.values["owner_unit_code"]}
    known = {u.code: u for u in OwnerUnit.objects.filter(code__in=codes)}
    by_name = {u.name: u for u in OwnerUnit.objects.filter(name__in=names)}
    new: dict[str, OwnerUnit] = {}
    for r in parsed:
        code, name = r.values["owner_unit_code"], r.values["owner_unit_name"]
        if code:
            if code not in known and code not in new:
                if not name:
                    r.problem("owner_unit_code", f"单位编码 {code} 不存在（在“资源持有单位”列写上单位名称即可自动新建）")
                    continue
                new[code] = OwnerUnit(code=code, name=name)
            r.values["owner_unit_key"] = code
        elif name:
            unit = by_name.get(name)
            code = unit.code if unit else _unit_code_for(name)
            if unit:
                known[code] = unit
            elif code not in new:
                new[code] = OwnerUnit(code=code, name=name)
            r.values["owner_unit_key"] = code
    return {**known, **new}, list(new.values())


def _check_duplicates(parsed: list[_Row]) -> None:
    first: dict[str, int] = {}
    for r in parsed:
        ext = r.values["external_id"]
        if not ext:
            continue
        if ext in first:
            r.problem("external_id", f"编号 {ext} 与第{first[ext]}行重复")
        else:
            first[ext] = r.row.row


def sites_import(
    *,
    path: str | Path,
    filename: str | None = None,
    crs: str | None = None,
    layer: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    try:
        site_file: SiteFile = read_site_file(path, crs=crs, layer=layer, filename=filename)
    except SiteFileError as exc:
        raise Invalid(str(exc), field="file") from None
    report = ImportReport(
        format=site_file.format_label,
        source_crs=site_file.source_crs,
        layer=site_file.layer,
        row_label=site_file.row_label,
        total=site_file.total,
        dry_run=dry_run,
    )
    columns = _map_columns(site_file.rows)
    if site_file.rows:
        missing = [LABELS[n] + f"（{n}）" for n in ("external_id", "name", "type") if n not in columns]
        if "owner_unit_code" not in columns and "owner_unit_name" not in columns:
            missing.append("单位编码或资源持有单位（owner_unit_code / owner_unit_name）")
        if missing:
            raise Invalid("文件缺少必需的列：" + "、".join(missing), field="file")

    with transaction.atomic():
        parsed = [_parse(row, columns) for row in site_file.rows]
        _check_duplicates(parsed)
        units, new_units = _resolve_units(parsed)
        problems = list(site_file.problems)
        for r in parsed:
            problems.extend(r.problems)
        report.problems = sorted(problems, key=lambda p: p.row)
        good = [r for r in parsed if not r.problems]
        report.valid = len(good)
        report.skipped = report.total - len(good) if skip_invalid else 0
        used_units = {r.values["owner_unit_key"] for r in good}
        new_units = [u for u in new_units if u.code in used_units]
        report.owner_units_created = [f"{u.code} {u.name}" for u in new_units]
        existing = _existing_sites([r.values["external_id"] for r in good])
        report.updated = sum(1 for r in good if r.values["external_id"] in existing)
        report.created = len(good) - report.updated
        if dry_run or (report.problems and not skip_invalid):
            if not dry_run:
                report.created = report.updated = 0
                report.owner_units_created = []
            return report
        OwnerUnit.objects.bulk_create(new_units, batch_size=BATCH)
        for unit in OwnerUnit.objects.filter(code__in=[u.code for u in new_units]):
            units[unit.code] = unit
        created_ids = _write(good, columns, units, existing)
        sites_changed()
        report.imported = True
        report.alerts_queued = saved_search_alerts_queue(site_ids=created_ids)
    return report


def sites_import_upload(
    *, upload, crs: str = "", layer: str = "", dry_run: bool = False, skip_invalid: bool = False
) -> ImportReport:
    """Import an uploaded file (API, admin page): geopandas wants a path with the right suffix."""
    name = Path(upload.name or "upload").name
    suffix = Path(name).suffix.lower()
    if not suffix:
        raise Invalid("文件缺少扩展名（.geojson、.zip、.gpkg、.csv、.xlsx）", field="file")
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        return sites_import(
            path=tmp.name,
            filename=name,
            crs=crs.strip() or None,
            layer=layer.strip() or None,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
        )


def _existing_sites(external_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(external_ids), 5000):
        chunk = external_ids[start : start + 5000]
        found.update(Site.objects.filter(external_id__in=chunk).values_list("external_id", "id"))
    return found


def _write(good: list[_Row], columns: dict[str, str], units: dict[str, OwnerUnit], existing: dict[str, int]) -> list[int]:
    """Insert new sites and update known ones (by external id) as plain rows, in bulk."""
    today = timezone.localdate()
    now = timezone.now()
    # An update writes only the columns the file has: a file without a
    # "floors" column must not wipe the floors already recorded.
    present = {name for name in SITE_FIELDS if name in columns} | {"name", "type", "status", "rent_unit"}
    if "land_area_mu" in columns:
        present.add("land_area_m2")
    update_names = sorted((present & set(SITE_FIELDS)) | set(DERIVED) | {"owner_unit", "lng", "lat", "footprint", "updated_at", "last_confirmed"})
    new_rows: list[dict] = []
    changed_rows: list[dict] = []
    for r in good:
        v = r.values
        row = {name: v[name] for name in SITE_FIELDS}
        row.update(
            external_id=v["external_id"],
            owner_unit_id=units[v["owner_unit_key"]].id,
            lng=r.row.lng,
            lat=r.row.lat,
            footprint=r.row.footprint,
            updated_at=now,
        )
        row.update(
            search_columns(
                lng=row["lng"],
                lat=row["lat"],
                footprint=row["footprint"],
                building_area_m2=row["building_area_m2"],
                land_area_m2=row["land_area_m2"],
                rent_value=row["rent_value"],
                rent_unit=row["rent_unit"],
            )
        )
        pk = existing.get(v["external_id"])
        if pk is None:
            # The platform's data is current as of its export: count the import as a confirmation.
            row["last_confirmed"] = row["last_confirmed"] or today
            row.update(created_at=now, confirm_reminded_at=None)
            new_rows.append(row)
        else:
            row["id"] = pk
            changed_rows.append(row)
    _insert(new_rows)
    _update(changed_rows, update_names)
    ids: list[int] = []
    external_ids = [row["external_id"] for row in new_rows]
    for start in range(0, len(external_ids), 5000):
        chunk = external_ids[start : start + 5000]
        ids.extend(Site.objects.filter(external_id__in=chunk).values_list("id", flat=True))
    if len(new_rows) + len(changed_rows) >= ANALYZE_AFTER_ROWS:
        # Fresh planner statistics: SQLite has none until ANALYZE, and a city
        # import changes the spread PostgreSQL's autovacuum saw last.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Site._meta.db_table)}")
    return ids


# --- bulk writes ---------------------------------------------------------------
# Django's bulk_create/bulk_update compile every value through the field API,
# and on SQLite in batches of 27 rows (999 parameters / 37 columns); a city's
# 100,000 sites took ~25 s that way. A prepared statement with executemany()
# and values converted once per column type takes a few seconds on both databases.


def _converters(fields) -> list:
    ops = connection.ops
    out = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "JSONField":
            out.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        elif kind == "DateTimeField":
            # Cached: every row of an import carries the same timestamp.
            out.append(functools.lru_cache(maxsize=64)(ops.adapt_datetimefield_value))
        elif kind == "DateField":
            out.append(functools.lru_cache(maxsize=4096)(ops.adapt_datefield_value))
        else:
            out.append(None)
    return out


def _values(row: dict, fields, converters) -> list:
    return [
        value if convert is None or value is None else convert(value)
        for value, convert in zip([row.get(f.attname) for f in fields], converters, strict=True)
    ]


def _insert(rows: list[dict]) -> None:
    if not rows:
        return
    fields = [f for f in Site._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(Site._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    converters = _converters(fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk path, several times faster than row inserts.
            columns = ", ".join(qn(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {qn(Site._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(_values(r, fields, converters))
            return
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, [_values(r, fields, converters) for r in rows[start : start + 5000]])


def _update(rows: list[dict], names: list[str]) -> None:
    if not rows:
        return
    fields = [Site._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name

    def assignment(f) -> str:
        # A row without a confirmation date keeps the one on record.
        if f.name == "last_confirmed":
            return f"{qn(f.column)} = COALESCE(%s, {qn(f.column)})"
        return f"{qn(f.column)} = %s"

    table, pk = qn(Site._meta.db_table), qn(Site._meta.pk.column)
    converters = _converters(fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY into a temporary table of the same column types, then one UPDATE … FROM:
            # 100,000 row-by-row UPDATEs took 13 s.
            columns = ", ".join(qn(f.column) for f in fields)
            cursor.execute(f"CREATE TEMP TABLE site_import ON COMMIT DROP AS SELECT {pk}, {columns} FROM {table} WITH NO DATA")
            with cursor.cursor.copy(f"COPY site_import ({pk}, {columns}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row([r["id"], *_values(r, fields, converters)])
            sets = ", ".join(
                f"{qn(f.column)} = COALESCE(t.{qn(f.column)}, s.{qn(f.column)})"
                if f.name == "last_confirmed"
                else f"{qn(f.column)} = t.{qn(f.column)}"
                for f in fields
            )
            cursor.execute(f"UPDATE {table} AS s SET {sets} FROM site_import AS t WHERE s.{pk} = t.{pk}")
            cursor.execute("DROP TABLE site_import")
            return
        sql = "UPDATE {} SET {} WHERE {} = %s".format(table, ", ".join(assignment(f) for f in fields), pk)
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            cursor.executemany(sql, [_values(r, fields, converters) + [r["id"]] for r in chunk])
