"""Import idle sites from the collective-asset platform's files.

One code path for ``manage.py import_sites``, the admin upload page and
``POST /api/sites/import``: geo.sitefiles reads any format/CRS into WGS-84
rows, this package gives the columns their meaning (Chinese or English
headers, Shapefile names cut to 10 characters), checks every row column by
column, refuses points that land far from where they should, and upserts by
external id (编号) in bulk.

All or nothing by default: one bad row and nothing is written, and the
report lists every problem (row, column, what is wrong) in Chinese so the
town can fix the file and try again. ``skip_invalid`` imports the good rows;
``allow_far`` keeps points outside the CRS's area of use or far from the town
(listed as warnings).
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from django.conf import settings
from django.db import transaction

from backend.errors import Invalid
from geo.sitefiles import RowProblem, SiteFile, SiteFileError, far_points, read_site_file, row_word

from ..models import OwnerUnit
from ..services import saved_search_alerts_queue, sites_changed
from .columns import ALIASES, map_columns, require_columns
from .rows import check_rows, duplicate_ids
from .writes import existing_sites, write_sites

__all__ = ["ALIASES", "ImportReport", "sites_import", "sites_import_upload"]

ALLOW_FAR_HINT = "确认无误可加 --allow-far（网页上传时勾选“允许远离镇界的点”）"
MAX_WARNINGS = 50


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
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False
    # Saved-search alerts for the new sites were queued; a worker sends them after the commit.
    alerts_queued: bool = False

    def where(self, row: int) -> str:
        return row_word(self.row_label, row)

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
        return (
            [self.summary()]
            + [f"  注意：{w}" for w in self.warnings]
            + [f"  {self.where(p.row)} · {p.field}：{p.message}" for p in self.problems]
        )


def town_area():
    """The town's boundary as one shapely geometry (WGS-84), or None before a boundary is loaded."""
    from backend.basemap.models import BaseLayer

    layer = BaseLayer.objects.filter(kind=BaseLayer.Kind.BOUNDARY).first()
    if layer is None:
        return None
    data = layer.geojson
    features = data.get("features") or [data]
    shapes = [shapely.geometry.shape(f.get("geometry", f)) for f in features if f.get("geometry", f)]
    return shapely.union_all(shapes) if shapes else None


def _unit_code_for(name: str) -> str:
    return "U" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10].upper()


def _resolve_units(*, values: pd.DataFrame, checker) -> tuple[pd.Series, dict[str, OwnerUnit], list[OwnerUnit]]:
    """(unit key per row, key → known unit, units to create), worked out per distinct code/name."""
    codes, names = values["owner_unit_code"], values["owner_unit_name"]
    wanted_codes = set(codes[codes != ""])
    known = {}
    for start in range(0, len(wanted_codes), 5000):
        part = sorted(wanted_codes)[start : start + 5000]
        known.update({u.code: u for u in OwnerUnit.objects.filter(code__in=part)})
    by_name_wanted = set(names[(codes == "") & (names != "")])
    by_name = {u.name: u for u in OwnerUnit.objects.filter(name__in=by_name_wanted)} if by_name_wanted else {}
    new: dict[str, OwnerUnit] = {}
    keys = pd.Series([""] * len(values), index=values.index, dtype=object)
    # Rows with a code: known, or new with the first name the file gives it.
    with_code = codes != ""
    first_name = values[with_code & (names != "")].groupby("owner_unit_code")["owner_unit_name"].first()
    for code in pd.unique(codes[with_code]):
        if code not in known and code in first_name.index:
            new[code] = OwnerUnit(code=code, name=first_name[code])
    unknown = (with_code & ~codes.isin(list(known) + list(new))).to_numpy()
    checker.problem(
        "owner_unit_code", unknown, lambda i: f"单位编码 {codes.iat[i]} 不存在（在“资源持有单位”列写上单位名称即可自动新建）"
    )
    keys[with_code & ~pd.Series(unknown, index=values.index)] = codes
    # Rows with a name only: the unit of that name, or a new one with a code made from the name.
    only_name = ~with_code & (names != "")
    name_keys = {}
    for name in pd.unique(names[only_name]):
        unit = by_name.get(name)
        code = unit.code if unit else _unit_code_for(name)
        if unit:
            known[code] = unit
        elif code not in new:
            new[code] = OwnerUnit(code=code, name=name)
        name_keys[name] = code
    keys[only_name] = names[only_name].map(name_keys)
    return keys, known, list(new.values())


