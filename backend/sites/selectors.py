"""Reads for sites: search by bbox or drawn area, clusters, detail, owners' listings,
inquiries and saved searches.

Speed (see docs/sites.md and bench/sites_search.py): a town viewport is one
indexed range query. Counting thousands of matches costs 17–60 ms on either
database, so the total is only counted when the page is full, and then cached
in this process under the sites' data version (SiteDataVersion), which every
write bumps: cached numbers are exact, never "about".
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import shapely
from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Func, Max, Min, Q, QuerySet
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.errors import NotFound
from geo.bbox import BBox
from geo.distance import distances_m
from geo.rings import ccw_geojson

from .filters import SiteArea, SiteFilters, order_by, python_sort_key
from .models import CONFIRM_AFTER_DAYS, STATUSES_TO_CONFIRM, Inquiry, SavedSearch, Site, SiteDataVersion
from .navigation import navigation_links

TYPE_LABELS = dict(Site.Type.choices)
STATUS_LABELS = dict(Site.Status.choices)
RENT_UNIT_LABELS = dict(Site.RentUnit.choices)

# Columns of a search result, fetched as tuples (no model instances: 200 of
# them per request would cost more than the query).
LIST_FIELDS = (
    "id",
    "name",
    "type",
    "status",
    "lng",
    "lat",
    "area_m2",
    "rent_per_m2_day",
    "village",
    "last_confirmed",
    "owner_unit__name",
)

# Clusters: a grid of CLUSTER_CELL_PX-pixel cells (at the equator's scale) for
# the zoom. Up to CLUSTER_CACHE_MAX_ZOOM the grid is computed once for all
# matching sites and cached (a city view then costs a dictionary lookup; a
# city at zoom 11 is under a thousand cells); closer in, it is computed for
# the view alone, which the covering index answers in a few milliseconds.
CLUSTER_CELL_PX = 60
CLUSTER_CACHE_MAX_ZOOM = 11


def cell_deg(zoom: int) -> float:
    return CLUSTER_CELL_PX * 360.0 / (256 * 2**zoom)


# --- per-process caches keyed by the data version -----------------------------


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        value = compute()  # outside the lock: a slow count must not block other threads
        with self.lock:
            self.data[key] = value
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


_counts = _LRU(2048)
_clusters = _LRU(64)
_extents = _LRU(8)
_pages = _LRU(128)  # city-wide first pages: ~200 features each


def data_version() -> int:
    value = SiteDataVersion.objects.filter(id=1).values_list("value", flat=True).first()
    if value is None:  # a database flushed by a test, or made without migrations' data step
        SiteDataVersion.objects.get_or_create(id=1)
        return 0
    return value


def clear_caches() -> None:
    """For tests and benchmarks; production relies on the version instead."""
    for cache in (_counts, _clusters, _extents, _pages):
        cache.clear()


def _extent(version: int) -> BBox | None:
    def compute():
        agg = Site.objects.aggregate(a=Min("lng"), b=Min("lat"), c=Max("lng"), d=Max("lat"))
        return None if agg["a"] is None else BBox(agg["a"], agg["b"], agg["c"], agg["d"])

    return _extents.get_or_compute(version, compute)


def _covers(outer: BBox, inner: BBox) -> bool:
    return (
        outer.min_lng <= inner.min_lng
        and outer.min_lat <= inner.min_lat
        and outer.max_lng >= inner.max_lng
        and outer.max_lat >= inner.max_lat
    )


def _count(*, area: SiteArea, filters: SiteFilters) -> int:
    version = data_version()
    bbox = area.bbox
    if bbox is not None:
        extent = _extent(version)
        # A view that holds every site counts like no view at all: panning a
        # city-wide map then reuses one cached number instead of recounting.
        if extent is None or _covers(bbox, extent):
            bbox = None
    key = (version, filters.key(), bbox)
    return _counts.get_or_compute(key, lambda: SiteArea(bbox=bbox).apply(filters.apply(Site.objects.all())).count())


# --- masking ------------------------------------------------------------------
# Before a reveal nothing derived from the phone number leaves the server: the
# masked form 181****3596 told which sites share a number, so one reveal per
# distinct number harvested a town's 37 phones in minutes (issue 11, item 6).
# What is left is whether there is a number to reveal and the contact's surname.


def contact_surname(name: str | None) -> str:
    """The contact's surname (first character): 胡春倩 → 胡; nothing of the name's length."""
    name = (name or "").strip()
    return name[:1]


# --- search -------------------------------------------------------------------


def _awaiting(confirmed, status, today) -> bool:
    if status not in STATUSES_TO_CONFIRM:
        return False
    if confirmed is None:
        return True
    if isinstance(confirmed, str):  # SQLite hands raw SQL dates back as text
        confirmed = dt.date.fromisoformat(confirmed)
    return (today - confirmed).days > CONFIRM_AFTER_DAYS


def _features(rows: list[tuple], near: tuple[float, float] | None) -> list[dict]:
    today = timezone.localdate()
    distances = None
    if near is not None and rows:
        distances = distances_m(near[0], near[1], [r[5] for r in rows], [r[4] for r in rows])
    features = []
    for i, (pk, name, type_, status, lng, lat, area, rent, village, confirmed, owner) in enumerate(rows):
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "id": pk,
                    "name": name,
                    "type": type_,
                    "type_label": TYPE_LABELS.get(type_, type_),
                    "status": status,
                    "status_label": STATUS_LABELS.get(status, status),
                    "area_m2": None if area is None else round(area, 1),
                    "rent_per_m2_day": None if rent is None else round(rent, 2),
                    "village": village,
                    "owner_name": owner,
                    "awaiting_confirmation": _awaiting(confirmed, status, today),
                    "distance_m": None if distances is None else round(float(distances[i]), 1),
                },
            }
        )
    return features


def site_search(
    *,
    area: SiteArea,
    filters: SiteFilters,
    sort: str = "id",
    near: tuple[float, float] | None = None,
    limit: int = 200,
    offset: int = 0,
    town_total: bool = False,
) -> dict:
    """Matching sites as GeoJSON features plus the total, for a bbox (or none) or a polygon.

    With `town_total`, also the count of the same filters without the view or area: a map showing
    "地图范围内 1 处" must also say that 55 match town-wide (issue 12). It is the
    cached count of the whole table under the data version, so panning costs nothing.
    """
    result = _search(area=area, filters=filters, sort=sort, near=near, limit=limit, offset=offset)
    if town_total:
        whole = area.bbox is None and area.polygon is None
        result = {**result, "town_total": result["total"] if whole else _count(area=SiteArea(), filters=filters)}
    return result


def _search(*, area, filters, sort, near, limit, offset) -> dict:
    if area.polygon is not None:
        return _search_polygon(area=area, filters=filters, sort=sort, near=near, limit=limit, offset=offset)
    if sort != "distance" and _is_wide(area.bbox):
        # A city-wide view: the same page for everyone until the data changes.
        version = data_version()
        if _whole(area.bbox, version):
            key = (version, filters.key(), sort, limit, offset)
            return _pages.get_or_compute(key, lambda: _page(area, filters, sort, near, limit, offset))
    return _page(area, filters, sort, near, limit, offset)


def page_queryset(qs: QuerySet[Site], *, sort: str, near, limit: int, offset: int) -> QuerySet:
    """One page of matches as LIST_FIELDS tuples, in one SQL statement.

    The page's ids come from a subquery the covering index answers alone;
    only those ≤ limit rows are then read from the table (and joined to their
    owner unit), instead of every match being read to be sorted: a city-wide
    page went from 29 ms to 4 ms on SQLite with 100,000 sites.
    """
    ids = order_by(qs, sort=sort, near=near).values("id")[offset : offset + limit]
    return order_by(Site.objects.filter(id__in=ids), sort=sort, near=near).values_list(*LIST_FIELDS)


# --- compiled page SQL ---------------------------------------------------------
# Building the page query through the ORM costs ~0.65 ms a request, four times
# what SQLite takes to run it for a town view. The SQL depends only on the
# query's shape (which filters, how many types, the sort, limit/offset), so it
# is compiled once per shape with sentinel values and then bound to each
# request's values. Sentinels cannot collide with real values: floats are
# validated to ≤ 10^7 (and bboxes to ±180°), types and statuses to their choices.
# Text search (q) and distance sorts, whose parameters are derived, use the ORM.

_F = 1.0e300


class _Box(tuple):
    min_lng = property(lambda s: s[0])
    min_lat = property(lambda s: s[1])
    max_lng = property(lambda s: s[2])
    max_lat = property(lambda s: s[3])


_compiled = _LRU(256)


def _shape(area: SiteArea, filters: SiteFilters, sort: str, limit: int, offset: int) -> tuple:
    return (
        len(filters.types),
        len(filters.statuses),
        filters.area_min is not None,
        filters.area_max is not None,
        filters.rent_max is not None,
        area.bbox is not None,
        sort,
        limit,
        offset,
    )


def _compile(shape: tuple) -> tuple[str, list] | None:
    n_types, n_statuses, has_min, has_max, has_rent, has_bbox, sort, limit, offset = shape
    filters = SiteFilters(
        types=tuple(f"\x00type{i}" for i in range(n_types)),
        statuses=tuple(f"\x00status{i}" for i in range(n_statuses)),
        area_min=1.1 * _F if has_min else None,
        area_max=1.2 * _F if has_max else None,
        rent_max=1.3 * _F if has_rent else None,
    )
    box = _Box((2.1 * _F, 2.2 * _F, 2.3 * _F, 2.4 * _F)) if has_bbox else None
    qs = SiteArea(bbox=box).apply(filters.apply(Site.objects.all()))
    sql, params = page_queryset(qs, sort=sort, near=None, limit=limit, offset=offset).query.sql_with_params()
    expected = len(filters.types) + len(filters.statuses) + has_min + has_max + has_rent + 4 * has_bbox
    if len(params) != expected or len(set(map(repr, params))) != expected:
        return None  # an SQL shape this scheme does not understand: stay with the ORM
    return sql, list(params)


def _bind(params: list, area: SiteArea, filters: SiteFilters) -> list:
    values: dict[Any, Any] = {f"\x00type{i}": t for i, t in enumerate(filters.types)}
    values.update({f"\x00status{i}": t for i, t in enumerate(filters.statuses)})
    values.update({1.1 * _F: filters.area_min, 1.2 * _F: filters.area_max, 1.3 * _F: filters.rent_max})
    if area.bbox is not None:
        b = area.bbox
        values.update({2.1 * _F: b.min_lng, 2.2 * _F: b.min_lat, 2.3 * _F: b.max_lng, 2.4 * _F: b.max_lat})
    return [values[p] for p in params]


def _page_rows(area, filters, sort, near, limit, offset) -> list[tuple]:
    def orm() -> list[tuple]:
        qs = area.apply(filters.apply(Site.objects.all()))
        return list(page_queryset(qs, sort=sort, near=near, limit=limit, offset=offset))

    if filters.q or sort == "distance":
        return orm()
    compiled = _compiled.get_or_compute(
        (connection.vendor, _shape(area, filters, sort, limit, offset)),
        lambda: _compile(_shape(area, filters, sort, limit, offset)),
    )
    if compiled is None:
        return orm()
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, _bind(params, area, filters))
        return cursor.fetchall()


def _page(area, filters, sort, near, limit, offset) -> dict:
    rows = _page_rows(area, filters, sort, near, limit, offset)
    if len(rows) < limit and (rows or offset == 0):
        total = offset + len(rows)  # the page was not full: this is all there is, no count needed
    else:
        total = _count(area=area, filters=filters)
    return {"total": total, "features": _features(rows, near)}


WIDE_VIEW_DEG2 = 0.25  # larger views (≈ 25 km × 28 km) may be city-wide: worth a cache lookup


def _is_wide(bbox: BBox | None) -> bool:
    return bbox is None or (bbox.max_lng - bbox.min_lng) * (bbox.max_lat - bbox.min_lat) >= WIDE_VIEW_DEG2


def _whole(bbox: BBox | None, version: int) -> bool:
    if bbox is None:
        return True
    extent = _extent(version)
    return extent is None or _covers(bbox, extent)


def _search_polygon(*, area, filters, sort, near, limit, offset) -> dict:
    # The polygon's bbox selects candidates by index; shapely decides exactly.
    fields = ["id", "lng", "lat"] + {"rent": ["rent_per_m2_day"], "area": ["area_m2"], "updated": ["updated_at"]}.get(
        sort, []
    )
    candidates = list(area.apply(filters.apply(Site.objects.all())).values(*fields))
    if candidates:
        lngs = np.fromiter((c["lng"] for c in candidates), dtype=float, count=len(candidates))
        lats = np.fromiter((c["lat"] for c in candidates), dtype=float, count=len(candidates))
        inside = shapely.intersects_xy(area.polygon, lngs, lats)
        candidates = [c for c, ok in zip(candidates, inside, strict=True) if ok]
    candidates.sort(key=python_sort_key(sort, near))
    page_ids = [c["id"] for c in candidates[offset : offset + limit]]
    by_id = {row[0]: row for row in Site.objects.filter(id__in=page_ids).values_list(*LIST_FIELDS)}
    rows = [by_id[pk] for pk in page_ids if pk in by_id]
    return {"total": len(candidates), "features": _features(rows, near)}


class _Grid(Func):
    """Grid cell index floor(value / cell) of a non-negative value, on both databases.

    SQLite's FLOOR() exists only when built with math functions (else Django
    registers a per-row Python callback); CAST truncates, which is floor for
    values ≥ 0. PostgreSQL's CAST rounds, so it gets FLOOR().
    """

    output_field = FloatField()

    def __init__(self, expression, cell: float):
        super().__init__(expression, cell=cell)

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template=f"FLOOR(%(expressions)s / {float(self.extra['cell'])!r})")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f"CAST(%(expressions)s / {float(self.extra['cell'])!r} AS INTEGER)"
        )


def _grid(qs: QuerySet[Site], cell: float) -> list[dict]:
    rows = (
        qs.annotate(gx=_Grid(F("lng") + 180.0, cell), gy=_Grid(F("lat") + 90.0, cell))
        .values("gx", "gy")
        .annotate(
            count=Count("id"),
            avg_lng=Avg("lng"),
            avg_lat=Avg("lat"),
            min_lng=Min("lng"),
            min_lat=Min("lat"),
            max_lng=Max("lng"),
            max_lat=Max("lat"),
            site_id=Min("id"),
        )
        .order_by()
    )
    return [
        {
            "lng": round(r["avg_lng"], 6),
            "lat": round(r["avg_lat"], 6),
            "count": r["count"],
            "bbox": [r["min_lng"], r["min_lat"], r["max_lng"], r["max_lat"]],
            "site_id": r["site_id"] if r["count"] == 1 else None,
        }
        for r in rows
    ]


def site_clusters(*, bbox: BBox, zoom: int, filters: SiteFilters) -> dict:
    cell = cell_deg(zoom)
    if zoom <= CLUSTER_CACHE_MAX_ZOOM:
        key = (data_version(), filters.key(), zoom)
        cells = _clusters.get_or_compute(key, lambda: _grid(filters.apply(Site.objects.all()), cell))
    else:
        cells = _grid(SiteArea(bbox=bbox).apply(filters.apply(Site.objects.all())), cell)
    visible = [
        c
        for c in cells
        if c["bbox"][0] <= bbox.max_lng
        and c["bbox"][2] >= bbox.min_lng
        and c["bbox"][1] <= bbox.max_lat
        and c["bbox"][3] >= bbox.min_lat
    ]
    visible.sort(key=lambda c: (-c["count"], c["lng"], c["lat"]))
    return {"zoom": zoom, "cell_deg": cell, "total": sum(c["count"] for c in visible), "clusters": visible}


# --- one site -------------------------------------------------------------------


def can_manage(*, user: User, site: Site) -> bool:
    return access.sites.can_manage_site(user=user, owner_unit_id=site.owner_unit_id)


def photo_urls(site_id: int, photo) -> dict:
    base = f"/api/sites/{site_id}/photos/{photo.id}"
    return {"id": photo.id, "url": base, "thumb_url": base + "?thumb=true", "width": photo.width, "height": photo.height}


def site_detail(*, user: User, site_id: int) -> dict:
    site = Site.objects.select_related("owner_unit").prefetch_related("photos").filter(id=site_id).first()
    if site is None:
        raise NotFound("场地不存在或已下架")
    return site_as_dict(site, user=user)


def site_as_dict(site: Site, *, user: User, full_contact: bool = False) -> dict:
    """Everything about a site; the contact only as a surname unless ``full_contact`` (its own owner's view)."""
    contact_name, contact_mobile = site.contact_name_shown, site.contact_mobile_shown
    return {
        "id": site.id,
        "external_id": site.external_id,
        "name": site.name,
        "type": site.type,
        "type_label": TYPE_LABELS.get(site.type, site.type),
        "status": site.status,
        "status_label": STATUS_LABELS.get(site.status, site.status),
        "address": site.address,
        "village": site.village,
        "lat": site.lat,
        "lng": site.lng,
        "bbox": [site.min_lng, site.min_lat, site.max_lng, site.max_lat],
        "footprint": ccw_geojson(site.footprint),  # RFC 7946, whatever an older import stored
        "area_m2": site.area_m2,
        "building_area_m2": site.building_area_m2,
        "land_area_m2": site.land_area_m2,
        "land_area_mu": None if site.land_area_m2 is None else round(site.land_area_m2 / (10000 / 15), 2),
        "floors": site.floors,
        "floor_height_m": site.floor_height_m,
        "floor_load_kn_m2": site.floor_load_kn_m2,
        "power_kva": site.power_kva,
        "crane": site.crane,
        "fire_rating": site.fire_rating,
        "land_use": site.land_use,
        "property_rights": site.property_rights,
        "rent_value": site.rent_value,
        "rent_unit": site.rent_unit,
        "rent_unit_label": RENT_UNIT_LABELS.get(site.rent_unit, site.rent_unit),
        "rent_per_m2_day": None if site.rent_per_m2_day is None else round(site.rent_per_m2_day, 2),
        "available_from": site.available_from,
        "description": site.description,
        "last_confirmed": site.last_confirmed,
        "awaiting_confirmation": site.awaiting_confirmation(),
        "owner": {"id": site.owner_unit_id, "name": site.owner_unit.name, "kind": site.owner_unit.kind},
        "contact_surname": contact_surname(contact_name),
        "has_contact_phone": bool(contact_mobile),
        "contact_name": contact_name if full_contact else None,
        "contact_phone": contact_mobile if full_contact else None,
        "photos": [photo_urls(site.id, p) for p in site.photos.all()],
        "navigation": navigation_links(lat=site.lat, lng=site.lng, name=site.name),
        "updated_at": site.updated_at,
        "can_manage": can_manage(user=user, site=site),
    }


# --- owners' listings -----------------------------------------------------------


def sites_managed_by(*, user: User, status: str | None = None, awaiting: bool | None = None) -> QuerySet[Site]:
    """The owner's listings (admin: all), least recently confirmed first: those need attention."""
    access.sites.require_listing_manager(user)
    qs = Site.objects.select_related("owner_unit").prefetch_related("photos").filter(access.sites.managed_sites_q(user))
    if status:
        qs = qs.filter(status=status)
    if awaiting is not None:
        cutoff = timezone.localdate() - dt.timedelta(days=CONFIRM_AFTER_DAYS)
        stale = Q(status__in=STATUSES_TO_CONFIRM) & (Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=cutoff))
        qs = qs.filter(stale) if awaiting else qs.exclude(stale)
    return qs.order_by(F("last_confirmed").asc(nulls_first=True), "id")


