"""Read idle-site files from the collective-asset platform into plain rows (no Django).

Towns receive their data as whatever the platform exports: GeoJSON, a zipped
Shapefile, a GeoPackage, or a spreadsheet (CSV/XLSX) with coordinate columns.
This module turns any of them into the same thing: one :class:`SiteRow` per
feature/line with a WGS-84 point, bbox and optional footprint, the other
columns untouched, and a :class:`RowProblem` for every line it cannot place.
Business meaning (types, rents, owner units) is the importer's job.

Coordinates:

* A file that declares its CRS (``.prj``, GeoPackage SRS, GeoJSON) is
  reprojected to WGS-84 with pyproj, whatever the CRS — projected CGCS2000
  Gauss–Krüger zones are common in Chinese asset registers.
* ``crs=`` overrides or supplies it: ``"wgs84"``, ``"cgcs2000"``, anything
  pyproj understands (``"EPSG:4549"``), or ``"gcj02"`` / ``"bd09"``. The last
  two are not real CRSs but deliberate offsets (AMap/Tencent, Baidu) that no
  file declares — points copied out of those apps look like WGS-84 and are
  100–700 m off — so they are only ever taken from ``crs=`` and are converted
  with :mod:`geo.chinacoords`.
* Spreadsheets have no CRS: WGS-84 unless ``crs=`` says otherwise.

Row numbers are what a person finds in the file: spreadsheet rows count the
header as row 1 (first data line = row 2); features count from 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import Point, mapping

from geo.chinacoords import bd09_to_wgs84, gcj02_to_wgs84

CHINESE_OFFSET_CRS = {"gcj02": "GCJ-02（高德/腾讯坐标）", "bd09": "BD-09（百度坐标）"}
CRS_ALIASES = {"wgs84": "EPSG:4326", "wgs-84": "EPSG:4326", "cgcs2000": "EPSG:4490"}
WGS84 = CRS.from_epsg(4326)

# Coordinate columns in spreadsheets, compared after _norm_header().
LNG_COLUMNS = ("lng", "lon", "long", "longitude", "x", "经度", "东经", "经度(wgs84)", "gps经度")
LAT_COLUMNS = ("lat", "latitude", "y", "纬度", "北纬", "纬度(wgs84)", "gps纬度")
WKT_COLUMNS = ("wkt", "geometry", "geom", "边界", "范围")

SPATIAL_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".shp": "shapefile", ".gpkg": "gpkg", ".zip": "shapefile"}
TABLE_SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}
FORMAT_LABELS = {"geojson": "GeoJSON", "shapefile": "Shapefile", "gpkg": "GeoPackage", "csv": "CSV", "xlsx": "Excel"}
COORD_DECIMALS = 7  # ~1 cm: enough for a site, and removes transform noise like 121.42000000000002


class SiteFileError(ValueError):
    """The whole file cannot be read (format, CRS, missing coordinate columns); Chinese message."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    field: str
    message: str


@dataclass(slots=True)
class SiteRow:
    row: int
    lng: float
    lat: float
    bbox: tuple[float, float, float, float]  # min_lng, min_lat, max_lng, max_lat
    footprint: dict[str, Any] | None  # GeoJSON Polygon/MultiPolygon in WGS-84, or None for a point
    properties: dict[str, Any]


@dataclass(slots=True)
class SiteFile:
    format: str
    source_crs: str
    row_label: str  # "行" for spreadsheets, "要素" for spatial files: how the report names a row
    total: int
    rows: list[SiteRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    layer: str | None = None

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)


def _norm_header(name: Any) -> str:
    text = str(name).strip().lower()
    text = text.replace("（", "(").replace("）", ")").replace("㎡", "m²").replace("平方米", "m²")
    return re.sub(r"\s+", "", text)


