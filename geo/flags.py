"""Check-in verification flags (design brief §5).

The browser cannot prove a location is real, so nothing here rejects a
check-in: each flag is a reason for a manager to look. Pure functions over
plain values, so the replay suite in fixtures/checkin_traces can exercise the
rules without a server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.distance import distance_m
from geo.geofence import ACCURACY_CREDIT_CAP_M, POOR_ACCURACY_M, within_geofence

IMPOSSIBLE_SPEED_KMH = 200.0
# Device clocks drift and phones set time from the network; five minutes ahead is
# beyond drift. A clock *behind* the server is what a queued check-in looks like.
CLOCK_SKEW_S = 5 * 60
# A visit in a basement synced at the end of the day is normal; a day later is not.
LATE_SYNC_S = 24 * 3600
SHORT_VISIT_S = 5 * 60
WORK_START = dt.time(7, 30)
WORK_END = dt.time(19, 0)
COORDINATE_DECIMALS = 6

FLAG_LABELS = {
    "outside_geofence": "不在企业签到范围内",
    "poor_accuracy": "定位精度差",
    "impossible_speed": "与上一位置间移动速度不合理",
    "repeated_coordinates": "坐标与其他企业或日期的签到完全相同",
    "clock_skew": "手机时间比服务器快",
    "late_sync": "采集后很久才同步",
    "short_visit": "走访时间过短",
    "off_hours": "非工作时间签到",
}


@dataclass(frozen=True)
class Fix:
    """One position report from the phone."""

    lat: float
    lng: float
    accuracy_m: float | None
    at: dt.datetime  # device time, timezone-aware


def point_key(lat: float, lng: float) -> str:
    """Coordinates rounded to 6 decimals (~0.1 m): real GPS fixes almost never repeat at this precision."""
    return f"{lat:.{COORDINATE_DECIMALS}f},{lng:.{COORDINATE_DECIMALS}f}"


def _credit(accuracy_m: float | None) -> float:
    if accuracy_m is None or not accuracy_m > 0:
        return 0.0
    return min(accuracy_m, ACCURACY_CREDIT_CAP_M)


def leg_speed_kmh(a: Fix, b: Fix) -> float:
    """Speed between two fixes, giving each its (capped) accuracy as benefit of the doubt."""
    metres = max(0.0, distance_m(a.lat, a.lng, b.lat, b.lng) - _credit(a.accuracy_m) - _credit(b.accuracy_m))
    seconds = abs((b.at - a.at).total_seconds())
    if metres == 0:
        return 0.0
    if seconds == 0:
        return float("inf")
    return metres / seconds * 3.6


def checkin_flags(
    *,
    fix: Fix,
    enterprise_lat: float,
    enterprise_lng: float,
    radius_m: float,
    received_at: dt.datetime,
    previous: Fix | None,
    next_: Fix | None = None,
    coordinates_seen_elsewhere: bool,
    is_workday: bool,
    local_tz: dt.tzinfo,
) -> tuple[float, bool, list[str]]:
    """(distance to the enterprise, within geofence, flags) for a check-in."""
    distance = distance_m(fix.lat, fix.lng, enterprise_lat, enterprise_lng)
    inside = within_geofence(distance_m=distance, radius_m=radius_m, accuracy_m=fix.accuracy_m)
    flags = []
    if not inside:
        flags.append("outside_geofence")
    flags += fix_flags(
        fix=fix,
        received_at=received_at,
        previous=previous,
        next_=next_,
        coordinates_seen_elsewhere=coordinates_seen_elsewhere,
        is_workday=is_workday,
        local_tz=local_tz,
    )
    return distance, inside, flags


def fix_flags(
    *,
    fix: Fix,
    received_at: dt.datetime,
    previous: Fix | None,
    next_: Fix | None,
    coordinates_seen_elsewhere: bool,
    is_workday: bool,
    local_tz: dt.tzinfo,
    check_hours: bool = True,
) -> list[str]:
    """Flags that any position report can earn, check-in or check-out."""
    flags = []
    if fix.accuracy_m is not None and fix.accuracy_m > POOR_ACCURACY_M:
        flags.append("poor_accuracy")
    # Offline queues sync out of order, so the fix is compared with its
    # neighbours in device time on both sides, not just the last one received.
    if any(other is not None and leg_speed_kmh(other, fix) > IMPOSSIBLE_SPEED_KMH for other in (previous, next_)):
        flags.append("impossible_speed")
    if coordinates_seen_elsewhere:
        flags.append("repeated_coordinates")
    lag = (received_at - fix.at).total_seconds()
    if lag < -CLOCK_SKEW_S:
        flags.append("clock_skew")
    elif lag > LATE_SYNC_S:
        flags.append("late_sync")
    if check_hours:
        local = fix.at.astimezone(local_tz)
        if not is_workday or not (WORK_START <= local.time() <= WORK_END):
            flags.append("off_hours")
    return flags


def checkout_flags(
    *,
    fix: Fix,
    checkin_at: dt.datetime,
    received_at: dt.datetime,
    previous: Fix | None,
    next_: Fix | None,
    coordinates_seen_elsewhere: bool,
    local_tz: dt.tzinfo,
) -> list[str]:
    flags = fix_flags(
        fix=fix,
        received_at=received_at,
        previous=previous,
        next_=next_,
        coordinates_seen_elsewhere=coordinates_seen_elsewhere,
        is_workday=True,
        local_tz=local_tz,
        check_hours=False,  # the check-in already answers for the hour of the visit
    )
    if (fix.at - checkin_at).total_seconds() < SHORT_VISIT_S:
        flags.append("short_visit")
    return flags
