"""The app's URLs plus a minimal django-ninja endpoint running the same site query.

The minimal endpoint is the yardstick of issue #4: plain parameters, the
SQL our selector generates (captured from its queryset, so it is the same
query by construction), select + count every time, GeoJSON out, nothing else.
"""

import re

from django.db import connection
from django.urls import path
from ninja import NinjaAPI

from backend.urls import urlpatterns as app_urlpatterns
from geo.bbox import BBox

# Values no real request uses, to find where each parameter sits in the captured SQL.
SENTINELS = {"min_lng": 179.125, "min_lat": 89.125, "max_lng": 179.375, "max_lat": 89.375, "area_min": 987654.5}
TYPE_SENTINEL, STATUS_SENTINEL = "__type__", "__status__"


def site_sql() -> tuple[str, list, str, list]:
    """(select_sql, select_params, count_sql, count_params) with sentinels, from our selector's queryset."""
    from backend.sites.filters import SiteArea, SiteFilters
    from backend.sites.models import Site
    from backend.sites.selectors import page_queryset

    filters = SiteFilters(types=(TYPE_SENTINEL,), statuses=(STATUS_SENTINEL,), area_min=SENTINELS["area_min"])
    box = BBox(SENTINELS["min_lng"], SENTINELS["min_lat"], SENTINELS["max_lng"], SENTINELS["max_lat"])
    qs = SiteArea(bbox=box).apply(filters.apply(Site.objects.all()))
    select_sql, select_params = page_queryset(qs, sort="id", near=None, limit=200, offset=0).query.sql_with_params()
    id_sql, count_params = qs.values_list("id").query.sql_with_params()
    # What Django's .count() sends: the same FROM/WHERE under COUNT(*).
    count_sql = re.sub(r"^SELECT .*? FROM ", "SELECT COUNT(*) FROM ", id_sql, count=1)
    assert count_sql != id_sql and "JOIN" not in count_sql, id_sql
    return select_sql, list(select_params), count_sql, list(count_params)


def bind(params: list, *, box: BBox, type_: str, status: str, area_min: float) -> list:
    actual = {
        SENTINELS["min_lng"]: box.min_lng,
        SENTINELS["min_lat"]: box.min_lat,
        SENTINELS["max_lng"]: box.max_lng,
        SENTINELS["max_lat"]: box.max_lat,
        SENTINELS["area_min"]: area_min,
        TYPE_SENTINEL: type_,
        STATUS_SENTINEL: status,
    }
    return [actual.get(p, p) for p in params]


minimal = NinjaAPI(title="minimal", urls_namespace="bench_minimal", docs_url=None, auth=None)
_SQL: tuple | None = None


@minimal.get("/sites")
def sites(request, bbox: str, type: str, status: str, area_min: float):
    global _SQL
    if _SQL is None:
        _SQL = site_sql()
    select_sql, select_params, count_sql, count_params = _SQL
    box = BBox.parse(bbox)
    with connection.cursor() as cursor:
        cursor.execute(select_sql, bind(select_params, box=box, type_=type, status=status, area_min=area_min))
        rows = cursor.fetchall()
        cursor.execute(count_sql, bind(count_params, box=box, type_=type, status=status, area_min=area_min))
        total = cursor.fetchone()[0]
    # The same list envelope as ours (backend/kernel/paging.py), so the payloads compare.
    return {
        "count": total,
        "limit": 200,
        "offset": 0,
        "items": [
            {
                "type": "Feature",
                "id": r[0],
                "geometry": {"type": "Point", "coordinates": [r[4], r[5]]},
                "properties": {"id": r[0], "name": r[1], "type": r[2], "status": r[3], "area_m2": r[6], "rent_per_m2_day": r[7], "owner_name": r[11]},
            }
            for r in rows
        ],
    }


@minimal.get("/ok")
def ok(request):
    return {"ok": True}


urlpatterns = [path("bench/", minimal.urls), *app_urlpatterns]