def _clean_value(value: Any) -> Any:
    """Plain Python values: NaN/blank → None, numpy scalars → int/float, Timestamps → datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    return value


def parse_crs(crs: str | None) -> tuple[str | None, CRS | None]:
    """``(offset, pyproj_crs)``: offset is "gcj02"/"bd09" or None; pyproj_crs None means "the file's own"."""
    if crs is None or str(crs).strip() == "":
        return None, None
    key = str(crs).strip().lower().replace("_", "")
    if key in CHINESE_OFFSET_CRS:
        return key, WGS84
    text = CRS_ALIASES.get(key, str(crs).strip())
    try:
        return None, CRS.from_user_input(text)
    except CRSError:
        raise SiteFileError(
            f"无法识别的坐标系：{crs}（可用 wgs84、gcj02、bd09、cgcs2000 或 EPSG 代码，如 EPSG:4549）"
        ) from None


def _crs_label(crs: CRS, offset: str | None) -> str:
    if offset:
        return CHINESE_OFFSET_CRS[offset]
    epsg = crs.to_epsg(min_confidence=70)
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


def _offset_fn(offset: str) -> Callable[[float, float], tuple[float, float]]:
    return gcj02_to_wgs84 if offset == "gcj02" else bd09_to_wgs84


def _convert_offset(geom, offset: str):
    """GCJ-02/BD-09 → WGS-84 vertex by vertex (the offset varies across space, so no affine shortcut)."""
    convert = _offset_fn(offset)

    def transform(coords: np.ndarray) -> np.ndarray:
        return np.array([convert(float(x), float(y)) for x, y in coords], dtype=float).reshape(-1, 2)

    return shapely.transform(geom, transform)


def _looks_geographic(xs: np.ndarray, ys: np.ndarray) -> bool:
    """Most values within lng/lat ranges: a few out of range are bad rows (swapped, typos), not metres."""
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return True
    inside = (np.abs(xs[finite]) <= 180) & (np.abs(ys[finite]) <= 90)
    return bool(inside.mean() >= 0.5)


def _site_point(geom) -> Point:
    """The marker position for a footprint: its centroid when that lies inside, else a point that does."""
    centroid = geom.centroid
    return centroid if geom.covers(centroid) else geom.representative_point()


def _geom_problem(geom) -> str | None:
    if geom is None or geom.is_empty:
        return "缺少几何图形或坐标"
    kind = geom.geom_type
    if kind == "MultiPoint" and len(geom.geoms) != 1:
        return "一个场地只能有一个点位（多点要素）"
    if kind not in ("Point", "MultiPoint", "Polygon", "MultiPolygon"):
        return f"不支持的几何类型 {kind}：场地应为点或面"
    if kind in ("Polygon", "MultiPolygon") and not geom.is_valid:
        return "边界多边形无效（自相交或不闭合）：" + shapely.is_valid_reason(geom)
    return None


def _range_problem(geom) -> tuple[str, str] | None:
    """``(axis, message)`` when the geometry leaves the lng/lat ranges; axis is "lng" or "lat"."""
    min_lng, min_lat, max_lng, max_lat = geom.bounds
    for lng, lat in ((min_lng, min_lat), (max_lng, max_lat)):
        if not (math.isfinite(lng) and math.isfinite(lat)):
            return "lat", "坐标不是有效数字"
        if not -90 <= lat <= 90:
            hint = "（经纬度是否填反？）" if -90 <= lng <= 90 and -180 <= lat <= 180 else ""
            return "lat", f"纬度 {lat:g} 超出 -90 到 90 的范围{hint}"
        if not -180 <= lng <= 180:
            return "lng", f"经度 {lng:g} 超出 -180 到 180 的范围"
    return None


def _row_from_geom(row: int, geom, properties: dict[str, Any]) -> SiteRow:
    if geom.geom_type == "MultiPoint":
        geom = geom.geoms[0]
    if geom.geom_type == "Point":
        point, footprint = geom, None
    else:
        point, footprint = _site_point(geom), geom
    lng, lat = round(point.x, COORD_DECIMALS), round(point.y, COORD_DECIMALS)
    if footprint is None:
        bbox = (lng, lat, lng, lat)
        footprint_json = None
    else:
        footprint = shapely.set_precision(footprint, 10.0**-COORD_DECIMALS)
        min_lng, min_lat, max_lng, max_lat = footprint.bounds
        # The marker must lie in the bbox, or a bbox prefilter would drop the site.
        bbox = (min(min_lng, lng), min(min_lat, lat), max(max_lng, lng), max(max_lat, lat))
        footprint_json = mapping(footprint)
        footprint_json = {"type": footprint_json["type"], "coordinates": _lists(footprint_json["coordinates"])}
    return SiteRow(row=row, lng=lng, lat=lat, bbox=bbox, footprint=footprint_json, properties=properties)


def _lists(value):
    """shapely's mapping() gives nested tuples; JSON columns and comparisons want lists."""
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value


# --- spatial files -----------------------------------------------------------


