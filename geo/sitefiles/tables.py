"""CSV and XLSX with coordinate columns (or a WKT column), placed column-wise."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from .base import GEOMETRY_LABEL, RowProblem, SiteFile, SiteFileError, clean_table, norm_header, plain
from .coords import (
    WGS84,
    area_of_use,
    crs_label,
    geoms_range_problems,
    in_range,
    looks_geographic,
    not_degrees_error,
    parse_crs,
    range_problem,
    to_wgs84,
    transform_xy,
)
from .spatial import place, shape_problems

# Coordinate columns in spreadsheets, compared after norm_header().
LNG_COLUMNS = ("lng", "lon", "long", "longitude", "x", "经度", "东经", "经度(wgs84)", "gps经度")
LAT_COLUMNS = ("lat", "latitude", "y", "纬度", "北纬", "纬度(wgs84)", "gps纬度")
WKT_COLUMNS = ("wkt", "geometry", "geom", "边界", "范围")
# Header notes that name the coordinate system, as platforms label AMap/Baidu columns.
_HEADER_HINTS = (("百度", "bd09"), ("baidu", "bd09"), ("bd09", "bd09"), ("高德", "gcj02"), ("gcj", "gcj02"), ("腾讯", "gcj02"))


def _read_csv(path: Path) -> tuple[list[str], list[list[Any]]]:
    raw = path.read_bytes()
    # Excel on Chinese Windows saves CSV as GBK; everything else is UTF-8 (maybe with a BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SiteFileError("CSV 文件编码无法识别（应为 UTF-8 或 GBK）")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    # Everything stays text (the csv module, not pandas): 13800001234 must not become a float.
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        raise SiteFileError(f"CSV 文件格式有误：{exc}") from None
    if not rows:
        raise SiteFileError("CSV 文件是空的")
    return [h.strip() for h in rows[0]], rows[1:]


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], list[list[Any]], str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for broken files
        raise SiteFileError(f"无法读取 Excel 文件：{exc}") from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise SiteFileError(f"Excel 文件中没有工作表 {sheet}（有：{'、'.join(workbook.sheetnames)}）")
        rows = [list(r) for r in worksheet.iter_rows(values_only=True)]
        title = worksheet.title
    finally:
        workbook.close()
    if not rows:
        raise SiteFileError("Excel 工作表是空的")
    return [("" if h is None else str(h)).strip() for h in rows[0]], rows[1:], title


def _find_column(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    """The column whose header is a candidate, also with a note in brackets ("经度(百度)")."""
    normalized = {norm_header(c): c for c in columns}
    for candidate in candidates:
        if candidate in normalized:
            return normalized[candidate]
    for key, column in normalized.items():
        if re.sub(r"\(.*?\)$", "", key) in candidates:
            return column
    return None


def _crs_hint(*headers: str | None) -> str | None:
    for header in headers:
        key = norm_header(header or "")
        for word, crs in _HEADER_HINTS:
            if word in key:
                return crs
    return None


def _numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, bad): text with thousands separators to floats; bad marks cells that are not numbers."""
    text = series.map(lambda v: None if v is None else str(v)) if series.dtype == object else series.astype("string")
    text = text.str.replace("，", "", regex=False).str.replace(",", "", regex=False).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    present = series.notna().to_numpy()
    bools = series.map(lambda v: isinstance(v, bool)).to_numpy(dtype=bool) if series.dtype == object else np.zeros(len(series), bool)
    values = values.to_numpy(dtype=float, na_value=np.nan)
    bad = present & (np.isnan(values) | bools)
    return values, bad


def _frame(columns: list[str], body: list[list[Any]], *, text: bool) -> pd.DataFrame:
    width = len(columns)
    names: list[str] = []
    for i, c in enumerate(columns):
        base = name = c or f"列{i + 1}"
        k = 1
        while name in names:  # a repeated header keeps its cells apart: 备注, 备注#2
            k += 1
            name = f"{base}#{k}"
        names.append(name)
    rows = [(list(r) + [None] * width)[:width] for r in body]
    # CSV cells are all text: a str column is stripped column-wise; XLSX cells are mixed (numbers, dates).
    frame = pd.DataFrame(rows, columns=names, dtype="str" if text else object)
    frame.index = np.arange(len(body)) + 2  # header is row 1, as the spreadsheet shows it
    return clean_table(frame)


