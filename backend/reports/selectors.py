"""Reads for managers: team statistics, trends with 环比/同比, the dashboard.

Every figure is computed by the database in a handful of grouped queries:
a city's team report covers ~1,000 staff and ~400,000 visits a month.
"""

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.db import connection
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.enterprises.models import Enterprise
from backend.errors import Invalid
from backend.sites.models import Site
from backend.demands.selectors import demand_counts_by_period, demand_counts_by_staff, desk_counts_by_period, desk_counts_by_staff
from backend.demands.selectors import demands_for_export as demand_export_rows
from backend.demands.models import Demand
from backend.visits.models import Visit

from . import periods as P
from .models import MetricSnapshot

METRICS = ("visits", "enterprises_visited", "demands", "demands_resolved", "demands_overdue", "rating", "vacant_site_area")


def team_members(*, user: User) -> QuerySet[User]:
    """The rows of a team report: backend.access.reports.team_members."""
    return access.reports.team_members(user)


def team_scope(*, user: User) -> dict:
    """Whose rows the reader gets, with the reason (a manager without an org unit: only their own)."""
    return access.reports.report_scope(user).as_dict()


def _visits_of(*, user: User) -> QuerySet[Visit]:
    return Visit.objects.filter(access.reports.report_scope(user).q("staff__"))


