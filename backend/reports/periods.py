"""Periods and their comparisons: month-on-month (环比) and year-on-year (同比)."""

import datetime as dt


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def period_start(day: dt.date, granularity: str) -> dt.date:
    return month_start(day) if granularity == "month" else week_start(day)


def periods(date_from: dt.date, date_to: dt.date, granularity: str) -> list[dt.date]:
    """Start dates of every period that overlaps [date_from, date_to]."""
    out, current = [], period_start(date_from, granularity)
    while current <= date_to:
        out.append(current)
        current = add_months(current, 1) if granularity == "month" else current + dt.timedelta(days=7)
    return out


def previous_period(start: dt.date, granularity: str) -> dt.date:
    return add_months(start, -1) if granularity == "month" else start - dt.timedelta(days=7)


def same_period_last_year(start: dt.date, granularity: str) -> dt.date:
    # Weeks: 52 weeks back lands on the same weekday in the same season.
    return add_months(start, -12) if granularity == "month" else start - dt.timedelta(weeks=52)


def change_pct(current: float | None, base: float | None) -> float | None:
    """Percentage change, or None when there is nothing to compare with (no data, or a zero base)."""
    if current is None or base is None or base == 0:
        return None
    return round((current - base) / base * 100, 1)
