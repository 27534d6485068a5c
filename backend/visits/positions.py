"""Everything a check-in or check-out must read before it writes, in one SQL statement.

A check-in needs: whether its client_id was already used (a replay), the
enterprise's position and geofence, the staff member's position reports just
before and just after it (check-ins and check-outs), and whether its exact
coordinates were reported anywhere else. Through the ORM that was eight
queries, and compiling them cost more CPU than running them (issue #6's load
figures are in docs/notes.md). Here the same look-ups are one UNION ALL of
index probes, each tagged so the rows can be told apart.

Every branch is an index probe: client_id (unique), enterprise id (primary
key), (staff, checkin_at) and (staff, checkout_at) with LIMIT 1, and the two
point-key indexes. The raw SQL is plain enough for both SQLite and PostgreSQL.
"""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import connection
from django.utils import timezone

from backend.enterprises.models import Enterprise
from geo import flags as geoflags

from .models import Visit

_V = Visit._meta.db_table
_E = Enterprise._meta.db_table

# After its tag, every branch has the same five value columns. PostgreSQL settles a UNION's column types
# pairwise from the left, so the first branch carries real types for all but the
# text column, and NULL literals sit in the outer SELECTs (inside a subquery they
# would become text and no longer match a timestamp).
_NEIGHBOUR = (
    "SELECT '{tag}', a, b, c, t, NULL FROM (SELECT {p}_lat AS a, {p}_lng AS b, {p}_accuracy_m AS c, {p}_at AS t"
    " FROM " + _V + " WHERE staff_id = %s AND {p}_at {op} %s{extra}{exclude}"
    " ORDER BY {p}_at {order} LIMIT 1) AS {tag}"
)
_SEEN = (
    "SELECT '{tag}', NULL, NULL, NULL, NULL, NULL FROM (SELECT 1 AS one FROM " + _V +
    " WHERE {p}_point_key = %s AND NOT (enterprise_id = %s AND checkin_at >= %s AND checkin_at < %s){exclude}"
    " LIMIT 1) AS {tag}"
)
_REPLAY = "SELECT 'replay', id, NULL, NULL, NULL, NULL FROM " + _V + " WHERE client_id = %s"
_ENTERPRISE = "SELECT 'enterprise', lat, lng, geofence_m, NULL, name FROM " + _E + " WHERE id = %s"


@dataclass(frozen=True)
class PositionContext:
    previous: geoflags.Fix | None
    next: geoflags.Fix | None
    coordinates_seen_elsewhere: bool
    replay_of: int | None = None  # the id of the visit that already used this client_id
    enterprise: tuple[float, float, int | None, str] | None = None  # lat, lng, geofence_m, name


def _when(value) -> dt.datetime:
    # SQLite hands back the stored UTC text; PostgreSQL an aware datetime.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.timezone.utc)


def position_context(
    *,
    staff_id: int,
    at: dt.datetime,
    key: str,
    enterprise_id: int,
    exclude_visit: int | None = None,
    client_id: UUID | None = None,
) -> PositionContext:
    """Neighbours in device time and the repeated-coordinates check; with `client_id`,
    also the replay look-up and the enterprise (check-in only)."""
    when = connection.ops.adapt_datetimefield_value(at)
    local_day = timezone.localtime(at).date()
    day_start = timezone.make_aware(dt.datetime.combine(local_day, dt.time.min))
    day = [connection.ops.adapt_datetimefield_value(day_start),
           connection.ops.adapt_datetimefield_value(day_start + dt.timedelta(days=1))]
    exclude = " AND id <> %s" if exclude_visit is not None else ""
    excluded = [exclude_visit] if exclude_visit is not None else []

    parts, params = [], []
    for tag, p, op, order, extra in (
        ("cin_before", "checkin", "<", "DESC", ""),
        ("cout_before", "checkout", "<", "DESC", " AND checkout_lat IS NOT NULL"),
        ("cin_after", "checkin", ">", "ASC", ""),
        ("cout_after", "checkout", ">", "ASC", " AND checkout_lat IS NOT NULL"),
    ):
        parts.append(_NEIGHBOUR.format(tag=tag, p=p, op=op, order=order, extra=extra, exclude=exclude))
        params += [staff_id, when, *excluded]
    for tag, p in (("seen_in", "checkin"), ("seen_out", "checkout")):
        parts.append(_SEEN.format(tag=tag, p=p, exclude=exclude))
        params += [key, enterprise_id, *day, *excluded]
    if client_id is not None:
        parts += [_REPLAY, _ENTERPRISE]
        params += [client_id if connection.features.has_native_uuid_field else client_id.hex, enterprise_id]

    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()

    fixes = {"before": [], "after": []}
    seen = False
    replay_of = enterprise = None
    for tag, a, b, c, t, s in rows:
        if tag.startswith(("cin_", "cout_")):
            fixes[tag.rsplit("_", 1)[1]].append(geoflags.Fix(lat=a, lng=b, accuracy_m=c, at=_when(t)))
        elif tag.startswith("seen_"):
            seen = True
        elif tag == "replay":
            replay_of = int(a)
        elif tag == "enterprise":
            enterprise = (a, b, int(c) if c is not None else None, s)
    return PositionContext(
        previous=max(fixes["before"], key=lambda f: f.at, default=None),
        next=min(fixes["after"], key=lambda f: f.at, default=None),
        coordinates_seen_elsewhere=seen,
        replay_of=replay_of,
        enterprise=enterprise,
    )
