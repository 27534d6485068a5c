"""Reads: the schedule of a year, where it comes from, and the engine built on it.

A year's schedule is an admin's entry (YearSchedule) if there is one, else
chinesecalendar's if it knows the year, else unknown. Schedules are cached per
process; the cache is dropped at once in the process that writes (signals) and
within WORKDAYS_CACHE_CHECK_S in the others, which compare a fingerprint of the
table (row count and last update). The recompute task drops it before it starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Literal

from django.conf import settings
from django.db.models import Count, Max

from .engine import Deadline, WorkCalendar, YearPlan, official_plan
from .models import YearSchedule

log = logging.getLogger(__name__)

Origin = Literal["admin", "official", "none"]
ORIGIN_LABELS = {"official": "官方(chinesecalendar)", "admin": "管理员录入", "none": "无"}

_lock = threading.Lock()
_plans: dict[int, tuple[YearPlan | None, Origin]] = {}
_fingerprint: tuple | None = None
_checked_at = float("-inf")


def schedule_cache_clear() -> None:
    global _fingerprint, _checked_at
    with _lock:
        _plans.clear()
        _fingerprint, _checked_at = None, float("-inf")


def schedule_changed(**kwargs) -> None:
    """Signal receiver (apps.py): a YearSchedule was saved or deleted."""
    schedule_cache_clear()


def _fresh() -> None:
    global _fingerprint, _checked_at
    now = time.monotonic()
    if now - _checked_at < settings.WORKDAYS_CACHE_CHECK_S:
        return
    seen = YearSchedule.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    with _lock:
        fingerprint = (seen["n"], seen["last"])
        if fingerprint != _fingerprint:
            _plans.clear()
            _fingerprint = fingerprint
        _checked_at = now


def plan_from_row(row: YearSchedule) -> YearPlan:
    return YearPlan(
        year=row.year,
        holidays={dt.date.fromisoformat(h["date"]): h["name"] for h in row.holidays},
        workdays=frozenset(dt.date.fromisoformat(d) for d in row.workdays),
    )


def year_plan(year: int) -> tuple[YearPlan | None, Origin]:
    """The schedule in force for `year` and where it comes from."""
    _fresh()
    cached = _plans.get(year)
    if cached is not None:
        return cached
    row = YearSchedule.objects.filter(year=year).first() if 0 < year <= 32767 else None
    if row is not None:
        found: tuple[YearPlan | None, Origin] = (plan_from_row(row), "admin")
    else:
        plan = official_plan(year)
        found = (plan, "official" if plan else "none")
    with _lock:
        _plans[year] = found
    return found


def work_calendar() -> WorkCalendar:
    return WorkCalendar.from_plans(
        lambda year: year_plan(year)[0],
        start=dt.time.fromisoformat(settings.WORKDAY_START),
        end=dt.time.fromisoformat(settings.WORKDAY_END),
        tz=settings.TIME_ZONE,
    )


def deadline_after(*, start: dt.datetime, working_days: int) -> Deadline:
    """The deadline `working_days` working days after `start`, with its derivation in words."""
    return work_calendar().deadline_after(start, working_days)


def is_working_time(*, moment: dt.datetime) -> bool | None:
    return work_calendar().is_working_time(moment)


def next_working_moment(*, moment: dt.datetime) -> dt.datetime | None:
    """When a reminder due at `moment` may go out; None while that year's schedule is unknown."""
    return work_calendar().next_working_moment(moment)


def is_workday_or_weekday(day: dt.date) -> bool:
    """For check-in flags and daily nags, which must never fail: Monday–Friday for an unknown year.

    Deadlines do not use this: they wait for the calendar (待日历确认).
    """
    plan, _ = year_plan(day.year)
    if plan is None:
        log.warning("No official holiday schedule for %s; assuming Monday–Friday", day.year)
        return day.weekday() < 5
    return plan.is_workday(day)


def year_schedule_get(*, year: int) -> dict:
    """A year's holidays and make-up workdays for the calendar screen, and where they come from."""
    plan, origin = year_plan(year)
    row = YearSchedule.objects.select_related("updated_by").filter(year=year).first() if origin == "admin" else None
    return {
        "year": year,
        "source": origin,
        "source_label": ORIGIN_LABELS[origin],
        "official_known": official_plan(year) is not None,
        "holidays": [{"date": d, "name": n} for d, n in sorted(plan.holidays.items())] if plan else [],
        "workdays": sorted(plan.workdays) if plan else [],
        "updated_by": (row.updated_by.display_name or row.updated_by.username) if row and row.updated_by else None,
        "updated_at": row.updated_at if row else None,
    }


def year_source(year: int) -> Origin:
    return year_plan(year)[1]
