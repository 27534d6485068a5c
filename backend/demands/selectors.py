"""Reads of the demands ledger, scoped by backend.access.demands."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from backend import access
from backend.errors import Conflict, Forbidden, NotFound
from backend.sites.filters import SiteArea, SiteFilters
from backend.sites.models import Site
from backend.sites.selectors import site_search
from backend.workdays.selectors import deadline_after
from geo.bbox import BBox

from . import flow
from .board import SOON_DAYS
from .models import Demand, DemandSiteInquiry, DemandTransition

NOT_FOUND = "诉求不存在或无权查看"
S = Demand.Status
OPEN = (S.ASSIGNED, S.VERIFYING, S.HANDLING)  # the clock runs (services.OPEN; selectors import no services)


def demands_visible_to(*, user) -> QuerySet[Demand]:
    return Demand.objects.filter(access.demands.demands_q(user))


def demand_list(
    *,
    user,
    status: str | None = None,
    enterprise_id: int | None = None,
    assigned_to_me: bool = False,
    overdue: bool = False,
    open_only: bool = False,
    assignee_id: int | None = None,
    assignee_unit_id: int | None = None,
    desk_unit_id: int | None = None,
    due: str | None = None,
    board: bool = False,
    board_unit_id: int | None = None,
) -> QuerySet[Demand]:
    qs = demands_visible_to(user=user)
    if board:
        # The board's own scope, so that a figure and the list it opens hold the same rows:
        # a manager also sees demands they handed elsewhere, which their board does not count.
        desks, waiting, _, _ = access.demands.board_scope(user, unit_id=board_unit_id)
        qs = qs.filter((desks & ~Q(status=S.PENDING)) | (waiting & Q(status=S.PENDING)))
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    # The board's rows: each names its desk with one of these, so a figure opens its rows.
    if assignee_id:
        qs = qs.filter(assignee_id=assignee_id)
    if assignee_unit_id:
        qs = qs.filter(assignee_unit_id=assignee_unit_id)
    if desk_unit_id:
        qs = qs.filter(access.demands.desk_unit_q(desk_unit_id))
    if assigned_to_me:
        qs = qs.filter(access.demands.assigned_to_q(user))
    qs = qs.select_related("enterprise", "raised_by", "assignee", "assignee_unit")
    if overdue:
        due = due or "overdue"
    if due:
        return qs.filter(status__in=OPEN).filter(_due_q(due, timezone.now())).order_by("deadline", "id")
    return qs.order_by("-created_at", "-id")


def _due_q(due: str, now: dt.datetime) -> Q:
    """The open demands behind each of the overdue board's figures (backend/demands/board.py)."""
    if due == "overdue":
        # A 待日历确认 deadline (null) is not late.
        return Q(deadline__lt=now)
    if due == "due_today":
        tomorrow = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
        return Q(deadline__gte=now, deadline__lt=tomorrow)
    if due == "due_soon":
        soon = deadline_after(start=now, working_days=SOON_DAYS)
        return Q(deadline__gte=now, deadline__lte=soon.at) if soon.at else Q(pk__in=[])
    return Q(deadline__isnull=True)  # pending_calendar


def demand_get(*, user, demand_id: int) -> Demand:
    demand = (
        demands_visible_to(user=user)
        .select_related("enterprise", "raised_by", "assignee", "assignee_unit")
        .filter(id=demand_id)
        .first()
    )
    if demand is None:
        raise NotFound(NOT_FOUND)
    return demand


def demand_timeline(*, demand: Demand) -> QuerySet[DemandTransition]:
    """The steps of a demand the caller already may see (demand_get), oldest first."""
    return demand.transitions.select_related("actor").order_by("at", "id")


def demand_actions(*, user, demand: Demand) -> list[str]:
    """What `user` may do to `demand` now."""
    return flow.available(status=demand.status, relations=access.demands.relations(user, demand))


