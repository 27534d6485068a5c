"""Coordinate systems for site files: parsing ``crs=``, whole-file transforms, where points land."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geo.chinacoords import bd09_to_wgs84, gcj02_to_wgs84

from .base import SiteFileError

CHINESE_OFFSET_CRS = {"gcj02": "GCJ-02（高德/腾讯坐标）", "bd09": "BD-09（百度坐标）"}
CRS_ALIASES = {"wgs84": "EPSG:4326", "wgs-84": "EPSG:4326", "cgcs2000": "EPSG:4490"}
WGS84 = CRS.from_epsg(4326)
# GCJ-02/BD-09 exist only in China; the rectangle the public formulas use (geo.chinacoords).
CHINA_BOUNDS = (73.66, 3.86, 135.05, 53.55)
# A projected zone is used a little past its published area (a town on a zone's edge
# keeps its zone); 1° is ~100 km, still far short of what a wrong CRS or swapped axes do.
AREA_MARGIN_DEG = 1.0
ASK_FOR_CRS = "请用 --crs 指定坐标系（例如 EPSG:4549；网页上传时填写“坐标系”）"


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


def crs_label(crs: CRS, offset: str | None) -> str:
    if offset:
        return CHINESE_OFFSET_CRS[offset]
    epsg = crs.to_epsg(min_confidence=70)
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


def area_of_use(crs: CRS, offset: str | None) -> tuple[str, tuple[float, float, float, float]] | None:
    """(name, (west, south, east, north)) where the CRS is meant to be used; None when it is the world."""
    if offset:
        return "中国", CHINA_BOUNDS
    area = crs.area_of_use
    if area is None:
        return None
    bounds = (area.west, area.south, area.east, area.north)
    if bounds[0] <= -179 and bounds[2] >= 179 and bounds[1] <= -89 and bounds[3] >= 89:
        return None
    return area.name, bounds


def looks_geographic(xs: np.ndarray, ys: np.ndarray) -> bool:
    """Most values within lng/lat ranges: a few out of range are bad rows (swapped, typos), not metres."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return True
    inside = (np.abs(xs[finite]) <= 180) & (np.abs(ys[finite]) <= 90)
    return bool(inside.mean() >= 0.5)


def not_degrees_error(*, declared: str | None) -> SiteFileError:
    """One message for a whole file of metres read as degrees, instead of a range error per row."""
    why = f"而指定的坐标系 {declared} 是经纬度" if declared else "文件也没有说明坐标系"
    return SiteFileError(f"坐标值不是经纬度（看起来是以米为单位的投影坐标），{why}：{ASK_FOR_CRS}")


def offset_fn(offset: str) -> Callable[[float, float], tuple[float, float]]:
    return gcj02_to_wgs84 if offset == "gcj02" else bd09_to_wgs84


def convert_offset_xy(x: np.ndarray, y: np.ndarray, offset: str) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02/BD-09 → WGS-84 point by point (an iterative inverse: no vectorised form, and it is rare)."""
    convert = offset_fn(offset)
    out_x, out_y = np.array(x, dtype=float), np.array(y, dtype=float)
    for i in range(len(out_x)):
        if in_range(out_x[i : i + 1], out_y[i : i + 1])[0]:
            out_x[i], out_y[i] = convert(float(out_x[i]), float(out_y[i]))
    return out_x, out_y


def to_wgs84(geoms: np.ndarray, *, source: CRS, offset: str | None) -> np.ndarray:
    """Every vertex of every geometry to WGS-84 in one pyproj call (or one offset pass)."""
    if offset is None and source.equals(WGS84, ignore_axis_order=True):
        return geoms
    present = np.array([g is not None for g in geoms], dtype=bool)
    if not present.any():
        return geoms
    coords = shapely.get_coordinates(geoms[present])
    if offset:
        x, y = convert_offset_xy(coords[:, 0], coords[:, 1], offset)
    else:
        transformer = Transformer.from_crs(source, WGS84, always_xy=True)
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
    out = geoms.copy()
    out[present] = shapely.set_coordinates(geoms[present].copy(), np.column_stack([x, y]))
    return out


def transform_xy(x: np.ndarray, y: np.ndarray, *, source: CRS, offset: str | None) -> tuple[np.ndarray, np.ndarray]:
    if offset:
        return convert_offset_xy(x, y, offset)
    if source.equals(WGS84, ignore_axis_order=True):
        return x, y
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)
    out_x, out_y = transformer.transform(x, y)
    return np.asarray(out_x, dtype=float), np.asarray(out_y, dtype=float)


def in_range(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)


def range_problem(lng: float, lat: float) -> tuple[str, str]:
    """``(axis, message)`` for a position outside the lng/lat ranges; axis is "lng" or "lat"."""
    if not (math.isfinite(lng) and math.isfinite(lat)):
        return "lat", "坐标不是有效数字"
    if not -90 <= lat <= 90:
        hint = "（经纬度是否填反？）" if -90 <= lng <= 90 and -180 <= lat <= 180 else ""
        return "lat", f"纬度 {lat:g} 超出 -90 到 90 的范围{hint}"
    return "lng", f"经度 {lng:g} 超出 -180 到 180 的范围"


def geoms_range_problems(geoms: np.ndarray) -> dict[int, tuple[str, str]]:
    """Index → (axis, message) for geometries with a vertex outside the lng/lat ranges."""
    if len(geoms) == 0:
        return {}
    bounds = shapely.bounds(geoms)
    ok = in_range(bounds[:, 0], bounds[:, 1]) & in_range(bounds[:, 2], bounds[:, 3])
    out = {}
    for i in np.nonzero(~ok)[0]:
        lo = in_range(bounds[i : i + 1, 0], bounds[i : i + 1, 1])[0]
        lng, lat = (bounds[i, 2], bounds[i, 3]) if lo else (bounds[i, 0], bounds[i, 1])
        out[int(i)] = range_problem(float(lng), float(lat))
    return out


def outside_area(lng: np.ndarray, lat: np.ndarray, area: tuple[float, float, float, float]) -> np.ndarray:
    west, south, east, north = area
    m = AREA_MARGIN_DEG
    return ~((lng >= west - m) & (lng <= east + m) & (lat >= south - m) & (lat <= north + m))


def distances_km(lng: np.ndarray, lat: np.ndarray, area) -> np.ndarray:
    """Kilometres from each point to a shapely (Multi)Polygon in lng/lat (0 inside).

    A local equirectangular projection around the area: within a few per cent over
    hundreds of km, which is all "is this point near the town?" needs.
    """
    centre = area.centroid
    k_lng = 111.320 * math.cos(math.radians(centre.y))
    k_lat = 110.574

    def local(coords: np.ndarray) -> np.ndarray:
        return np.column_stack([(coords[:, 0] - centre.x) * k_lng, (coords[:, 1] - centre.y) * k_lat])

    area_km = shapely.transform(area, local)
    points = shapely.points(local(np.column_stack([lng, lat])))
    return shapely.distance(area_km, points)


def fmt_lnglat(lng: float, lat: float) -> str:
    ew, ns = ("E" if lng >= 0 else "W"), ("N" if lat >= 0 else "S")
    return f"{abs(lng):.2f}°{ew} {abs(lat):.2f}°{ns}"


def fmt_bounds(bounds: tuple[float, float, float, float]) -> str:
    west, south, east, north = bounds
    return f"经度 {west:g}°–{east:g}°，纬度 {south:g}°–{north:g}°"

