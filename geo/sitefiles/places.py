"""Where a file's points land: outside their CRS's area of use, or far from the town."""

from __future__ import annotations

import numpy as np

from .base import SiteFile
from .coords import distances_km, fmt_bounds, fmt_lnglat, outside_area


def far_points(site_file: SiteFile, *, town=None, max_km: float = 30.0) -> dict[int, str]:
    """Position in the file's placed rows → why that point looks misplaced.

    A wrong CRS or swapped easting/northing still gives valid lng/lat — somewhere
    else on Earth (145.67°E 5.17°N for a swapped Gauss–Krüger point near Shanghai),
    so range checks pass and only where the points land tells. ``town`` is a shapely
    (Multi)Polygon in WGS-84, or None when the town's boundary is not known.
    """
    found: dict[int, str] = {}
    lng, lat = np.asarray(site_file.lng, dtype=float), np.asarray(site_file.lat, dtype=float)
    if len(lng) == 0:
        return found
    if site_file.area_of_use is not None:
        name, bounds = site_file.area_of_use
        for i in np.nonzero(outside_area(lng, lat, bounds))[0]:
            found[int(i)] = (
                f"落在 {fmt_lnglat(lng[i], lat[i])}，超出坐标系 {site_file.source_crs} 的适用范围"
                f"（{name}：{fmt_bounds(bounds)}）：坐标系是否选错，或东/北坐标（x/y）填反？"
            )
    if town is not None:
        km = distances_km(lng, lat, town)
        for i in np.nonzero(km > max_km)[0]:
            found.setdefault(
                int(i),
                f"落在 {fmt_lnglat(lng[i], lat[i])}，距镇界 {km[i]:,.0f} 公里（超过 {max_km:g} 公里）：位置或坐标系是否有误？",
            )
    return found
