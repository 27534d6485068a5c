"""Pure-Python geography for 店小二: no Django here, so it can be tested alone.

Python APIs take (lat, lng); GeoJSON and :mod:`geo.chinacoords` use (lng, lat).
"""

from geo.bbox import BBox
from geo.chinacoords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from geo.distance import distance_m, distances_m, pairwise_distances_m, path_length_m, speed_kmh
from geo.geofence import (
    ACCURACY_CREDIT_CAP_M,
    DEFAULT_GEOFENCE_M,
    POOR_ACCURACY_M,
    within_geofence,
)

__all__ = [
    "ACCURACY_CREDIT_CAP_M",
    "DEFAULT_GEOFENCE_M",
    "POOR_ACCURACY_M",
    "BBox",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "distance_m",
    "distances_m",
    "pairwise_distances_m",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "out_of_china",
    "path_length_m",
    "speed_kmh",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
    "within_geofence",
]
