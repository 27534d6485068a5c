"""Enterprises near the phone, nearest first: the staff home screen."""

from django.db.models import Q

from backend import access
from backend.accounts.models import User
from backend.errors import Invalid
from geo.bbox import BBox
from geo.distance import distances_m

from .models import Enterprise

# Widen the box until it holds enough candidates: dense parks answer from the
# first ring, a farm on the town's edge from a wider one, without a full scan.
RINGS_M = (500, 1_500, 5_000, 15_000, 50_000)


def enterprises_nearby(*, user: User, lat: float | None, lng: float | None, limit: int = 20, q: str = "") -> list[dict]:
    access.enterprises.require_nearby_reader(user)
    base = Enterprise.objects.all()
    q = q.strip()
    if q:
        base = base.filter(Q(name__icontains=q) | Q(name_initials__startswith=q.lower()))
    if lat is None or lng is None:
        return _by_name(base, lat=lat, lng=lng, limit=limit, q=q)
    rows: list[tuple] = []
    for radius in RINGS_M:
        box = BBox.around(lat, lng, radius)
        rows = list(
            base.filter(
                lat__gte=box.min_lat, lat__lte=box.max_lat, lng__gte=box.min_lng, lng__lte=box.max_lng
            ).values_list("id", "name", "address", "lat", "lng", "geofence_m")
        )
        # The box's corners reach past the ring: only rows inside the circle
        # are sure to be nearer than anything outside the box.
        dists = distances_m(lat, lng, [r[3] for r in rows], [r[4] for r in rows])
        if sum(1 for d in dists if d <= radius) >= limit:
            break
    dists = distances_m(lat, lng, [r[3] for r in rows], [r[4] for r in rows])
    ranked = sorted(zip(dists, rows, strict=True), key=lambda pair: (pair[0], pair[1][0]))[:limit]
    return [
        {
            "id": r[0],
            "name": r[1],
            "address": r[2],
            "lat": r[3],
            "lng": r[4],
            "geofence_m": r[5],
            "distance_m": round(float(d), 1),
        }
        for d, r in ranked
    ]


def _by_name(base, *, lat: float | None, lng: float | None, limit: int, q: str) -> list[dict]:
    """Before the first GPS fix (indoors, a slow phone) staff still know whom they came
    to see: a name or 拼音首字母 finds the enterprise, with no distance to sort by."""
    if lat is not None or lng is not None:
        raise Invalid("经纬度须同时给出", field="lng" if lng is None else "lat")
    if not q:
        raise Invalid("尚未定位时请输入企业名称或拼音首字母", field="q")
    # Pending registrations have no position yet: nobody can check in there.
    rows = base.filter(lat__isnull=False, lng__isnull=False).order_by("name_initials", "id")[:limit]
    return [
        {
            "id": e.id,
            "name": e.name,
            "address": e.address,
            "lat": e.lat,
            "lng": e.lng,
            "geofence_m": e.geofence_m,
            "distance_m": None,
        }
        for e in rows.only("id", "name", "address", "lat", "lng", "geofence_m")
    ]