def _zip_member(path: Path) -> str:
    """The dataset inside a zip: a .shp (or .gpkg/.geojson) — its path for GDAL's /vsizip/."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.startswith("__MACOSX/") and not n.endswith("/")]
    except zipfile.BadZipFile:
        raise SiteFileError("压缩包已损坏或不是 zip 文件") from None
    for suffix in (".shp", ".gpkg", ".geojson", ".json"):
        found = [n for n in names if n.lower().endswith(suffix)]
        if len(found) > 1:
            raise SiteFileError(f"压缩包中有多个 {suffix} 文件，请每次只上传一个图层：" + "、".join(found))
        if found:
            if suffix == ".shp":
                stem = found[0][:-4]
                have = {n.lower() for n in names}
                missing = [ext for ext in (".shx", ".dbf") if (stem + ext).lower() not in have]
                if missing:
                    raise SiteFileError(f"Shapefile 不完整，压缩包中缺少 {'、'.join(missing)} 文件")
            return f"/vsizip/{path}/{found[0]}"
    raise SiteFileError("压缩包中没有找到 Shapefile（.shp）、GeoPackage 或 GeoJSON 文件")


def _mojibake(df: pd.DataFrame) -> bool:
    """True when Chinese text came out as Latin-1 (a DBF without .cpg written by a GBK system)."""
    for column in df.columns:
        if df[column].dtype != object:
            continue
        for value in df[column].dropna().head(50):
            if isinstance(value, str) and any("\x80" <= ch <= "\xff" for ch in value):
                if all(ord(ch) < 0x100 for ch in value):
                    return True
    return False


def _read_spatial(source: str, *, fmt: str, layer: str | None):
    import pyogrio

    try:
        layers = pyogrio.list_layers(source)
    except Exception as exc:  # pyogrio raises DataSourceError and friends; all mean "unreadable"
        raise SiteFileError(f"无法读取{FORMAT_LABELS[fmt]}文件：{exc}") from None
    names = [str(name) for name, _ in layers]
    if layer is None:
        spatial = [str(name) for name, kind in layers if kind]
        layer = (spatial or names or [None])[0]
    elif layer not in names:
        raise SiteFileError(f"文件中没有图层 {layer}（有：{'、'.join(names)}）")
    try:
        gdf = pyogrio.read_dataframe(source, layer=layer, on_invalid="ignore")
        if fmt == "shapefile" and _mojibake(gdf):
            gdf = pyogrio.read_dataframe(source, layer=layer, on_invalid="ignore", encoding="GB18030")
    except SiteFileError:
        raise
    except Exception as exc:
        raise SiteFileError(f"无法读取{FORMAT_LABELS[fmt]}文件：{exc}") from None
    return gdf, layer


def _spatial(path: Path, *, fmt: str, crs: str | None, layer: str | None) -> SiteFile:
    source = _zip_member(path) if path.suffix.lower() == ".zip" else str(path)
    if source.lower().endswith(".gpkg"):
        fmt = "gpkg"
    elif source.lower().endswith((".geojson", ".json")):
        fmt = "geojson"
    gdf, layer = _read_spatial(source, fmt=fmt, layer=layer)
    offset, given = parse_crs(crs)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    if given is not None:
        source_crs = given
    elif gdf.crs is not None:
        source_crs = CRS.from_user_input(gdf.crs)
    else:
        bounds = shapely.bounds(np.array([g for g in geoms if g is not None and not g.is_empty], dtype=object))
        if len(bounds) and not _looks_geographic(bounds[:, [0, 2]].ravel(), bounds[:, [1, 3]].ravel()):
            raise SiteFileError("文件没有坐标系信息，坐标也不是经纬度：请指定坐标系（例如 EPSG:4549）")
        source_crs = WGS84
    if offset and source_crs.is_projected:
        raise SiteFileError(f"{CHINESE_OFFSET_CRS[offset]}是经纬度坐标，不能用于投影坐标文件")

    if not source_crs.equals(WGS84, ignore_axis_order=True) and not offset:
        transformer = Transformer.from_crs(source_crs, WGS84, always_xy=True)
        geoms = np.array(
            [None if g is None else shapely.transform(g, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1])))
             for g in geoms],
            dtype=object,
        )
    result = SiteFile(
        format=fmt,
        source_crs=_crs_label(source_crs, offset),
        row_label="要素",
        total=len(gdf),
        layer=layer,
    )
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    records = gdf[columns].to_dict("records")
    for index, (geom, record) in enumerate(zip(geoms, records, strict=True)):
        row = index + 1
        problem = _geom_problem(geom)
        if problem is None and offset:
            out_of_range = _range_problem(geom)
            problem = out_of_range[1] if out_of_range else None
            if problem is None:
                geom = _convert_offset(geom, offset)
        if problem is None:
            out_of_range = _range_problem(geom)
            problem = out_of_range[1] if out_of_range else None
        if problem:
            result.problems.append(RowProblem(row, "geometry", problem))
            continue
        result.rows.append(_row_from_geom(row, geom, {str(k): _clean_value(v) for k, v in record.items()}))
    return result


# --- spreadsheets ------------------------------------------------------------


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
    normalized = {_norm_header(c): c for c in columns}
    for candidate in candidates:
        if candidate in normalized:
            return normalized[candidate]
    for key, column in normalized.items():
        if re.sub(r"\(.*?\)$", "", key) in candidates:
            return column
    return None


# Header notes that name the coordinate system, as platforms label AMap/Baidu columns.
_HEADER_HINTS = (("百度", "bd09"), ("baidu", "bd09"), ("bd09", "bd09"), ("高德", "gcj02"), ("gcj", "gcj02"), ("腾讯", "gcj02"))


def _crs_hint(*headers: str | None) -> str | None:
    for header in headers:
        key = _norm_header(header or "")
        for word, crs in _HEADER_HINTS:
            if word in key:
                return crs
    return None


def _number(value: Any) -> float | None:
    value = _clean_value(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).replace("，", ",").replace(",", "").strip())


def _tabular(path: Path, *, fmt: str, crs: str | None, layer: str | None) -> SiteFile:
    if fmt == "csv":
        columns, body = _read_csv(path)
        layer = None
    else:
        columns, body, layer = _read_xlsx(path, layer)
    lng_col, lat_col = _find_column(columns, LNG_COLUMNS), _find_column(columns, LAT_COLUMNS)
    wkt_col = _find_column(columns, WKT_COLUMNS)
    if (lng_col is None or lat_col is None) and wkt_col is None:
        raise SiteFileError(
            "表格中没有找到坐标列：需要“经度”和“纬度”两列（或 lng/lat、longitude/latitude、x/y），"
            "或一列 WKT 边界"
        )
    # A column named "经度(百度)" says what it is; an explicit crs= still wins.
    offset, given = parse_crs(crs if crs else _crs_hint(lng_col, lat_col))
    source_crs = given or WGS84
    transformer = None
    if not offset and not source_crs.equals(WGS84, ignore_axis_order=True):
        transformer = Transformer.from_crs(source_crs, WGS84, always_xy=True)

    result = SiteFile(format=fmt, source_crs=_crs_label(source_crs, offset), row_label="行", total=0, layer=layer)
    consumed = {lng_col, lat_col, wkt_col} - {None}
    width = len(columns)
    # Points are collected into arrays and transformed in one call; WKT shapes one by one.
    point_rows: list[int] = []
    point_props: list[dict[str, Any]] = []
    xs: list[float] = []
    ys: list[float] = []
    shapes: list[tuple[int, Any, dict[str, Any]]] = []
    for index, values in enumerate(body):
        row = index + 2  # header is row 1, as the spreadsheet shows it
        cleaned = {}
        for column, value in zip(columns, values[:width], strict=False):
            cleaned[column] = _clean_value(value)
        if all(v is None for v in cleaned.values()):
            continue  # a blank line is not a site
        result.total += 1
        properties = {k: v for k, v in cleaned.items() if k not in consumed}
        if wkt_col and cleaned.get(wkt_col):
            try:
                geom = shapely.from_wkt(str(cleaned[wkt_col]))
            except shapely.errors.GEOSException:
                result.problems.append(RowProblem(row, wkt_col, "WKT 边界格式有误"))
                continue
            problem = _geom_problem(geom)
            if problem:
                result.problems.append(RowProblem(row, wkt_col, problem))
                continue
            shapes.append((row, geom, properties))
            continue
        missing = [c for c in (lng_col, lat_col) if c and cleaned.get(c) is None]
        if missing or lng_col is None:
            for column in missing or [wkt_col]:
                result.problems.append(RowProblem(row, column, "缺少坐标"))
            continue
        coords = []
        for column in (lng_col, lat_col):
            try:
                coords.append(_number(cleaned[column]))
            except (TypeError, ValueError):
                result.problems.append(RowProblem(row, column, f"坐标不是数字：{cleaned[column]}"))
        if len(coords) != 2:
            continue
        point_rows.append(row)
        point_props.append(properties)
        xs.append(coords[0])
        ys.append(coords[1])

    x, y = np.array(xs, dtype=float), np.array(ys, dtype=float)
    if len(x) and given is None and not offset and not _looks_geographic(x, y):
        raise SiteFileError("坐标值不是经纬度（看起来是投影坐标）：请指定坐标系（例如 EPSG:4549）")
    column_of = {"lng": lng_col or wkt_col or "geometry", "lat": lat_col or wkt_col or "geometry"}

    # Range first where the input is lng/lat: a GCJ-02 transform of nonsense is more nonsense.
    bad: dict[int, tuple[str, str]] = {}
    if transformer is None:
        for i in np.nonzero(~_in_range(x, y))[0]:
            bad[int(i)] = _point_problem(x[i], y[i])
    if transformer is not None:
        x, y = (np.asarray(a, dtype=float) for a in transformer.transform(x, y))
    elif offset:
        convert = _offset_fn(offset)
        for i in range(len(x)):
            if i not in bad:
                x[i], y[i] = convert(float(x[i]), float(y[i]))
    for i in np.nonzero(~_in_range(x, y))[0]:
        bad.setdefault(int(i), _point_problem(x[i], y[i]))
    x, y = np.round(x, COORD_DECIMALS), np.round(y, COORD_DECIMALS)
    for i, (row, properties) in enumerate(zip(point_rows, point_props, strict=True)):
        if i in bad:
            axis, message = bad[i]
            result.problems.append(RowProblem(row, column_of[axis], message))
            continue
        lng, lat = float(x[i]), float(y[i])
        result.rows.append(SiteRow(row=row, lng=lng, lat=lat, bbox=(lng, lat, lng, lat), footprint=None, properties=properties))

    for row, geom, properties in shapes:
        out_of_range = _range_problem(geom) if transformer is None else None
        if out_of_range is None:
            if transformer is not None:
                geom = shapely.transform(geom, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1])))
            elif offset:
                geom = _convert_offset(geom, offset)
            out_of_range = _range_problem(geom)
        if out_of_range:
            result.problems.append(RowProblem(row, wkt_col, out_of_range[1]))
            continue
        result.rows.append(_row_from_geom(row, geom, properties))
    result.rows.sort(key=lambda r: r.row)
    result.problems.sort(key=lambda p: p.row)
    return result


def _in_range(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)


def _point_problem(lng: float, lat: float) -> tuple[str, str]:
    problem = _range_problem(Point(lng, lat)) if math.isfinite(lng) and math.isfinite(lat) else None
    return problem or ("lat", "坐标不是有效数字")


def read_site_file(
    path: str | Path,
    *,
    crs: str | None = None,
    layer: str | None = None,
    filename: str | None = None,
) -> SiteFile:
    """Read a site file into WGS-84 rows and per-row problems.

    ``filename`` is the name the user gave the file (an upload's temporary
    path may lack the suffix that tells the format). ``layer`` picks a layer
    of a GeoPackage or a sheet of a workbook; the first one otherwise.
    Raises :class:`SiteFileError` when the file as a whole cannot be read.
    """
    path = Path(path)
    suffix = Path(filename or path.name).suffix.lower()
    if suffix == ".xls":
        raise SiteFileError("不支持旧版 Excel（.xls）：请在 Excel 中另存为 .xlsx 后上传")
    if suffix in TABLE_SUFFIXES:
        return _tabular(path, fmt=TABLE_SUFFIXES[suffix], crs=crs, layer=layer)
    if suffix in SPATIAL_SUFFIXES:
        return _spatial(path, fmt=SPATIAL_SUFFIXES[suffix], crs=crs, layer=layer)
    raise SiteFileError(
        f"不支持的文件类型 {suffix or '（无扩展名）'}：支持 GeoJSON、zip 压缩的 Shapefile、GeoPackage、CSV、XLSX"
    )


def as_date(value: Any) -> dt.date | None:
    """A cell as a date: Excel dates arrive as datetimes, text as 2026-07-31 / 2026/7/31 / 2026年7月31日."""
    value = _clean_value(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", text)
    if not match:
        raise ValueError(text)
    return dt.date(int(match[1]), int(match[2]), int(match[3]))
