"""Reads of the demands ledger, scoped by backend.access.demands."""

import datetime as dt

from django.db.models import Count, QuerySet

from backend import access

from .models import VisitDemand


def demands_visible_to(*, user) -> QuerySet[VisitDemand]:
    """Field staff: their scope's visits' demands; an enterprise user: their enterprise's; admins: all."""
    return VisitDemand.objects.filter(access.demands.demands_q(user))


def demand_counts_by_staff(*, user, start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """staff id → demands recorded on their visits checked in within [start, end)."""
    rows = (
        demands_visible_to(user=user)
        .filter(visit__checkin_at__gte=start, visit__checkin_at__lt=end)
        .values("visit__staff_id")
        .annotate(n=Count("id"))
        .values_list("visit__staff_id", "n")
    )
    return dict(rows)


def demand_counts_by_period(*, user, start: dt.datetime, end: dt.datetime, trunc) -> QuerySet:
    """Rows of {"p": period start, "v": demands} for visits checked in within [start, end)."""
    return (
        demands_visible_to(user=user)
        .filter(visit__checkin_at__gte=start, visit__checkin_at__lt=end)
        .annotate(p=trunc("visit__checkin_at"))
        .values("p")
        .annotate(v=Count("id"))
    )
