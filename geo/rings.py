"""Polygon ring order: RFC 7946 wants exterior rings counter-clockwise, holes clockwise.

Shapefiles store exterior rings clockwise and GDAL passes them on as they are, so
footprints read from them would be stored and served clockwise without this.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import mapping, shape


def orient_ccw(geoms):
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 §3.1.6); other geometries unchanged."""
    return shapely.orient_polygons(geoms, exterior_cw=False)


def lists(value):
    """shapely's mapping() gives nested tuples; JSON columns and comparisons want lists."""
    if isinstance(value, tuple | list):
        return [lists(v) for v in value]
    return value


def ccw_geojson(geometry: dict | None) -> dict | None:
    """A GeoJSON Polygon/MultiPolygon with RFC 7946 ring order; anything else as it is."""
    if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return geometry
    data = mapping(orient_ccw(shape(geometry)))
    return {"type": data["type"], "coordinates": lists(data["coordinates"])}


def is_ccw_geojson(geometry: dict) -> bool:
    """True when every exterior ring is counter-clockwise and every hole clockwise."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for rings in polygons:
        for k, ring in enumerate(rings):
            if shapely.is_ccw(shapely.linearrings(np.asarray(ring, dtype=float))) != (k == 0):
                return False
    return True