def sites_import(
    *,
    path: str | Path,
    filename: str | None = None,
    crs: str | None = None,
    layer: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    allow_far: bool = False,
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
    columns = map_columns(site_file.table)
    if len(site_file.row_numbers):
        require_columns(mapping=columns, headers=[str(c) for c in site_file.table.columns])
    far = far_points(site_file, town=town_area(), max_km=settings.SITES_IMPORT_MAX_KM)
    if far and not allow_far and len(far) == len(site_file.row_numbers):
        first = min(far)
        raise Invalid(
            f"全部 {len(far)} 条记录的位置都不对，例如{site_file.where(int(site_file.row_numbers[first]))}{far[first]}"
            f"请检查坐标系（用 --crs 指定）；{ALLOW_FAR_HINT}",
            field="file",
        )

    with transaction.atomic():
        values, checker = check_rows(table=site_file.table, rows=site_file.row_numbers, columns=columns)
        duplicate_ids(values=values, checker=checker, where=report.where)
        if far:
            mask = np.zeros(len(values), dtype=bool)
            mask[list(far)] = True
            if allow_far:
                report.warnings = [f"{site_file.where(int(site_file.row_numbers[i]))}{far[i]}" for i in sorted(far)[:MAX_WARNINGS]]
                if len(far) > MAX_WARNINGS:
                    report.warnings.append(f"…… 共 {len(far)} 条记录远离应在的位置")
            else:
                checker.problem("", mask, lambda i: f"{far[i]}{ALLOW_FAR_HINT}", field=site_file.geometry_field)
        unit_keys, units, new_units = _resolve_units(values=values, checker=checker)
        report.problems = sorted([*site_file.problems, *checker.problems], key=lambda p: p.row)
        good = ~checker.bad
        report.valid = int(good.sum())
        report.skipped = report.total - report.valid if skip_invalid else 0
        used_units = set(unit_keys[good])
        new_units = [u for u in new_units if u.code in used_units]
        report.owner_units_created = [f"{u.code} {u.name}" for u in new_units]
        existing = existing_sites(list(values["external_id"][good]))
        report.updated = int(values["external_id"][good].isin(list(existing)).sum())
        report.created = report.valid - report.updated
        if dry_run or (report.problems and not skip_invalid):
            if not dry_run:
                report.created = report.updated = 0
                report.owner_units_created = []
            return report
        OwnerUnit.objects.bulk_create(new_units, batch_size=1000)
        for unit in OwnerUnit.objects.filter(code__in=[u.code for u in new_units]):
            units[unit.code] = unit
        index = np.nonzero(good)[0]
        present = {name for name in columns} | {"name", "type", "status", "rent_unit"}
        if "land_area_mu" in columns:
            present.add("land_area_m2")
        created_ids = write_sites(
            values=values.iloc[index].reset_index(drop=True),
            lng=site_file.lng[index],
            lat=site_file.lat[index],
            bbox=site_file.bbox[index],
            footprints=[site_file.footprints[i] for i in index],
            owner_unit_ids=[units[k].id for k in unit_keys.iloc[index]],
            present=present,
            existing=existing,
        )
        sites_changed()
        report.imported = True
        report.alerts_queued = saved_search_alerts_queue(site_ids=created_ids)
    return report


def sites_import_upload(
    *, upload, crs: str = "", layer: str = "", dry_run: bool = False, skip_invalid: bool = False, allow_far: bool = False
) -> ImportReport:
    """Import an uploaded file (API, admin page): GDAL wants a path with the right suffix."""
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
            allow_far=allow_far,
        )

