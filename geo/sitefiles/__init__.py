"""Read idle-site files from the collective-asset platform into placed rows (no Django).

Towns receive their data as whatever the platform exports: GeoJSON, a Shapefile
(zipped, or its .shp next to .shx/.dbf), a GeoPackage, or a spreadsheet (CSV/XLSX)
with coordinate columns. This package turns any of them into the same thing: a
:class:`SiteFile` whose placed rows are parallel columns (WGS-84 point, bbox,
optional footprint, the file's other columns as a table) and a :class:`RowProblem`
for every row it cannot place. Business meaning (types, rents, owner units) is the
importer's job.

Coordinates:

* A file that declares its CRS (``.prj``, GeoPackage SRS, GeoJSON ``crs``) is
  reprojected to WGS-84 with pyproj in one call for all vertices, whatever the CRS —
  projected CGCS2000 Gauss–Krüger zones are common in Chinese asset registers.
* ``crs=`` overrides or supplies it: ``"wgs84"``, ``"cgcs2000"``, anything pyproj
  understands (``"EPSG:4549"``), or ``"gcj02"`` / ``"bd09"``. The last two are not
  real CRSs but deliberate offsets (AMap/Tencent, Baidu) that no file declares —
  points copied out of those apps look like WGS-84 and are 100–700 m off — so they
  are only ever taken from ``crs=`` and are converted with :mod:`geo.chinacoords`.
* Spreadsheets have no CRS: WGS-84 unless ``crs=`` says otherwise. A GeoJSON
  without ``crs`` is WGS-84 by RFC 7946 — metres there stop the whole file with one
  "请用 --crs 指定坐标系", not a range error per row.
* :func:`far_points` tells which placed points land outside the CRS's area of use
  or far from the town: what a wrong CRS or swapped axes look like.

Row numbers are what a person finds in the file: spreadsheet rows count the header
as row 1 (第2行 is the first data line); features count from 1 (第1个要素).
"""

from __future__ import annotations

from pathlib import Path

from .base import (
    GEOMETRY_LABEL,
    RowProblem,
    SiteFile,
    SiteFileError,
    SiteRow,
    as_date,
    norm_header,
    plain,
    row_word,
)
from geo.rings import ccw_geojson

from .coords import parse_crs
from .names import match_truncated
from .places import far_points
from .spatial import read_spatial
from .tables import read_table

SPATIAL_SUFFIXES = {".geojson": "geojson", ".json": "geojson", ".shp": "shapefile", ".gpkg": "gpkg", ".zip": "shapefile"}
TABLE_SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}

__all__ = [
    "GEOMETRY_LABEL",
    "RowProblem",
    "SiteFile",
    "SiteFileError",
    "SiteRow",
    "as_date",
    "ccw_geojson",
    "far_points",
    "match_truncated",
    "norm_header",
    "parse_crs",
    "plain",
    "read_site_file",
    "row_word",
]


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
    if suffix not in TABLE_SUFFIXES and suffix not in SPATIAL_SUFFIXES:
        raise SiteFileError(
            f"不支持的文件类型 {suffix or '（无扩展名）'}：支持 GeoJSON、Shapefile（.shp 或 zip 压缩包）、GeoPackage、CSV、XLSX"
        )
    if not path.exists():
        raise SiteFileError(f"找不到文件：{path}")
    if not path.is_file():
        raise SiteFileError(f"不是文件：{path}")
    try:
        if suffix in TABLE_SUFFIXES:
            return read_table(path, fmt=TABLE_SUFFIXES[suffix], crs=crs, layer=layer)
        return read_spatial(path, fmt=SPATIAL_SUFFIXES[suffix], crs=crs, layer=layer)
    except PermissionError:
        raise SiteFileError(f"没有权限读取文件：{path}") from None