def demand_counts_by_staff(*, user, start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """staff id → demands recorded on their visits checked in within [start, end)."""
    rows = (
        Demand.objects.filter(access.demands.visit_demands_q(user))
        .filter(visit__checkin_at__gte=start, visit__checkin_at__lt=end)
        .values("visit__staff_id")
        .annotate(n=Count("id"))
        .values_list("visit__staff_id", "n")
    )
    return dict(rows)


def demand_counts_by_period(*, user, start: dt.datetime, end: dt.datetime, trunc) -> QuerySet:
    """Rows of {"p": period start, "v": demands} for visits checked in within [start, end)."""
    return (
        Demand.objects.filter(access.demands.visit_demands_q(user))
        .filter(visit__checkin_at__gte=start, visit__checkin_at__lt=end)
        .annotate(p=trunc("visit__checkin_at"))
        .values("p")
        .annotate(v=Count("id"))
    )


EXPORT_FIELDS = (
    "id", "created_at", "enterprise__name", "enterprise__uscc", "category", "description", "channel",
    "raised_by__username", "raised_by__display_name", "assignee__username", "assignee__display_name",
    "assignee_unit__name", "status", "deadline", "deadline_explained", "first_resolved_at", "resolved_on_time",
    "resolution", "rating",
)


def demands_for_export(
    *, user, start: dt.datetime, end: dt.datetime, status: str | None = None, category: str | None = None
) -> QuerySet:
    """The ledger rows raised within [start, end) the user may export, as plain values, oldest first."""
    qs = Demand.objects.filter(access.demands.ledger_export_q(user), created_at__gte=start, created_at__lt=end)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("created_at", "id").values(*EXPORT_FIELDS)


def _missed(start: dt.datetime, end: dt.datetime) -> Q:
    """A deadline that fell within [start, end) and was not met: not resolved by then."""
    return Q(deadline__gte=start, deadline__lt=min(end, timezone.now())) & (
        Q(first_resolved_at__isnull=True) | Q(first_resolved_at__gt=F("deadline"))
    )


def desk_counts_by_staff(*, user, start: dt.datetime, end: dt.datetime) -> dict[int, dict[str, int]]:
    """staff id → demands assigned to them, first resolved by them and whose deadline they missed, within [start, end).

    Assigned counts the 交办 steps in the period (a demand handed over twice counts twice
    only if assigned twice: the flow assigns once); resolved the first 已办结; overdue a
    deadline in the period (up to now) not met — 待日历确认 ones have none and are never counted.
    """
    desks = Demand.objects.filter(access.demands.desk_demands_q(user))
    found: dict[int, dict[str, int]] = {}

    def put(rows, name):
        for staff_id, n in rows:
            found.setdefault(staff_id, {"assigned": 0, "resolved": 0, "overdue": 0})[name] = n

    put(
        DemandTransition.objects.filter(action="assign", at__gte=start, at__lt=end, demand__in=desks.values("id"))
        .values("demand__assignee_id").annotate(n=Count("id")).values_list("demand__assignee_id", "n").order_by(),
        "assigned",
    )
    put(
        desks.filter(first_resolved_at__gte=start, first_resolved_at__lt=end)
        .values("assignee_id").annotate(n=Count("id")).values_list("assignee_id", "n").order_by(),
        "resolved",
    )
    put(desks.filter(_missed(start, end)).values("assignee_id").annotate(n=Count("id")).values_list("assignee_id", "n").order_by(), "overdue")
    found.pop(None, None)
    return found


def desk_counts_by_period(*, user, start: dt.datetime, end: dt.datetime, trunc, metric: str) -> QuerySet:
    """Rows of {"p", "v"}: first resolutions (demands_resolved) or missed deadlines (demands_overdue) per period."""
    desks = Demand.objects.filter(access.demands.desk_demands_q(user))
    if metric == "demands_resolved":
        qs, field = desks.filter(first_resolved_at__gte=start, first_resolved_at__lt=end), "first_resolved_at"
    else:
        qs, field = desks.filter(_missed(start, end)), "deadline"
    return qs.annotate(p=trunc(field)).values("p").annotate(v=Count("id")).order_by()


def demand_can_attach(*, user, demand: Demand) -> bool:
    try:
        access.demands.may_attach(user, demand)
    except (Conflict, Forbidden):
        return False
    return True


# --- a 场地 demand's suggested sites ------------------------------------------------

IDLE = ("vacant", "reserved")  # not leased: an offer still stands (空置, 洽谈中)
CANDIDATES = 200  # ranked in Python: one search page, never the whole town
AREA_SLACK = (0.8, 1.25)  # a site a fifth smaller or a quarter larger is still worth showing


def _m2(value: float) -> str:
    return f"{value:,.0f}㎡"


def site_needs_of(demand: Demand) -> dict | None:
    """The demand's site needs as shown (None for a category other than 场地)."""
    if demand.category != Demand.Category.SITE:
        return None
    labels = dict(Site.Type.choices)
    types = list(demand.site_types or [])
    low, high = demand.site_area_min_m2, demand.site_area_max_m2
    parts = ["、".join(labels.get(t, t) for t in types)] if types else []
    if low is not None and high is not None:
        parts.append(f"{low:,.0f}–{_m2(high)}")
    elif low is not None:
        parts.append(f"不小于 {_m2(low)}")
    elif high is not None:
        parts.append(f"不超过 {_m2(high)}")
    if demand.site_place:
        parts.append(demand.site_place)
    if demand.site_lat is not None:
        parts.append(f"所选位置 {demand.site_radius_km:g} km 内")
    return {
        "types": types,
        "type_labels": [labels.get(t, t) for t in types],
        "area_min_m2": low,
        "area_max_m2": high,
        "place": demand.site_place,
        "lat": demand.site_lat,
        "lng": demand.site_lng,
        "radius_km": demand.site_radius_km,
        "empty": not parts,
        "summary": "；".join(parts),
    }


def _area_fit(area: float | None, low: float | None, high: float | None) -> tuple[float, str]:
    """(0–1, the reason in words) for a site's area against the wanted range."""
    if area is None:
        return (0.3, "面积未标明，请咨询确认") if low is not None or high is not None else (0.5, "面积未标明")
    if low is None and high is None:
        return 0.5, f"面积 {_m2(area)}"
    if (low is None or area >= low) and (high is None or area <= high):
        if low is not None and high is not None:
            return 1.0, f"面积 {_m2(area)} 在 {low:,.0f}–{_m2(high)} 之内"
        return 1.0, f"面积 {_m2(area)} 不小于 {_m2(low)}" if low is not None else f"面积 {_m2(area)} 不超过 {_m2(high)}"
    if low is not None and area < low:
        short = (low - area) / low
        return max(0.0, 1 - short / (1 - AREA_SLACK[0])) * 0.8, f"面积 {_m2(area)}，比需求下限 {_m2(low)} 小 {short:.0%}"
    over = (area - high) / high
    return max(0.0, 1 - over / (AREA_SLACK[1] - 1)) * 0.8, f"面积 {_m2(area)}，比需求上限 {_m2(high)} 大 {over:.0%}"


def site_suggestions(*, user, demand_id: int, limit: int = 10) -> dict:
    """Idle public sites that match a 场地 demand's needs, best first, each with its reasons.

    Whoever sees the demand sees its suggestions (demand_get is scoped by access.demands).
    One call of the site finder's own search (sites.selectors.site_search) with the needs
    as its filters — type, idle statuses, the area range widened by AREA_SLACK, the place
    as its text filter, the point's radius as a bbox — then ranked here: type, area fit,
    distance. A demand without needs gets none: they are asked for, not guessed.
    """
    demand = demand_get(user=user, demand_id=demand_id)
    needs = site_needs_of(demand)
    if needs is None:
        raise Conflict("这条诉求不是「场地」类，没有推荐场地", code="not_site_demand")
    answer = {
        "needs": needs,
        "can_inquire": access.demands.can_inquire_for(user, demand),
        "can_set_needs": access.demands.can_set_site_needs(user, demand),
        "items": [],
        "count": 0,
        "limit": limit,
        "offset": 0,
    }
    if needs["empty"]:
        return answer
    low, high = demand.site_area_min_m2, demand.site_area_max_m2
    filters = SiteFilters(
        types=tuple(needs["types"]),
        statuses=IDLE,
        area_min=None if low is None else low * AREA_SLACK[0],
        area_max=None if high is None else high * AREA_SLACK[1],
        q=demand.site_place,
    )
    near = None
    area = SiteArea()
    if demand.site_lat is not None:
        near = (demand.site_lat, demand.site_lng)
        area = SiteArea(bbox=BBox.around(demand.site_lat, demand.site_lng, demand.site_radius_km * 1000))
    found = site_search(
        area=area, filters=filters, sort="distance" if near else "area", near=near, limit=CANDIDATES, offset=0
    )
    inquired = set(DemandSiteInquiry.objects.filter(demand=demand).values_list("site_id", flat=True))
    ranked = []
    for feature in found["features"]:
        p = feature["properties"]
        reasons = [f"类型：{p['type_label']}"]
        type_fit = 1.0
        area_fit, said = _area_fit(p["area_m2"], low, high)
        reasons.append(said)
        if near is not None:
            radius_m = demand.site_radius_km * 1000
            if p["distance_m"] is None or p["distance_m"] > radius_m:
                continue  # in the bbox's corner, outside the circle
            where_fit = 1 - p["distance_m"] / radius_m
            reasons.append(f"距离 {p['distance_m'] / 1000:.1f} km")
        else:
            where_fit = 0.5
        if demand.site_place:
            place = demand.site_place
            reasons.append(f"位于{p['village']}" if place in (p["village"] or "") else f"名称、地址或持有单位含「{place}」")
        if p["status"] == "reserved":
            reasons.append("状态：洽谈中，已有企业在洽谈")
        score = 100 * (0.2 * type_fit + 0.5 * area_fit + 0.3 * where_fit) - (10 if p["status"] == "reserved" else 0)
        ranked.append(
            {
                "id": p["id"], "name": p["name"], "type": p["type"], "type_label": p["type_label"],
                "status": p["status"], "status_label": p["status_label"], "area_m2": p["area_m2"],
                "rent_per_m2_day": p["rent_per_m2_day"], "village": p["village"], "owner_name": p["owner_name"],
                "distance_m": p["distance_m"], "score": round(max(score, 0.0), 1), "reasons": reasons,
                "inquired": p["id"] in inquired, "url": f"#/sites/{p['id']}",
            }
        )
    ranked.sort(key=lambda s: (-s["score"], s["distance_m"] if s["distance_m"] is not None else 0.0, s["id"]))
    answer["items"] = ranked[:limit]
    answer["count"] = len(answer["items"])
    return answer
