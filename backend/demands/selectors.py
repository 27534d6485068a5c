"""Reads of the demands ledger, scoped by backend.access.demands."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from backend import access
from backend.errors import Conflict, Forbidden, NotFound
from backend.workdays.selectors import deadline_after

from . import flow
from .board import SOON_DAYS
from .models import Demand, DemandTransition

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
