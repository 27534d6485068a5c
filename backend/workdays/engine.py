"""Deadlines in Chinese working days: pure Python, no Django (the acceptance test runs it 100,000 times).

A schedule source tells, for one day, whether people work (True), rest (False), or
that nobody knows yet (None: the State Council has not published that year, or it
has not been entered). The engine never guesses Monday–Friday for an unknown year:
a deadline that needs such a day is "待日历确认" until an admin enters the year.

Rules (docs/workdays.md):
- the day of receipt is day 0 if it is a working day and the receipt is before the
  end of working hours; otherwise (after hours, a weekend, a holiday) the next
  working day is day 0;
- the deadline is the end of working hours on the Nth working day after day 0.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar.constants import Holiday

DayRule = Callable[[dt.date], "bool | None"]
DayName = Callable[[dt.date], "str | None"]

WEEKDAYS = "一二三四五六日"
# A search for the next working day gives up this many years on: a broken schedule.
MAX_YEARS_AHEAD = 3
MAX_WORKING_DAYS = 366
PENDING = "待日历确认"

_CHINESE_NAMES = {h.value: h.chinese for h in Holiday}
# chinesecalendar's short names, as people say them.
_CHINESE_NAMES.update({"Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "Tomb-sweeping Day": "清明节"})


@dataclass(frozen=True)
class YearPlan:
    """One year's schedule: days off with names (weekends inside a holiday included) and make-up workdays.

    Its sorted tables are built once per plan and cached on it: a deadline is then a
    couple of bisections, not a walk (a recompute touches every open demand).
    """

    year: int
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: frozenset[dt.date] = frozenset()

    def is_workday(self, day: dt.date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)

    @cached_property
    def working(self) -> list[dt.date]:
        first = dt.date(self.year, 1, 1)
        days = (first + dt.timedelta(days=i) for i in range((dt.date(self.year + 1, 1, 1) - first).days))
        return [d for d in days if self.is_workday(d)]

    @cached_property
    def events(self) -> list[tuple[dt.date, bool]]:
        """What a deadline's explanation mentions, by date: (day, True) a make-up workday, (day, False) a day off."""
        return sorted([(d, True) for d in self.workdays if d.weekday() >= 5] + [(d, False) for d in self.holidays])

    @cached_property
    def event_days(self) -> list[dt.date]:
        return [d for d, _ in self.events]

    @classmethod
    def from_rule(cls, year: int, rule: DayRule, name: DayName) -> YearPlan | None:
        """A plan from a day-by-day source; None if the source does not know the year."""
        first = dt.date(year, 1, 1)
        holidays, workdays = {}, set()
        for i in range((dt.date(year + 1, 1, 1) - first).days):
            day = first + dt.timedelta(days=i)
            works = rule(day)
            if works is None:
                return None
            if works and day.weekday() >= 5:
                workdays.add(day)
            elif not works and (day.weekday() < 5 or name(day)):
                holidays[day] = name(day) or ""
        return cls(year=year, holidays=holidays, workdays=frozenset(workdays))


def _official_years() -> range:
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


OFFICIAL_YEARS = _official_years()


def official_plan(year: int) -> YearPlan | None:
    """chinesecalendar's schedule for `year`, with Chinese holiday names; None if it does not know the year."""
    if year not in OFFICIAL_YEARS:
        return None
    holidays = {d: _CHINESE_NAMES.get(n, n) for d, n in chinese_calendar.holidays.items() if d.year == year}
    workdays = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    return YearPlan(year=year, holidays=holidays, workdays=workdays)


_official_cache: dict[int, YearPlan | None] = {}


def official_is_workday(day: dt.date) -> bool | None:
    """A day rule from chinesecalendar alone (scripts, tests): None for a year it does not know."""
    if day.year not in _official_cache:
        _official_cache[day.year] = official_plan(day.year)
    plan = _official_cache[day.year]
    return None if plan is None else plan.is_workday(day)


@dataclass(frozen=True)
class Deadline:
    # None while a day it needs lies in a year without an official schedule.
    at: dt.datetime | None
    explained: str
    pending_year: int | None = None


class _Unknown(Exception):
    def __init__(self, year: int):
        self.year = year


