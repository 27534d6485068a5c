"""Issue 13, acceptance 1: the deadline engine agrees 100 % with an independent computation.

The independent one is deliberately naive and shares nothing with the engine but
the rule's wording: every working day of 2020–2026 is listed by asking
chinese_calendar.is_workday about each date, local time is UTC plus 8 hours by
plain arithmetic (China has had no daylight saving since 1991), day 0 is found by
bisecting the list and the deadline is an index N places further on. The engine
walks day by day from its own per-year schedules and zoneinfo.
"""

import bisect
import datetime as dt
import random

import chinese_calendar

from backend.workdays.engine import WorkCalendar, official_plan

SEED = 20261202
CASES = 100_000
UTC = dt.timezone.utc
END = dt.time(17, 30)

# Every working day from 2020 to 2026, one is_workday question per date.
FIRST, LAST = dt.date(2020, 1, 1), dt.date(2026, 12, 31)
ALL_DAYS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
WORKING = [d for d in ALL_DAYS if chinese_calendar.is_workday(d)]
MAKE_UP = {d for d in WORKING if d.weekday() >= 5}
WEEKDAY_OFF = {d for d in set(ALL_DAYS) - set(WORKING) if d.weekday() < 5}


def naive_deadline(start: dt.datetime, n: int) -> dt.datetime | None:
    local = start.astimezone(UTC).replace(tzinfo=None) + dt.timedelta(hours=8)
    day = local.date()
    i = bisect.bisect_left(WORKING, day)
    if i < len(WORKING) and WORKING[i] == day and local.time() >= END:
        i += 1  # after hours: the next working day is day 0
    # Otherwise WORKING[i] is the receipt day itself (a working day) or the next one.
    if i + n >= len(WORKING):
        return None  # past 2026: nobody knows 2027's working days yet
    return dt.datetime.combine(WORKING[i + n], END, tzinfo=UTC) - dt.timedelta(hours=8)


def random_starts(rng: random.Random):
    zones = [UTC, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=9, minutes=30))]
    first = dt.datetime(2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
    last = dt.datetime(2027, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
    edges = [dt.time(0, 0), dt.time(9, 0), dt.time(17, 30), dt.time(17, 29, 59, 999999), dt.time(23, 59, 59)]
    for _ in range(CASES):
        moment = dt.datetime.fromtimestamp(rng.uniform(first, last), tz=rng.choice(zones))
        if rng.random() < 0.15:  # one case in seven exactly on a boundary of the local day
            local = moment.astimezone(dt.timezone(dt.timedelta(hours=8)))
            moment = dt.datetime.combine(local.date(), rng.choice(edges), tzinfo=local.tzinfo).astimezone(moment.tzinfo)
        yield moment, rng.choice([0, 1, 1, 2, 2, 3, 5, 5, 10, 15, 20])


def _crosses(days: list[dt.date], first: dt.date, last: dt.date) -> bool:
    return bisect.bisect_left(days, first) < bisect.bisect_right(days, last)


def test_it_agrees_with_a_naive_computation_over_100000_random_starts():
    calendar = WorkCalendar.from_plans({y: official_plan(y) for y in range(2019, 2028)}.get)
    starts = list(random_starts(random.Random(SEED)))
    deadlines = [calendar.deadline_after(start, n) for start, n in starts]
    disagreements, pending, crossed_make_up, crossed_holiday, both = [], 0, 0, 0, 0
    make_up, weekday_off = sorted(MAKE_UP), sorted(WEEKDAY_OFF)
    for (start, n), engine in zip(starts, deadlines):
        expected = naive_deadline(start, n)
        if engine.at != expected:
            disagreements.append((start.isoformat(), n, engine.at, expected, engine.explained))
            continue
        if expected is None:
            pending += 1
            assert "待日历确认" in engine.explained and "2027年" in engine.explained
            continue
        first, last = start.astimezone(calendar.tz).date(), expected.astimezone(calendar.tz).date()
        a, b = _crosses(make_up, first, last), _crosses(weekday_off, first, last)
        crossed_make_up, crossed_holiday, both = crossed_make_up + a, crossed_holiday + b, both + (a and b)
    assert disagreements == [], f"{len(disagreements)} disagreements, first: {disagreements[:3]}"
    # Both kinds of 调休 were crossed, many times over: a weekday holiday and a weekend make-up day.
    assert crossed_make_up > 5_000 and crossed_holiday > 10_000 and both > 3_000, (crossed_make_up, crossed_holiday, both)
    assert pending > 50  # starts in the last days of 2026 whose deadline falls in unknown 2027


def test_it_finds_the_independent_list_covers_both_kinds_of_adjustment():
    assert len(MAKE_UP) > 30 and len(WEEKDAY_OFF) > 60
    assert dt.date(2026, 5, 9) in MAKE_UP and dt.date(2026, 10, 1) in WEEKDAY_OFF
