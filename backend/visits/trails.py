"""A staff member's trail for one day, and who may see it."""

import datetime as dt
import math

from django.utils import timezone

from backend import access
from backend.accounts.models import User
from geo.distance import path_length_m
from geo.trail import legs

from .location_log import location_access_log
from .models import FlagReview, LocationAccess, Visit


def field_staff_visible_to(*, viewer: User, staff_id: int) -> User:
    """The staff member whose data `viewer` asks for, if `viewer` may see it (404 otherwise)."""
    return access.visits.trail_subject(viewer=viewer, staff_id=staff_id)


def day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def trail_get(*, viewer: User, staff_id: int, day: dt.date, ip: str | None) -> dict:
    subject = field_staff_visible_to(viewer=viewer, staff_id=staff_id)
    start, end = day_range(day)
    visits = list(
        Visit.objects.filter(staff_id=subject.id, checkin_at__gte=start, checkin_at__lt=end)
        .select_related("enterprise")
        .order_by("checkin_at", "id")
    )
    reviews: dict[tuple[int, str], FlagReview] = {
        (r.visit_id, r.flag): r for r in FlagReview.objects.filter(visit__in=[v.id for v in visits])
    }
    points = []
    for v in visits:
        points.append(_point(v, "in", v.checkin_lat, v.checkin_lng, v.checkin_at, v.checkin_accuracy_m, v.flags, reviews))
        if v.checkout_at is not None and v.checkout_lat is not None:
            points.append(
                _point(v, "out", v.checkout_lat, v.checkout_lng, v.checkout_at, v.checkout_accuracy_m, v.checkout_flags, reviews)
            )
    points.sort(key=lambda p: (p["at"], p["visit_id"], p["kind"] == "out"))
    ordered = [(p["lat"], p["lng"], p["at"]) for p in points]
    location_access_log(viewer=viewer, subject_ids=[subject.id], what=LocationAccess.What.TRAIL, detail=day.isoformat(), ip=ip)
    return {
        "staff_id": subject.id,
        "staff_name": subject.shown_name,
        "scope": access.staff_scope(viewer).as_dict(),
        "date": day,
        "points": points,
        "distance_km": round(path_length_m([(lat, lng) for lat, lng, _ in ordered]) / 1000, 3),
        "legs": [_leg_out(leg) for leg in legs(ordered)],
    }


def _leg_out(leg) -> dict:
    # geo gives two different places at the same moment an infinite speed (it is
    # flagged); JSON has no infinity, so the trail says null: "no time elapsed".
    return {**leg.__dict__, "speed_kmh": leg.speed_kmh if math.isfinite(leg.speed_kmh) else None}


def _point(visit, kind, lat, lng, at, accuracy_m, flags, reviews) -> dict:
    return {
        "visit_id": visit.id,
        "kind": kind,
        "lat": lat,
        "lng": lng,
        "at": at,
        "accuracy_m": accuracy_m,
        "enterprise_id": visit.enterprise_id,
        "enterprise_name": visit.enterprise.name,
        "distance_m": visit.distance_m if kind == "in" else visit.checkout_distance_m,
        "flags": [
            {
                "flag": flag,
                "status": reviews[(visit.id, flag)].status if (visit.id, flag) in reviews else FlagReview.Status.PENDING,
            }
            for flag in flags
        ],
    }
