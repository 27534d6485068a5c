"""A day's trail: ordered position reports, the legs between them, the distance covered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.distance import distance_m, speed_kmh


@dataclass(frozen=True)
class Leg:
    from_index: int
    to_index: int
    distance_m: float
    seconds: float
    speed_kmh: float


def legs(points: list[tuple[float, float, dt.datetime]]) -> list[Leg]:
    """Legs between consecutive (lat, lng, at) points, which must already be in time order."""
    out = []
    for i in range(1, len(points)):
        (lat1, lng1, t1), (lat2, lng2, t2) = points[i - 1], points[i]
        metres = distance_m(lat1, lng1, lat2, lng2)
        seconds = (t2 - t1).total_seconds()
        out.append(Leg(i - 1, i, round(metres, 1), seconds, round(speed_kmh(metres, seconds), 1)))
    return out
