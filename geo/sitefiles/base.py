"""What a read site file is: columns of WGS-84 positions plus a table of the other columns."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

FORMAT_LABELS = {"geojson": "GeoJSON", "shapefile": "Shapefile", "gpkg": "GeoPackage", "csv": "CSV", "xlsx": "Excel"}
COORD_DECIMALS = 7  # ~1 cm: enough for a site, and removes transform noise like 121.42000000000002
# How messages name a spatial file's geometry, which has no header a clerk would know.
GEOMETRY_LABEL = "几何图形"
# The words for "row N": spreadsheets show row numbers (header = 1); GIS tools count features.
ROW_WORDS = {"行": "第{}行", "要素": "第{}个要素"}


def row_word(row_label: str, row: int) -> str:
    """"第5行" or "第5个要素": one word per kind of file, used by every message that names a row."""
    return ROW_WORDS.get(row_label, "第{}行").format(row)


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
    """Placed rows as parallel columns (position i of every array is one row), problems aside.

    ``table`` holds the file's other columns for the placed rows, cleaned (text
    stripped, blanks missing) but not interpreted; ``rows`` gives the same as
    :class:`SiteRow` objects for callers that want one row at a time.
    """

    format: str
    source_crs: str
    row_label: str  # "行" for spreadsheets, "要素" for spatial files: see row_word()
    total: int
    layer: str | None = None
    row_numbers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lng: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lat: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bbox: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))
    footprints: list[dict[str, Any] | None] = field(default_factory=list)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: list[RowProblem] = field(default_factory=list)
    area_of_use: tuple[str, tuple[float, float, float, float]] | None = None  # (name, lng/lat bounds) of the CRS
    geometry_field: str = GEOMETRY_LABEL

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)

    def where(self, row: int) -> str:
        return row_word(self.row_label, row)

    @property
    def rows(self) -> list[SiteRow]:
        records = self.table.to_dict("records")
        return [
            SiteRow(
                row=int(self.row_numbers[i]),
                lng=float(self.lng[i]),
                lat=float(self.lat[i]),
                bbox=tuple(float(v) for v in self.bbox[i]),
                footprint=self.footprints[i],
                properties={str(k): plain(v) for k, v in records[i].items()},
            )
            for i in range(len(self.row_numbers))
        ]


def norm_header(name: Any) -> str:
    text = str(name).strip().lower()
    text = text.replace("（", "(").replace("）", ")").replace("㎡", "m²").replace("平方米", "m²")
    return re.sub(r"\s+", "", text)


def plain(value: Any) -> Any:
    """One cell as a plain Python value: missing → None, numpy scalars → int/float, Timestamps → datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    return value


def clean_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Text stripped and blank text missing, column by column (no per-cell Python loop for text)."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        if series.dtype == object:
            series = series.map(plain)  # mixed cells (XLSX, odd DBF types): one by one
        elif pd.api.types.is_string_dtype(series.dtype):
            series = series.str.strip()
            series = series.mask(series == "")
        out[str(column)] = series
    return pd.DataFrame(out, index=frame.index)


def as_date(value: Any) -> dt.date | None:
    """A cell as a date: Excel dates arrive as datetimes, text as 2026-07-31 / 2026/7/31 / 2026年7月31日."""
    value = plain(value)
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
