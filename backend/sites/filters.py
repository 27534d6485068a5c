"""What a site search asks for, as one value: filters, the area looked at, the order.

The same SiteFilters drive the bbox search, the draw-an-area search, the
clusters and saved searches, so "a site matches" means one thing everywhere.
``SiteFilters.matches()`` is the same predicate in Python, for checking a few
new sites against many saved searches without one query per search; a test
holds it equal to the SQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db.models import F, Q, QuerySet, Value

from geo.bbox import BBox

from .models import Site

SORTS = ("id", "distance", "rent", "area", "updated")
# Columns the Python predicate needs, in one place so notify and tests fetch the same.
MATCH_FIELDS = ("id", "lng", "lat", "type", "status", "area_m2", "rent_per_m2_day", "name", "address", "village", "owner_unit__name")


@dataclass(frozen=True, slots=True)
class SiteFilters:
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    area_min: float | None = None
    area_max: float | None = None
    rent_max: float | None = None
    q: str = ""

    def key(self) -> tuple:
        """Hashable and order-insensitive, for cache keys."""
        return (
            tuple(sorted(self.types)),
            tuple(sorted(self.statuses)),
            self.area_min,
            self.area_max,
            self.rent_max,
            self.q,
        )

    def apply(self, qs: QuerySet[Site]) -> QuerySet[Site]:
        if self.types:
            qs = qs.filter(type=self.types[0]) if len(self.types) == 1 else qs.filter(type__in=self.types)
        if self.statuses:
            qs = qs.filter(status=self.statuses[0]) if len(self.statuses) == 1 else qs.filter(status__in=self.statuses)
        # A site without an area (or rent) never matches a bound on it: "面议" is not "≤ 1.5".
        if self.area_min is not None:
            qs = qs.filter(area_m2__gte=self.area_min)
        if self.area_max is not None:
            qs = qs.filter(area_m2__lte=self.area_max)
        if self.rent_max is not None:
            qs = qs.filter(rent_per_m2_day__lte=self.rent_max)
        if self.q:
            qs = qs.filter(
                Q(name__icontains=self.q)
                | Q(address__icontains=self.q)
                | Q(village__icontains=self.q)
                | Q(owner_unit__name__icontains=self.q)
            )
        return qs

    def matches(self, row: dict[str, Any]) -> bool:
        """The SQL of apply() in Python, for a row with MATCH_FIELDS."""
        if self.types and row["type"] not in self.types:
            return False
        if self.statuses and row["status"] not in self.statuses:
            return False
        area, rent = row["area_m2"], row["rent_per_m2_day"]
        if self.area_min is not None and (area is None or area < self.area_min):
            return False
        if self.area_max is not None and (area is None or area > self.area_max):
            return False
        if self.rent_max is not None and (rent is None or rent > self.rent_max):
            return False
        if self.q:
            needle = self.q.upper()  # PostgreSQL's icontains is UPPER() LIKE UPPER()
            texts = (row["name"], row["address"], row["village"], row["owner_unit__name"])
            if not any(needle in (text or "").upper() for text in texts):
                return False
        return True


@dataclass(frozen=True, slots=True)
class SiteArea:
    """Where to look: a bbox (the map view) or a drawn polygon (prefiltered by its bbox)."""

    bbox: BBox | None = None
    polygon: Any = None  # shapely Polygon/MultiPolygon in WGS-84
    _prepared: Any = field(default=None, compare=False)

    @classmethod
    def of_polygon(cls, polygon) -> SiteArea:
        min_lng, min_lat, max_lng, max_lat = polygon.bounds
        shapely.prepare(polygon)
        return cls(bbox=BBox(min_lng, min_lat, max_lng, max_lat), polygon=polygon)

    def apply(self, qs: QuerySet[Site]) -> QuerySet[Site]:
        if self.bbox is None:
            return qs
        # The point decides: a marker is drawn at the point, so a site "is in the
        # view" when its point is. Edges count as inside, on both databases.
        b = self.bbox
        return qs.filter(lng__gte=b.min_lng, lng__lte=b.max_lng, lat__gte=b.min_lat, lat__lte=b.max_lat)

    def contains(self, lng: float, lat: float) -> bool:
        if self.polygon is not None:
            return bool(shapely.intersects_xy(self.polygon, lng, lat))  # boundary included
        return self.bbox is None or self.bbox.contains(lat, lng)


def _lng_weight(lat: float) -> float:
    """(metres per degree of longitude / metres per degree of latitude)² at ``lat`` on WGS-84.

    The ellipsoid's radii, not the sphere's cos(lat): with the sphere, ranking
    was off by ~0.3 % of the distance (2 m at 1 km) against the geodesic.
    """
    a, e2 = 6378137.0, 0.00669437999014
    phi = math.radians(lat)
    w = 1.0 - e2 * math.sin(phi) ** 2
    meridional = a * (1.0 - e2) / w**1.5
    prime_vertical = a / math.sqrt(w)
    return (prime_vertical * math.cos(phi) / meridional) ** 2


def distance_order(*, lat: float, lng: float):
    """An SQL expression that orders by distance from (lat, lng) on both databases.

    Squared local-plane distance with the ellipsoid's scales at (lat, lng):
    plain arithmetic, no trigonometry in SQL (SQLite has none without an
    extension). Over a town or city the ranking is that of the geodesic
    distance except for near-ties; the distance shown is the geodesic one,
    computed afterwards for the page.
    """
    k = _lng_weight(lat)
    # Products, not POWER(): SQLite's POWER is a Python callback Django registers, per row.
    dlng, dlat = F("lng") - Value(lng), F("lat") - Value(lat)
    return dlng * dlng * Value(k) + dlat * dlat


def order_by(qs: QuerySet[Site], *, sort: str, near: tuple[float, float] | None) -> QuerySet[Site]:
    if sort == "distance":
        assert near is not None
        return qs.alias(d2=distance_order(lat=near[0], lng=near[1])).order_by("d2", "id")
    if sort == "rent":
        return qs.order_by(F("rent_per_m2_day").asc(nulls_last=True), "id")
    if sort == "area":
        return qs.order_by(F("area_m2").asc(nulls_last=True), "id")
    if sort == "updated":
        return qs.order_by("-updated_at", "-id")
    return qs.order_by("id")


def python_sort_key(sort: str, near: tuple[float, float] | None):
    """The order of order_by() for rows already in memory (draw-an-area search)."""
    if sort == "distance":
        lat0, lng0 = near
        k = _lng_weight(lat0)
        return lambda r: ((r["lng"] - lng0) ** 2 * k + (r["lat"] - lat0) ** 2, r["id"])
    if sort == "rent":
        return lambda r: (r["rent_per_m2_day"] is None, r["rent_per_m2_day"] or 0.0, r["id"])
    if sort == "area":
        return lambda r: (r["area_m2"] is None, r["area_m2"] or 0.0, r["id"])
    if sort == "updated":
        return lambda r: (-r["updated_at"].timestamp(), -r["id"])
    return lambda r: r["id"]


def search_from_params(params: dict[str, Any]) -> tuple[SiteArea, SiteFilters]:
    """A saved search's stored parameters (validated when saved) as area and filters."""
    from shapely.geometry import shape

    filters = SiteFilters(
        types=tuple(params.get("types") or ()),
        statuses=tuple(params.get("statuses") or ()),
        area_min=params.get("area_min"),
        area_max=params.get("area_max"),
        rent_max=params.get("rent_max"),
        q=params.get("q") or "",
    )
    if params.get("polygon"):
        return SiteArea.of_polygon(shape(params["polygon"])), filters
    if params.get("bbox"):
        return SiteArea(bbox=BBox(*params["bbox"])), filters
    return SiteArea(), filters
