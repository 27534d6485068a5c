"""Chinese working days, including adjusted make-up workdays (调休).

The State Council publishes each year's schedule in the autumn before; the
`chinesecalendar` package carries it. For a year it doesn't know yet we fall
back to Monday–Friday and say so in the log, rather than failing a check-in.
"""

import datetime as dt
import logging

import chinese_calendar

log = logging.getLogger(__name__)


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        log.warning("No official holiday schedule for %s; assuming Monday–Friday", day.year)
        return day.weekday() < 5


def add_workdays(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (a deadline of "2 working days")."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count -= 1
    return day