class WorkCalendar:
    """Working days and hours from a schedule source; every question answered in local time.

    The source is either a day rule (`is_workday=`, day -> True/False/None, read a
    year at a time) or, cheaper, `from_plans()` with a year -> YearPlan | None.
    """

    def __init__(
        self,
        *,
        is_workday: DayRule | None = None,
        holiday_name: DayName | None = None,
        plan_for_year: Callable[[int], YearPlan | None] | None = None,
        start: dt.time = dt.time(9, 0),
        end: dt.time = dt.time(17, 30),
        tz: str | dt.tzinfo = "Asia/Shanghai",
    ):
        if not start < end:
            raise ValueError("working hours must start before they end")
        if (is_workday is None) == (plan_for_year is None):
            raise ValueError("give either is_workday or plan_for_year")
        if plan_for_year is None:
            name = holiday_name or (lambda day: None)
            built: dict[int, YearPlan | None] = {}

            def plan_for_year(year: int) -> YearPlan | None:
                if year not in built:
                    built[year] = YearPlan.from_rule(year, is_workday, name)
                return built[year]

        self._plan_for_year = plan_for_year
        self.start = start
        self.end = end
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self._end_text = _hm(end)

    @classmethod
    def from_plans(cls, plan_for_year: Callable[[int], YearPlan | None], **hours) -> WorkCalendar:
        return cls(plan_for_year=plan_for_year, **hours)

    # --- days ---------------------------------------------------------------------------------

    def _plan(self, year: int) -> YearPlan:
        plan = self._plan_for_year(year) if dt.MINYEAR < year < dt.MAXYEAR else None
        if plan is None:
            raise _Unknown(year)
        return plan

    def _works(self, day: dt.date) -> bool:
        return self._plan(day.year).is_workday(day)

    def _nth_workday(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n ≥ 1), across years; _Unknown at a year without a schedule."""
        year = day.year
        working = self._plan(year).working
        i = bisect.bisect_right(working, day) + n - 1
        for _ in range(MAX_YEARS_AHEAD):
            if i < len(working):
                return working[i]
            i -= len(working)
            year += 1
            working = self._plan(year).working
        raise ValueError(f"no working day within {MAX_YEARS_AHEAD} years after {day}: a broken schedule")

    def _next_workday(self, day: dt.date) -> dt.date:
        return self._nth_workday(day, 1)

    # --- deadlines ----------------------------------------------------------------------------

    def deadline_after(self, start: dt.datetime, working_days: int) -> Deadline:
        """The end of working hours on the `working_days`-th working day after day 0, and why."""
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        if not 0 <= working_days <= MAX_WORKING_DAYS:
            raise ValueError(f"working_days must be within 0…{MAX_WORKING_DAYS}")
        local = start.astimezone(self.tz)
        received = local.date()
        try:
            late = False
            if self._works(received):
                late = local.time() >= self.end
                day0 = self._next_workday(received) if late else received
            else:
                day0 = self._next_workday(received)
            last = self._nth_workday(day0, working_days) if working_days else day0
        except _Unknown as unknown:
            return Deadline(
                at=None,
                explained=(
                    f"{_md(received, received.year)} {_hm(local)} 提交，加 {working_days} 个工作日；"
                    f"{unknown.year}年的节假日安排尚未公布，截止时间{PENDING}"
                ),
                pending_year=unknown.year,
            )
        at = dt.datetime.combine(last, self.end, tzinfo=self.tz)
        return Deadline(at=at, explained=self._explain(local, late, day0, working_days, last))

    def _explain(self, local: dt.datetime, late: bool, day0: dt.date, n: int, last: dt.date) -> str:
        received = local.date()
        year = received.year
        text = f"{_md(received, year)} {_hm(local)} 提交"
        if day0 != received:
            if late:
                why = f"已过 {self._end_text} 下班时间"
            elif received.weekday() >= 5 and received not in self._plan(year).holidays:
                why = f"周{WEEKDAYS[received.weekday()]}休息"
            else:
                why = "当天放假"
            text += f"（{why}），从 {_md(day0, year)} 起算"
        text += f"，加 {n} 个工作日"
        notes = self._notes(received, last, year)
        if notes:
            text += "；" + "，".join(notes)
        return f"{text} → {_md(last, year)} {self._end_text}"

    def _notes(self, first: dt.date, last: dt.date, year: int) -> list[str]:
        """Make-up workdays and holidays from receipt to deadline, in order of date."""
        events: list[tuple[dt.date, bool]] = []
        for y in range(first.year, last.year + 1):
            plan = self._plan(y)
            lo, hi = bisect.bisect_left(plan.event_days, first), bisect.bisect_right(plan.event_days, last)
            events += plan.events[lo:hi]
        if not events:
            return []
        notes: list[str] = []
        run: list[dt.date] = []

        def close_run() -> None:
            if run:
                names = "、".join(dict.fromkeys(self._plan(d.year).holidays[d] or "节假日" for d in run))
                span = _md(run[0], year) if run[0] == run[-1] else f"{_md(run[0], year)}至{_md(run[-1], year)}"
                notes.append(f"{span} {names}放假")
                run.clear()

        for day, make_up in events:
            if make_up:
                close_run()
                notes.append(f"{_md(day, year)}（周{WEEKDAYS[day.weekday()]}）调休上班")
            else:
                # Days off one holiday unless a working day lies between them.
                if run and self._nth_workday(run[-1], 1) < day:
                    close_run()
                run.append(day)
        close_run()
        return notes

    # --- working hours (reminders) ------------------------------------------------------------

    def is_working_time(self, moment: dt.datetime) -> bool | None:
        """Whether `moment` falls in working hours on a working day; None if its year is unknown."""
        local = moment.astimezone(self.tz)
        try:
            works = self._works(local.date())
        except _Unknown:
            return None
        return works and self.start <= local.time() < self.end

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime | None:
        """`moment` itself if in working hours, else the start of the next working hours; None if unknown."""
        local = moment.astimezone(self.tz)
        try:
            if self._works(local.date()):
                if local.time() < self.start:
                    return dt.datetime.combine(local.date(), self.start, tzinfo=self.tz)
                if local.time() < self.end:
                    return moment
            return dt.datetime.combine(self._next_workday(local.date()), self.start, tzinfo=self.tz)
        except _Unknown:
            return None


def _hm(t: dt.time | dt.datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"  # strftime costs ten times more, 100,000 times


def _md(day: dt.date, year: int) -> str:
    """"5月9日", with the year when it is not the year of receipt."""
    if day.year != year:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"
