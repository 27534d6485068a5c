"""GeoJSON, Shapefile (plain or zipped) and GeoPackage, read by pyogrio and placed column-wise."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry import mapping

from .base import COORD_DECIMALS, FORMAT_LABELS, GEOMETRY_LABEL, RowProblem, SiteFile, SiteFileError, clean_table
from geo.rings import lists as _lists
from geo.rings import orient_ccw

from .coords import (
    ASK_FOR_CRS,
    CHINESE_OFFSET_CRS,
    WGS84,
    area_of_use,
    crs_label,
    geoms_range_problems,
    looks_geographic,
    not_degrees_error,
    parse_crs,
    to_wgs84,
)

# shapely.get_type_id
POINT, POLYGON, MULTIPOINT, MULTIPOLYGON = 0, 3, 4, 6
TYPE_NAMES = {1: "线", 2: "线环", 5: "多线", 7: "几何集合"}


def zip_member(path: Path) -> str:
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


def _latin1_chinese(text: str) -> bool:
    """GBK bytes decoded as Latin-1: high Latin-1 characters only, and Chinese once decoded as GB18030
    (so a real "Café" in a Latin-1 file does not trigger a re-read)."""
    if not (any("\x80" <= ch <= "\xff" for ch in text) and all(ord(ch) < 0x100 for ch in text)):
        return False
    try:
        decoded = text.encode("latin-1").decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= ch <= "\u9fff" for ch in decoded)


def mojibake(frame: pd.DataFrame) -> bool:
    """True when Chinese came out as Latin-1 (a DBF without .cpg written by a GBK system).

    Column names count as much as values: a file whose headers are garbled is refused
    for "missing columns" otherwise. Text columns are found by their values, not their
    dtype — pandas 3 reads text as ``str``, not ``object``.
    """
    if any(_latin1_chinese(str(c)) for c in frame.columns):
        return True
    for column in frame.columns:
        series = frame[column]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            continue
        for value in series.dropna().head(50):
            if isinstance(value, str) and _latin1_chinese(value):
                return True
    return False


def _read(source: str, *, fmt: str, layer: str | None):
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
        if fmt == "shapefile" and mojibake(gdf.drop(columns=gdf.geometry.name)):
            gdf = pyogrio.read_dataframe(source, layer=layer, on_invalid="ignore", encoding="GB18030")
    except Exception as exc:
        raise SiteFileError(f"无法读取{FORMAT_LABELS[fmt]}文件：{exc}") from None
    return gdf, layer


def shape_problems(geoms: np.ndarray) -> dict[int, str]:
    """Index → what is wrong with the geometry itself (missing, kind, validity), column-wise."""
    problems: dict[int, str] = {}
    missing = np.array([g is None for g in geoms], dtype=bool)
    missing[~missing] = shapely.is_empty(geoms[~missing])
    kinds = np.full(len(geoms), -1)
    kinds[~missing] = shapely.get_type_id(geoms[~missing])
    for i in np.nonzero(missing)[0]:
        problems[int(i)] = "缺少几何图形或坐标"
    parts = np.zeros(len(geoms), dtype=int)
    multi = kinds == MULTIPOINT
    parts[multi] = shapely.get_num_geometries(geoms[multi])
    for i in np.nonzero(multi & (parts != 1))[0]:
        problems[int(i)] = "一个场地只能有一个点位（多点要素）"
    for i in np.nonzero(~missing & ~np.isin(kinds, (POINT, MULTIPOINT, POLYGON, MULTIPOLYGON)))[0]:
        problems[int(i)] = f"不支持的几何类型（{TYPE_NAMES.get(int(kinds[i]), geoms[i].geom_type)}）：场地应为点或面"
    polygons = np.isin(kinds, (POLYGON, MULTIPOLYGON))
    invalid = np.zeros(len(geoms), dtype=bool)
    invalid[polygons] = ~shapely.is_valid(geoms[polygons])
    for i in np.nonzero(invalid)[0]:
        problems[int(i)] = "边界多边形无效（自相交或不闭合）：" + shapely.is_valid_reason(geoms[i])
    return problems


def place(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """WGS-84 geometries → (lng, lat, bbox, footprints): points as they are, polygons get a marker inside."""
    n = len(geoms)
    kinds = shapely.get_type_id(geoms) if n else np.zeros(0, dtype=int)
    points = geoms.copy()
    multi = kinds == MULTIPOINT
    points[multi] = shapely.get_geometry(geoms[multi], 0)
    polygons = np.isin(kinds, (POLYGON, MULTIPOLYGON))
    footprints: list = [None] * n
    bbox = np.zeros((n, 4))
    if polygons.any():
        shapes = orient_ccw(shapely.set_precision(geoms[polygons], 10.0**-COORD_DECIMALS))
        # The marker: the centroid when it lies inside, else a point that does.
        centroids = shapely.centroid(shapes)
        inside = shapely.covers(shapes, centroids)
        markers = np.where(inside, centroids, shapely.point_on_surface(shapes))
        points[polygons] = markers
        bbox[polygons] = shapely.bounds(shapes)
        for i, shape in zip(np.nonzero(polygons)[0], shapes, strict=True):
            data = mapping(shape)
            footprints[i] = {"type": data["type"], "coordinates": _lists(data["coordinates"])}
    lng = np.round(shapely.get_x(points), COORD_DECIMALS) if n else np.zeros(0)
    lat = np.round(shapely.get_y(points), COORD_DECIMALS) if n else np.zeros(0)
    # The marker must lie in the bbox, or a bbox prefilter would drop the site.
    bbox[~polygons] = np.column_stack([lng, lat, lng, lat])[~polygons]
    bbox[:, 0], bbox[:, 1] = np.minimum(bbox[:, 0], lng), np.minimum(bbox[:, 1], lat)
    bbox[:, 2], bbox[:, 3] = np.maximum(bbox[:, 2], lng), np.maximum(bbox[:, 3], lat)
    return lng, lat, bbox, footprints


def read_spatial(path: Path, *, fmt: str, crs: str | None, layer: str | None) -> SiteFile:
    source = zip_member(path) if path.suffix.lower() == ".zip" else str(path)
    if source.lower().endswith(".gpkg"):
        fmt = "gpkg"
    elif source.lower().endswith((".geojson", ".json")):
        fmt = "geojson"
    gdf, layer = _read(source, fmt=fmt, layer=layer)
    offset, given = parse_crs(crs)
    file_crs = CRS.from_user_input(gdf.crs) if gdf.crs is not None else None
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    if offset and file_crs is not None and file_crs.is_projected:
        raise SiteFileError(
            f"文件的坐标系是 {crs_label(file_crs, None)}（投影坐标，单位米），"
            f"不能按{CHINESE_OFFSET_CRS[offset]}换算：投影坐标文件不需要 gcj02/bd09；{ASK_FOR_CRS}"
        )
    source_crs = given or file_crs or WGS84
    if offset or source_crs.is_geographic:
        present = np.array([g is not None for g in geoms], dtype=bool)
        bounds = shapely.bounds(geoms[present]) if present.any() else np.zeros((0, 4))
        if len(bounds) and not looks_geographic(bounds[:, [0, 2]].ravel(), bounds[:, [1, 3]].ravel()):
            # GDAL reads a GeoJSON without a crs member as WGS-84, as RFC 7946 says; metres then
            # give a range error per row unless caught here for the whole file.
            declared = crs if crs else (crs_label(file_crs, None) if file_crs is not None and fmt != "geojson" else None)
            raise not_degrees_error(declared=declared)

    problems = shape_problems(geoms)
    ok = np.array([i not in problems for i in range(len(geoms))], dtype=bool)
    if offset:
        # Range first where the input is lng/lat: a GCJ-02 transform of nonsense is more nonsense.
        for i, (_, message) in geoms_range_problems(geoms[ok]).items():
            problems[int(np.nonzero(ok)[0][i])] = message
        ok = np.array([i not in problems for i in range(len(geoms))], dtype=bool)
    placed = to_wgs84(geoms[ok], source=source_crs, offset=offset)
    index = np.nonzero(ok)[0]
    for i, (_, message) in geoms_range_problems(placed).items():
        problems[int(index[i])] = message
    keep = np.array([i not in problems for i in index], dtype=bool)
    placed, index = placed[keep], index[keep]
    lng, lat, bbox, footprints = place(placed)
    table = clean_table(gdf.drop(columns=gdf.geometry.name)).iloc[index].reset_index(drop=True)
    return SiteFile(
        format=fmt,
        source_crs=crs_label(source_crs, offset),
        row_label="要素",
        total=len(gdf),
        layer=layer,
        row_numbers=index.astype(np.int64) + 1,
        lng=lng,
        lat=lat,
        bbox=bbox,
        footprints=footprints,
        table=table,
        problems=[RowProblem(row + 1, GEOMETRY_LABEL, problems[row]) for row in sorted(problems)],
        area_of_use=area_of_use(source_crs, offset),
    )
