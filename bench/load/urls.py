"""Baselines measured in the same run as our endpoints (see ../../../shared/reference/perf-anchors.md):
a trivial endpoint and a minimal idempotent insert into the same visits table."""

import uuid

from django.db import connection
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from backend.urls import urlpatterns as app_urlpatterns

baseline = NinjaAPI(urls_namespace="bench", docs_url=None, openapi_url=None)


class InsertIn(Schema):
    client_id: uuid.UUID
    staff_id: int
    enterprise_id: int


@baseline.get("/trivial")
def trivial(request):
    return {"ok": True}


@baseline.post("/insert")
def insert(request, payload: InsertIn):
    return _insert(payload)


@baseline.post("/insert-auth", auth=django_auth)
def insert_authenticated(request, payload: InsertIn):
    """The same insert behind session auth and CSRF: shows what logging in costs per request."""
    return _insert(payload)


def _insert(payload: InsertIn) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO visits_visit (client_id, staff_id, enterprise_id, checkin_at, checkin_received_at,"
            " checkin_lat, checkin_lng, queued, distance_m, within_geofence, checkin_point_key,"
            " checkin_fingerprint, checkout_point_key, checkout_fingerprint, checkout_flags, purpose,"
            " people_met, summary, flags, rating_comment, unverified_comment)"
            " VALUES (%s, %s, %s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 31.12, 121.42, false, 0, true,"
            " '', '', '', '', '[]', '', '', '', '[]', '', '') ON CONFLICT (client_id) DO NOTHING",
            [payload.client_id.hex if connection.vendor == "sqlite" else payload.client_id, payload.staff_id, payload.enterprise_id],
        )
    return {"client_id": str(payload.client_id)}


urlpatterns = [path("bench/", baseline.urls), *app_urlpatterns]
