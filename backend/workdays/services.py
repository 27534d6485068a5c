"""Writes: an admin enters a year's schedule; admins are warned when next year has none."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend import access
from backend.accounts.models import User
from backend.errors import Invalid
from backend.jobs.services import enqueue
from backend.notifications.services import batch_send

from . import selectors
from .engine import WEEKDAYS
from .models import YearSchedule

MIN_YEAR, MAX_YEAR = 2000, 2100
# A real year has about 30 days off around 7 holidays and 5–8 make-up days.
MAX_HOLIDAYS = 60
MAX_WORKDAYS = 20
MAX_NAME = 20


def _check(*, year: int, holidays: list[tuple[dt.date, str]], workdays: list[dt.date]) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"年份应在 {MIN_YEAR} 至 {MAX_YEAR} 之间", field="year")
    if len(holidays) > MAX_HOLIDAYS:
        raise Invalid(f"放假日最多 {MAX_HOLIDAYS} 天", field="holidays")
    if len(workdays) > MAX_WORKDAYS:
        raise Invalid(f"调休上班日最多 {MAX_WORKDAYS} 天", field="workdays")
    off: set[dt.date] = set()
    for day, name in holidays:
        if day.year != year:
            raise Invalid(f"放假日 {day} 不在 {year} 年内", field="holidays")
        if day in off:
            raise Invalid(f"放假日 {day} 重复", field="holidays")
        if not name or len(name) > MAX_NAME:
            raise Invalid(f"放假日 {day} 的节日名称应为 1 至 {MAX_NAME} 个字", field="holidays")
        off.add(day)
    seen: set[dt.date] = set()
    for day in workdays:
        if day.year != year:
            raise Invalid(f"调休上班日 {day} 不在 {year} 年内", field="workdays")
        if day in seen:
            raise Invalid(f"调休上班日 {day} 重复", field="workdays")
        if day in off:
            raise Invalid(f"{day} 不能既放假又调休上班", field="workdays")
        if day.weekday() < 5:
            # 调休 moves a weekend day's work; a weekday is a working day already (a typo, surely).
            raise Invalid(f"调休上班日 {day} 是周{WEEKDAYS[day.weekday()]}，应为周六或周日", field="workdays")
        seen.add(day)


def year_schedule_set(*, user, year: int, holidays: list[tuple[dt.date, str]], workdays: list[dt.date]) -> YearSchedule:
    """Enter (or correct) a year's official schedule; open deadlines are recomputed by a worker."""
    access.workdays.require_calendar_editor(user)
    _check(year=year, holidays=holidays, workdays=workdays)
    now = timezone.now()
    with transaction.atomic():
        row, _ = YearSchedule.objects.update_or_create(
            year=year,
            defaults={
                "holidays": [{"date": d.isoformat(), "name": n} for d, n in sorted(holidays)],
                "workdays": [d.isoformat() for d in sorted(workdays)],
                "updated_by": user,
                "updated_at": now,
            },
        )
        # Queued with the row (a transactional outbox): a rolled-back entry recomputes nothing.
        from .tasks import recompute_deadlines

        enqueue(recompute_deadlines, key=f"workdays.recompute:{year}:{now.isoformat()}", years=[year])
    return row


def _warn_from(today: dt.date) -> dt.date:
    month, day = (int(part) for part in settings.WORKDAYS_WARN_FROM.split("-"))
    return dt.date(today.year, month, day)


def missing_schedule_warn(*, today: dt.date | None = None) -> int:
    """From WORKDAYS_WARN_FROM (1 November) on, notify the admins that next year has no schedule.

    At most once a day (the batch key is the day), and on working days only: the
    warning is a chore for the office, not an alarm. Returns the notices written.
    """
    today = today or timezone.localdate()
    year = today.year + 1
    if today < _warn_from(today) or selectors.year_source(year) != "none":
        return 0
    if not selectors.is_workday_or_weekday(today):
        return 0
    admins = User.objects.filter(access.core.admins_q(), is_active=True).values_list("id", flat=True)
    sent = batch_send(
        key=f"workdays.missing_schedule:{year}:{today.isoformat()}",
        kind="workdays.missing_schedule",
        title=f"{year}年节假日安排尚未录入",
        body=(
            f"{year}年的放假和调休安排还没有录入，跨入{year}年的截止时间都显示为“待日历确认”。"
            "国务院办公厅通知发布后，请在“工作日历”中录入放假日和调休上班日。"
        ),
        user_ids=list(admins),
    )
    return sent.notices
