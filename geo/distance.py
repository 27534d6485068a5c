"""Distances on the WGS-84 ellipsoid.

Everything stored in the app is WGS-84 (what the browser Geolocation API
returns), so distances are measured on that ellipsoid rather than on a sphere:
the geofence is a few hundred metres and a spherical model is off by up to
0.5 %, enough to move a check-in across the fence line.

Argument order is (lat, lng), as in the rest of the Python code; only
GeoJSON and :mod:`geo.chinacoords` use (lng, lat).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

# Geod construction parses the ellipsoid definition; build it once.
_GEOD = Geod(ellps="WGS84")


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Geodesic distance in metres between two WGS-84 points."""
    _, _, dist = _GEOD.inv(lng1, lat1, lng2, lat2)
    return float(dist)


def distances_m(lat: float, lng: float, lats: ArrayLike, lngs: ArrayLike) -> NDArray[np.float64]:
    """Distances in metres from one point to many, in one call.

    Used to sort thousands of enterprises by distance from the phone; a
    Python loop over :func:`distance_m` is ~100x slower.
    """
    lats_arr = np.asarray(lats, dtype=np.float64)
    lngs_arr = np.asarray(lngs, dtype=np.float64)
    if lats_arr.shape != lngs_arr.shape:
        raise ValueError("lats and lngs must have the same shape")
    _, _, dist = _GEOD.inv(
        np.full_like(lngs_arr, lng), np.full_like(lats_arr, lat), lngs_arr, lats_arr
    )
    return np.asarray(dist, dtype=np.float64)


def pairwise_distances_m(
    lats1: ArrayLike, lngs1: ArrayLike, lats2: ArrayLike, lngs2: ArrayLike
) -> NDArray[np.float64]:
    """Distance in metres from each (lats1[i], lngs1[i]) to (lats2[i], lngs2[i]).

    For many check-ins each against its own enterprise (imports, reports).
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in (lats1, lngs1, lats2, lngs2)]
    if len({a.shape for a in arrays}) != 1:
        raise ValueError("all four arrays must have the same shape")
    la1, ln1, la2, ln2 = arrays
    _, _, dist = _GEOD.inv(ln1, la1, ln2, la2)
    return np.asarray(dist, dtype=np.float64)


def path_length_m(points: Sequence[tuple[float, float]]) -> float:
    """Length in metres of a path through (lat, lng) points, in order."""
    if len(points) < 2:
        return 0.0
    lats = [p[0] for p in points]
    lngs = [p[1] for p in points]
    return float(_GEOD.line_length(lngs, lats))


def speed_kmh(distance_m: float, seconds: float) -> float:
    """Average speed in km/h for covering ``distance_m`` in ``seconds``.

    Two check-ins at different places with the same (or reversed) timestamp
    are the clearest case of impossible travel, so they get ``inf`` rather
    than an error: the caller compares against a threshold and flags it.
    Standing still takes no time, so zero distance is 0 km/h whatever the time.
    """
    if distance_m == 0:
        return 0.0
    if seconds <= 0:
        return math.inf
    return distance_m / seconds * 3.6