def read_table(path: Path, *, fmt: str, crs: str | None, layer: str | None) -> SiteFile:
    if fmt == "csv":
        columns, body = _read_csv(path)
        layer = None
    else:
        columns, body, layer = _read_xlsx(path, layer)
    frame = _frame(columns, body, text=fmt == "csv")
    columns = list(frame.columns)
    frame = frame[frame.notna().any(axis=1)]  # a blank line is not a site
    lng_col, lat_col = _find_column(columns, LNG_COLUMNS), _find_column(columns, LAT_COLUMNS)
    wkt_col = _find_column(columns, WKT_COLUMNS)
    if (lng_col is None or lat_col is None) and wkt_col is None:
        raise SiteFileError(
            "表格中没有找到坐标列：需要“经度”和“纬度”两列（或 lng/lat、longitude/latitude、x/y），"
            "或一列 WKT 边界（表格中的列：" + "、".join(columns) + "）"
        )
    # A column named "经度(百度)" says what it is; an explicit crs= still wins.
    offset, given = parse_crs(crs if crs else _crs_hint(lng_col, lat_col))
    source_crs = given or WGS84
    problems: list[RowProblem] = []
    rows = frame.index.to_numpy()
    n = len(frame)
    geoms = np.full(n, None, dtype=object)
    has_wkt = frame[wkt_col].notna().to_numpy() if wkt_col else np.zeros(n, dtype=bool)
    column_of = {"lng": lng_col or wkt_col or GEOMETRY_LABEL, "lat": lat_col or wkt_col or GEOMETRY_LABEL}
    failed = np.zeros(n, dtype=bool)

    for i in np.nonzero(has_wkt)[0]:  # shapes are rare: one by one
        try:
            geoms[i] = shapely.from_wkt(str(frame[wkt_col].iat[i]))
        except shapely.errors.GEOSException:
            problems.append(RowProblem(int(rows[i]), wkt_col, "WKT 边界格式有误"))
            failed[i] = True
    for i, message in shape_problems(geoms[has_wkt & ~failed]).items():
        j = np.nonzero(has_wkt & ~failed)[0][i]
        problems.append(RowProblem(int(rows[j]), wkt_col, message))
        failed[j] = True

    pts = ~has_wkt
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if lng_col is not None and lat_col is not None:
        for column, out in ((lng_col, x), (lat_col, y)):
            values, bad = _numbers(frame[column])
            out[:] = values
            missing = frame[column].isna().to_numpy() & pts
            for i in np.nonzero(missing)[0]:
                problems.append(RowProblem(int(rows[i]), column, "缺少坐标"))
            for i in np.nonzero(bad & pts)[0]:
                problems.append(RowProblem(int(rows[i]), column, f"坐标不是数字：{plain(frame[column].iat[i])}"))
            failed |= (missing | bad) & pts
    else:
        for i in np.nonzero(pts)[0]:
            problems.append(RowProblem(int(rows[i]), wkt_col, "缺少坐标"))
        failed |= pts

    good_pts = pts & ~failed
    if good_pts.any() and (given is None or given.is_geographic) and not looks_geographic(x[good_pts], y[good_pts]):
        raise not_degrees_error(declared=crs or _crs_hint(lng_col, lat_col))
    # Range first where the input is lng/lat: a GCJ-02 transform of nonsense is more nonsense.
    if source_crs.is_geographic:
        for i in np.nonzero(good_pts & ~in_range(x, y))[0]:
            axis, message = range_problem(float(x[i]), float(y[i]))
            problems.append(RowProblem(int(rows[i]), column_of[axis], message))
            failed[i] = True
    good_pts = pts & ~failed
    lng, lat = np.full(n, np.nan), np.full(n, np.nan)
    lng[good_pts], lat[good_pts] = transform_xy(x[good_pts], y[good_pts], source=source_crs, offset=offset)
    for i in np.nonzero(good_pts & ~in_range(lng, lat))[0]:
        axis, message = range_problem(float(lng[i]), float(lat[i]))
        problems.append(RowProblem(int(rows[i]), column_of[axis], message))
        failed[i] = True
    good_pts = pts & ~failed
    geoms[good_pts] = shapely.points(lng[good_pts], lat[good_pts])

    shapes = has_wkt & ~failed
    if shapes.any():
        index = np.nonzero(shapes)[0]
        if source_crs.is_geographic:
            for i, (_, message) in geoms_range_problems(geoms[index]).items():
                problems.append(RowProblem(int(rows[index[i]]), wkt_col, message))
                failed[index[i]] = True
            index = np.nonzero(has_wkt & ~failed)[0]
        geoms[index] = to_wgs84(geoms[index], source=source_crs, offset=offset)
        for i, (_, message) in geoms_range_problems(geoms[index]).items():
            problems.append(RowProblem(int(rows[index[i]]), wkt_col, message))
            failed[index[i]] = True

    keep = ~failed
    lng, lat, bbox, footprints = place(geoms[keep])
    consumed = [c for c in (lng_col, lat_col, wkt_col) if c]
    table = frame.drop(columns=consumed)[keep].reset_index(drop=True)
    problems.sort(key=lambda p: p.row)
    return SiteFile(
        format=fmt,
        source_crs=crs_label(source_crs, offset),
        row_label="行",
        total=n,
        layer=layer,
        row_numbers=rows[keep].astype(np.int64),
        lng=lng,
        lat=lat,
        bbox=bbox,
        footprints=footprints,
        table=table,
        problems=problems,
        area_of_use=area_of_use(source_crs, offset),
        geometry_field=wkt_col or lng_col or GEOMETRY_LABEL,
    )