def _local_range(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    if date_to < date_from:
        raise Invalid("结束日期不能早于开始日期", field="date_to")
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(date_from, dt.time.min, tzinfo=tz),
        dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


DURATION = ExpressionWrapper(F("checkout_at") - F("checkin_at"), output_field=DurationField())
# The same predicate as the partial index visit_flagged_time, so the planner can use it.
FLAGGED = ~Q(flags=[], checkout_flags=[])


def _distinct_enterprises(*, user: User, start: dt.datetime, end: dt.datetime) -> dict[int, tuple[int, int]]:
    """staff_id → (distinct enterprises visited, of which assigned to that staff member).

    One pass over the distinct (staff, enterprise) pairs: COUNT(DISTINCT) per group
    forces a sort of every visit, which was 4× slower on 400,000 visits a month.
    """
    scope, scope_params = access.reports.report_scope(user).sql("v.staff_id")
    params = [start, end, *scope_params]
    sql = f"""
        SELECT d.staff_id, COUNT(*), SUM(CASE WHEN e.assigned_staff_id = d.staff_id THEN 1 ELSE 0 END)
        FROM (SELECT DISTINCT v.staff_id, v.enterprise_id FROM visits_visit v
              WHERE v.checkin_at >= %s AND v.checkin_at < %s AND {scope}) d
        JOIN enterprises_enterprise e ON e.id = d.enterprise_id
        GROUP BY d.staff_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {staff_id: (n, covered) for staff_id, n, covered in cursor.fetchall()}


def team_report(*, user: User, date_from: dt.date, date_to: dt.date) -> list[dict]:
    start, end = _local_range(date_from, date_to)
    members = list(team_members(user=user).select_related("org_unit").order_by("org_unit__name", "id"))
    assigned = dict(
        Enterprise.objects.filter(assigned_staff__in=[m.id for m in members])
        .values("assigned_staff_id")
        .annotate(n=Count("id"))
        .values_list("assigned_staff_id", "n")
    )
    scope = access.reports.report_scope(user)
    visits = Visit.objects.filter(scope.q("staff__"), checkin_at__gte=start, checkin_at__lt=end)
    # Only columns of the covering index here (see Visit.Meta), and COUNT(*) rather
    # than COUNT(id): PostgreSQL answers from the index alone, without heap reads.
    stats = {
        row["staff_id"]: row
        for row in visits.values("staff_id").annotate(
            visits=Count("*"),
            avg_duration=Avg(DURATION, filter=Q(checkout_at__isnull=False)),
            avg_rating=Avg("rating"),
        )
    }
    flagged = dict(visits.filter(FLAGGED).values("staff_id").annotate(n=Count("*")).values_list("staff_id", "n"))
    distinct = _distinct_enterprises(user=user, start=start, end=end)
    demands = demand_counts_by_staff(user=user, start=start, end=end)
    desks = desk_counts_by_staff(user=user, start=start, end=end)
    rows = []
    for m in members:
        s = stats.get(m.id, {})
        enterprises, covered = distinct.get(m.id, (0, 0))
        avg_duration = s.get("avg_duration")
        rows.append(
            {
                "staff_id": m.id,
                "staff_name": m.shown_name,
                "team": m.org_unit.name if m.org_unit_id else "",
                "visits": s.get("visits", 0),
                "enterprises": enterprises,
                "assigned": assigned.get(m.id, 0),
                "assigned_covered": covered,
                "coverage_pct": round(covered / assigned[m.id] * 100, 1) if assigned.get(m.id) else None,
                "avg_duration_min": round(avg_duration.total_seconds() / 60, 1) if avg_duration else None,
                "flagged_visits": flagged.get(m.id, 0),
                "avg_rating": round(s["avg_rating"], 2) if s.get("avg_rating") is not None else None,
                "demands": demands.get(m.id, 0),
                "demands_assigned": desks.get(m.id, {}).get("assigned", 0),
                "demands_resolved": desks.get(m.id, {}).get("resolved", 0),
                "demands_overdue": desks.get(m.id, {}).get("overdue", 0),
            }
        )
    return rows


EXPORT_VISIT_FIELDS = (
    "checkin_at", "checkout_at", "staff__username", "staff__display_name", "staff__org_unit__name",
    "enterprise__name", "enterprise__uscc", "distance_m", "within_geofence", "purpose", "flags", "checkout_flags", "rating",
)


def visits_for_export(*, user: User, date_from: dt.date, date_to: dt.date) -> QuerySet:
    """Plain values, not model instances: building four objects per row was a third of a 36,600-row export."""
    start, end = _local_range(date_from, date_to)
    return (
        Visit.objects.filter(staff__in=team_members(user=user), checkin_at__gte=start, checkin_at__lt=end)
        .annotate(n_demands=Count("demands"))
        .order_by("checkin_at", "id")
        .values(*EXPORT_VISIT_FIELDS, "n_demands")
    )


def visits_export_size(*, user: User, date_from: dt.date, date_to: dt.date) -> int:
    start, end = _local_range(date_from, date_to)
    return Visit.objects.filter(staff__in=team_members(user=user), checkin_at__gte=start, checkin_at__lt=end).count()


def visits_export_subjects(*, user: User, date_from: dt.date, date_to: dt.date) -> set[int]:
    """Whose whereabouts an export shows: one id per person, not one per visit."""
    start, end = _local_range(date_from, date_to)
    visits = Visit.objects.filter(staff__in=team_members(user=user), checkin_at__gte=start, checkin_at__lt=end)
    return set(visits.order_by().values_list("staff_id", flat=True).distinct())


def demands_for_export(
    *, user: User, date_from: dt.date, date_to: dt.date, status: str | None = None, category: str | None = None
) -> QuerySet:
    """The ledger raised within the local days [date_from, date_to], in the reader's demands scope."""
    start, end = _local_range(date_from, date_to)
    return demand_export_rows(user=user, start=start, end=end, status=status, category=category)


def demands_export_size(*, user: User, date_from: dt.date, date_to: dt.date, **filters) -> int:
    return demands_for_export(user=user, date_from=date_from, date_to=date_to, **filters).count()


def team_totals(rows: list[dict]) -> dict:
    return {
        "visits": sum(r["visits"] for r in rows),
        "flagged_visits": sum(r["flagged_visits"] for r in rows),
        "demands": sum(r["demands"] for r in rows),
        "demands_assigned": sum(r.get("demands_assigned", 0) for r in rows),
        "demands_resolved": sum(r.get("demands_resolved", 0) for r in rows),
        "demands_overdue": sum(r.get("demands_overdue", 0) for r in rows),
        "staff": len(rows),
    }


def _trunc(granularity: str, field: str):
    tz = timezone.get_current_timezone()
    return (TruncMonth if granularity == "month" else TruncWeek)(field, tzinfo=tz)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _metric_by_period(*, user: User, metric: str, granularity: str, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    lo, hi = _local_range(start, end)
    if metric == "vacant_site_area":
        return _vacant_area_by_period(granularity=granularity, start=start, end=end)
    if metric == "demands":
        access.reports.require_report_reader(user)
        rows = demand_counts_by_period(user=user, start=lo, end=hi, trunc=lambda field: _trunc(granularity, field))
    elif metric in ("demands_resolved", "demands_overdue"):
        access.reports.require_report_reader(user)
        rows = desk_counts_by_period(user=user, start=lo, end=hi, trunc=lambda field: _trunc(granularity, field), metric=metric)
    else:
        aggregate = {
            "visits": Count("id"),
            "enterprises_visited": Count("enterprise_id", distinct=True),
            "rating": Avg("rating"),
        }[metric]
        qs = _visits_of(user=user).filter(checkin_at__gte=lo, checkin_at__lt=hi)
        rows = qs.annotate(p=_trunc(granularity, "checkin_at")).values("p").annotate(v=aggregate)
    return {_as_date(row["p"]): row["v"] for row in rows if row["v"] is not None}


def _vacant_area_by_period(*, granularity: str, start: dt.date, end: dt.date) -> dict[dt.date, float]:
    """A stock, not a flow: the last snapshot in each period (and today's live figure)."""
    values: dict[dt.date, float] = {}
    for snap in MetricSnapshot.objects.filter(metric="vacant_site_area", day__gte=start, day__lte=end).order_by("day"):
        values[P.period_start(snap.day, granularity)] = snap.value
    today = timezone.localdate()
    if start <= today <= end:
        values[P.period_start(today, granularity)] = vacant_site_area()
    return values


def vacant_site_area() -> float:
    return Site.objects.filter(status=Site.Status.VACANT).aggregate(a=Sum("building_area_m2"))["a"] or 0.0


COUNTS = ("visits", "enterprises_visited", "demands", "demands_resolved", "demands_overdue")


def _data_start() -> dt.date:
    """The first day the town has data: before it a count is unknown (a gap in a chart,
    no 同比), not 0 — "last year" of a system started this spring is not zero visits
    (issue 12). The town's first record, not the reader's: a team's quiet month is a 0."""
    firsts = [Visit.objects.aggregate(m=Min("checkin_at"))["m"]]  # the time index answers it
    firsts += Demand.objects.aggregate(a=Min("created_at"), b=Min("first_resolved_at"), c=Min("deadline")).values()
    known = [timezone.localdate(f) for f in firsts if f is not None]
    return min(known, default=timezone.localdate())


def _next_period(start: dt.date, granularity: str) -> dt.date:
    return P.add_months(start, 1) if granularity == "month" else start + dt.timedelta(days=7)


def trends(*, user: User, metric: str, granularity: str, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """A value per period with 环比 and 同比.

    The period holding today is compared like for like: 本月至今 (its first n days) with
    the first n days of the previous period and of the same period a year before, not with
    whole periods (on the 1st of a month that read ↓98.7 %). `days` says how many days
    such a partial period covers; periods before the town's data began, and after today,
    have no value (None) rather than 0.
    """
    access.reports.require_report_reader(user)
    if metric not in METRICS:
        raise Invalid("指标应为 " + "、".join(METRICS), field="metric")
    wanted = P.periods(date_from, date_to, granularity)
    if len(wanted) > 400:
        raise Invalid("时间范围过长", field="date_from")
    earliest = P.same_period_last_year(P.previous_period(wanted[0], granularity), granularity)
    values = _metric_by_period(user=user, metric=metric, granularity=granularity, start=earliest, end=date_to)
    today = timezone.localdate()
    since = P.period_start(_data_start(), granularity) if metric in COUNTS else None

    def value(period: dt.date, found: dict | None = None):
        if period > today or (since is not None and period < since):
            return None
        # Counts are 0 in a period without data; averages and stocks have no value.
        v = (values if found is None else found).get(period, 0 if metric in COUNTS else None)
        return round(v, 2) if isinstance(v, float) else v

    def first_days(period: dt.date, days: int):
        """The value of the first `days` days of a period (all of it when shorter)."""
        last = min(period + dt.timedelta(days=days - 1), _next_period(period, granularity) - dt.timedelta(days=1))
        found = _metric_by_period(user=user, metric=metric, granularity=granularity, start=period, end=last)
        return value(period, found)

    series = []
    for p in wanted:
        before, year_ago = P.previous_period(p, granularity), P.same_period_last_year(p, granularity)
        days = (today - p).days + 1 if p <= today < _next_period(p, granularity) else None
        if days is None:
            previous, last_year = value(before), value(year_ago)
        else:
            previous, last_year = first_days(before, days), first_days(year_ago, days)
        current = value(p)
        series.append(
            {
                "period": p,
                "value": current,
                "previous": previous,
                "last_year": last_year,
                "mom_pct": P.change_pct(current, previous),
                "yoy_pct": P.change_pct(current, last_year),
                "days": days,
            }
        )
    return series


def dashboard(*, user: User, month: dt.date) -> dict:
    access.reports.require_report_reader(user)
    month = P.month_start(month)
    month_end = P.add_months(month, 1) - dt.timedelta(days=1)

    def headline(metric):
        return trends(user=user, metric=metric, granularity="month", date_from=month, date_to=month_end)[0]

    registered = Enterprise.objects.filter(access.enterprises.registered_enterprises_q()).distinct().count()
    # The town's registry: a company's own pending entry (backend/join) counts once staff verify it.
    total = Enterprise.objects.filter(pending=False).count()
    by_type = {
        row["type"]: row
        for row in Site.objects.filter(status=Site.Status.VACANT).values("type").annotate(count=Count("id"), area=Sum("building_area_m2"))
    }
    return {
        "month": month,
        "enterprises": {
            "total": total,
            "registered": registered,
            "registered_pct": round(registered / total * 100, 1) if total else None,
        },
        "visits": headline("visits"),
        "enterprises_visited": headline("enterprises_visited"),
        "demands": headline("demands"),
        # The ledger's month beside the demands collected on visits: first resolutions and missed deadlines.
        "demands_resolved": headline("demands_resolved"),
        "demands_overdue": headline("demands_overdue"),
        "rating": headline("rating"),
        "vacant_site_area": headline("vacant_site_area"),
        "vacant_sites_by_type": [
            {
                "type": code,
                "label": label,
                "count": by_type.get(code, {}).get("count", 0),
                "area_m2": round(by_type.get(code, {}).get("area") or 0, 1),
            }
            for code, label in Site.Type.choices
        ],
    }
