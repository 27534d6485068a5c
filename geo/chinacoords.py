"""WGS-84 ↔ GCJ-02 ↔ BD-09 conversions.

GCJ-02 (used by AMap, Tencent) is WGS-84 with a deliberate non-linear offset of
a few hundred metres applied inside China; BD-09 (Baidu) is a further
transform of GCJ-02. The app stores WGS-84 only; this module is for the edges:
importing data captured in a Chinese map app, drawing on a GCJ-02 tile layer,
and handing a destination to a navigation app.

**Argument order here is (lng, lat)** — GeoJSON order — unlike the rest of the
Python code, because every public implementation of these transforms uses it,
and keeping that order makes comparing with them (and with their test vectors)
a straight read-across. Every function takes and returns ``(lng, lat)``.

The forward GCJ-02 formula is the widely published one (Krasovsky 1940
ellipsoid). Neither transform has an exact closed-form inverse, so the
inverses iterate the forward transform until it reproduces the input.
"""

from __future__ import annotations

import math
from collections.abc import Callable

LngLat = tuple[float, float]
SUPPORTED_CRS = ("wgs84", "gcj02", "bd09")

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula.
_A = 6378245.0
_EE = 0.00669342162296594323
# BD-09's rotation/scale constant.
_X_PI = math.pi * 3000.0 / 180.0

# Iterative inverse: stop when the forward transform of the estimate is within
# this many degrees of the target (~0.1 mm), or after a bounded number of steps.
_INVERSE_TOLERANCE_DEG = 1e-9
_INVERSE_MAX_ITER = 30


def out_of_china(lng: float, lat: float) -> bool:
    """True where GCJ-02 applies no offset.

    The public formula uses this rough rectangle rather than the real border,
    so we must use the same rectangle to agree with AMap/Baidu data.
    """
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj02_delta(lng: float, lat: float) -> LngLat:
    """Offset (dlng, dlat) in degrees that GCJ-02 adds at a WGS-84 point."""
    # The formula is defined relative to (105°E, 35°N).
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    rad_lat = math.radians(lat)
    magic = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return dlng, dlat


def wgs84_to_gcj02(lng: float, lat: float) -> LngLat:
    if out_of_china(lng, lat):
        return lng, lat
    dlng, dlat = _gcj02_delta(lng, lat)
    return lng + dlng, lat + dlat


def _invert(
    forward: Callable[[float, float], LngLat], lng: float, lat: float, *, start: LngLat
) -> LngLat:
    """Solve ``forward(x) == (lng, lat)`` by fixed-point iteration.

    Both transforms are the identity plus an offset that varies slowly across
    space (its derivative is at most ~0.02), so subtracting the forward error
    from the estimate shrinks the error by that factor each step: a few
    iterations reach the tolerance.
    """
    est_lng, est_lat = start
    for _ in range(_INVERSE_MAX_ITER):
        fwd_lng, fwd_lat = forward(est_lng, est_lat)
        err_lng, err_lat = fwd_lng - lng, fwd_lat - lat
        if abs(err_lng) < _INVERSE_TOLERANCE_DEG and abs(err_lat) < _INVERSE_TOLERANCE_DEG:
            break
        est_lng -= err_lng
        est_lat -= err_lat
    return est_lng, est_lat


def gcj02_to_wgs84(lng: float, lat: float) -> LngLat:
    """Inverse of :func:`wgs84_to_gcj02`, by iteration.

    The common one-step approximation (subtract the offset computed at the
    GCJ-02 point) leaves errors of 1–2 m; iterating converges to well under a
    millimetre.
    """
    if out_of_china(lng, lat):
        return lng, lat
    return _invert(wgs84_to_gcj02, lng, lat, start=(lng, lat))


def gcj02_to_bd09(lng: float, lat: float) -> LngLat:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def _bd09_to_gcj02_approx(lng: float, lat: float) -> LngLat:
    # The published closed-form inverse: it drops second-order terms and is
    # off by up to ~5e-7 degrees (a few cm), too coarse to round-trip data.
    x = lng - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lng: float, lat: float) -> LngLat:
    """Inverse of :func:`gcj02_to_bd09`: closed-form start, then iterate."""
    return _invert(gcj02_to_bd09, lng, lat, start=_bd09_to_gcj02_approx(lng, lat))


def wgs84_to_bd09(lng: float, lat: float) -> LngLat:
    return gcj02_to_bd09(*wgs84_to_gcj02(lng, lat))


def bd09_to_wgs84(lng: float, lat: float) -> LngLat:
    return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))


def to_wgs84(lng: float, lat: float, *, crs: str) -> LngLat:
    """Convert (lng, lat) in a named Chinese map CRS to WGS-84.

    For importers, where the CRS arrives as a form or file setting; an unknown
    name must fail loudly rather than import points hundreds of metres off.
    """
    if crs == "wgs84":
        return lng, lat
    if crs == "gcj02":
        return gcj02_to_wgs84(lng, lat)
    if crs == "bd09":
        return bd09_to_wgs84(lng, lat)
    raise ValueError(f"unknown crs {crs!r}; expected one of {', '.join(SUPPORTED_CRS)}")
