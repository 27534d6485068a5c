"""Longitude/latitude bounding boxes.

Sites keep a bbox in indexed columns (no GeoDjango), so "what is in the map
view" and "what is near me" become cheap range queries, refined afterwards by
exact geometry or distance. A bbox used as a prefilter may be a little too big
but must never be too small, which is why the metre → degree conversions below
round outwards.

Fields are in GeoJSON/WMS order (min_lng, min_lat, max_lng, max_lat), matching
the ``bbox=`` query parameter; methods that take a point use (lat, lng) like
the rest of the Python code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape

# Smallest radius of curvature on WGS-84 (the meridian at the equator,
# a(1-e²)). Converting metres to degrees with it overestimates the angle
# everywhere, so expanded boxes always enclose the true circle.
_MIN_CURVATURE_RADIUS_M = 6378137.0 * (1.0 - 0.00669437999014)


@dataclass(frozen=True, slots=True)
class BBox:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float

    def __post_init__(self) -> None:
        # Validate on construction so every BBox in the program is usable as
        # a query filter; parse() only has to split the text.
        for value in (self.min_lng, self.min_lat, self.max_lng, self.max_lat):
            if not math.isfinite(value):
                raise ValueError(f"bbox 坐标必须是有限的数字：{value!r}")
        for lat in (self.min_lat, self.max_lat):
            if not -90.0 <= lat <= 90.0:
                raise ValueError(f"bbox 纬度必须在 -90 到 90 之间：{lat}")
        for lng in (self.min_lng, self.max_lng):
            if not -180.0 <= lng <= 180.0:
                raise ValueError(f"bbox 经度必须在 -180 到 180 之间：{lng}")
        if self.min_lng > self.max_lng:
            raise ValueError(f"bbox 最小经度 {self.min_lng} 大于最大经度 {self.max_lng}")
        if self.min_lat > self.max_lat:
            raise ValueError(f"bbox 最小纬度 {self.min_lat} 大于最大纬度 {self.max_lat}")

    @classmethod
    def parse(cls, text: str) -> BBox:
        """Parse ``"minLng,minLat,maxLng,maxLat"`` (a query parameter).

        Messages are in Chinese because they reach the user as API errors.
        """
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 4:
            raise ValueError(f"bbox 需要 4 个数（最小经度,最小纬度,最大经度,最大纬度），收到 {len(parts)} 个")
        values: list[float] = []
        for part in parts:
            try:
                value = float(part)
            except ValueError:
                raise ValueError(f"bbox 含有非数字：{part!r}") from None
            if not math.isfinite(value):
                # float() accepts "nan" and "inf"; neither is a coordinate.
                raise ValueError(f"bbox 含有非数字：{part!r}")
            values.append(value)
        return cls(*values)

    @classmethod
    def around(cls, lat: float, lng: float, radius_m: float) -> BBox:
        """The box enclosing a circle, to prefilter "near me" queries by index."""
        return cls(lng, lat, lng, lat).expand_m(radius_m)

    @classmethod
    def of_geojson(cls, geometry: dict[str, Any]) -> BBox:
        """Bounds of any GeoJSON geometry (Point, Polygon, Multi*, collections)."""
        geom = shape(geometry)
        if geom.is_empty:
            raise ValueError("几何图形为空，无法计算 bbox")
        min_lng, min_lat, max_lng, max_lat = geom.bounds
        return cls(min_lng, min_lat, max_lng, max_lat)

    def contains(self, lat: float, lng: float) -> bool:
        """Edges count as inside, so a point exactly on the boundary is kept."""
        return self.min_lat <= lat <= self.max_lat and self.min_lng <= lng <= self.max_lng

    def center(self) -> tuple[float, float]:
        """Centre as (lat, lng)."""
        return (self.min_lat + self.max_lat) / 2.0, (self.min_lng + self.max_lng) / 2.0

    def expand_m(self, metres: float) -> BBox:
        """Grow the box by at least ``metres`` on every side.

        Latitude is clamped at the poles. A box that would reach a pole or
        cross the antimeridian gets the full longitude range: still enclosing,
        merely a weaker filter (irrelevant for Chinese towns, but never wrong).
        """
        if metres < 0 or not math.isfinite(metres):
            raise ValueError(f"扩展距离必须是非负数：{metres!r}")
        angle = metres / _MIN_CURVATURE_RADIUS_M  # radians, rounded up
        dlat = math.degrees(angle)
        min_lat = max(-90.0, self.min_lat - dlat)
        max_lat = min(90.0, self.max_lat + dlat)

        # A circle of angular radius `angle` centred at latitude φ spans
        # asin(sin(angle)/cos φ) of longitude; the edge farthest from the
        # equator needs the widest margin.
        far_lat = math.radians(max(abs(self.min_lat), abs(self.max_lat)))
        ratio = math.sin(angle) / math.cos(far_lat) if math.cos(far_lat) > 0 else math.inf
        if ratio >= 1.0 or angle >= math.pi / 2:
            return BBox(-180.0, min_lat, 180.0, max_lat)
        dlng = math.degrees(math.asin(ratio))
        min_lng = self.min_lng - dlng
        max_lng = self.max_lng + dlng
        if min_lng < -180.0 or max_lng > 180.0:
            return BBox(-180.0, min_lat, 180.0, max_lat)
        return BBox(min_lng, min_lat, max_lng, max_lat)