def site_for_manager(*, user: User, site_id: int, lock: bool = False) -> Site:
    """A site this owner (or admin) may change; another unit's is "not found", not "forbidden"."""
    access.sites.require_listing_manager(user)
    qs = Site.objects.select_related("owner_unit").filter(access.sites.managed_sites_q(user))
    if lock:
        qs = qs.select_for_update(of=("self",))
    site = qs.filter(id=site_id).first()
    if site is None:
        raise NotFound("场地不存在或不属于本单位")
    return site


# --- inquiries ------------------------------------------------------------------


def inquiries_visible_to(*, user: User) -> QuerySet[Inquiry]:
    """Town team and admins: all; an owner: their unit's sites'; anyone else: their own."""
    return Inquiry.objects.select_related("site", "site__owner_unit", "user", "enterprise").filter(access.sites.inquiries_q(user))


def inquiry_list(*, user: User, status: str | None = None, site_id: int | None = None) -> QuerySet[Inquiry]:
    qs = inquiries_visible_to(user=user)
    if status:
        qs = qs.filter(status=status)
    if site_id:
        qs = qs.filter(site_id=site_id)
    return qs.order_by("-created_at", "-id")


def inquiry_get(*, user: User, inquiry_id: int) -> Inquiry:
    inquiry = inquiries_visible_to(user=user).filter(id=inquiry_id).first()
    if inquiry is None:
        raise NotFound("咨询不存在或无权查看")
    return inquiry


def can_answer(*, user: User, inquiry: Inquiry) -> bool:
    return access.sites.can_manage_site(user=user, owner_unit_id=inquiry.site.owner_unit_id)


# --- saved searches -------------------------------------------------------------


def saved_search_list(*, user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-id")
