"""Reads of the demands ledger, scoped by backend.access.demands."""

import datetime as dt

from django.db.models import Count, QuerySet

from backend import access
from backend.errors import NotFound

from . import flow
from .models import Demand, DemandTransition

NOT_FOUND = "诉求不存在或无权查看"


def demands_visible_to(*, user) -> QuerySet[Demand]:
    return Demand.objects.filter(access.demands.demands_q(user))


def demand_list(
    *, user, status: str | None = None, enterprise_id: int | None = None, assigned_to_me: bool = False
) -> QuerySet[Demand]:
    qs = demands_visible_to(user=user)
    if status:
        qs = qs.filter(status=status)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if assigned_to_me:
        qs = qs.filter(access.demands.assigned_to_q(user))
    return qs.select_related("enterprise", "raised_by", "assignee", "assignee_unit").order_by("-created_at", "-id")


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
