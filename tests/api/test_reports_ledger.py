"""The demands ledger in the manager's dashboard (issue 13 item 7): beside the demands
collected on visits, the month's first resolutions and missed deadlines, scoped like the
team report's desk columns (an official of the manager's unit)."""

import datetime as dt

import pytest

from test_demands import as_, cast  # noqa: F401  (fixture)
from test_demands_board import CST, NOW, at, make

pytestmark = pytest.mark.django_db


def test_it_counts_the_ledgers_resolutions_and_missed_deadlines_on_the_dashboard(cast):
    s, o = cast["assignee"], cast["other_staff"]
    nov = lambda d, h=10: dt.datetime(2026, 11, d, h, tzinfo=CST)  # noqa: E731
    make(cast, status="handling", assignee=s, deadline=nov(5))  # missed, still open
    make(cast, status="resolved", assignee=s, deadline=nov(5), resolved=nov(6), on_time=False)  # missed, resolved late
    make(cast, status="closed", assignee=s, deadline=nov(5), resolved=nov(5), on_time=True)  # met exactly
    make(cast, status="handling", assignee=s)  # 待日历确认: never overdue
    make(cast, status="handling", assignee=o, deadline=nov(5))  # another team's
    make(cast, status="closed", assignee=s, deadline=dt.datetime(2026, 10, 5, 10, tzinfo=CST), resolved=dt.datetime(2026, 10, 4, tzinfo=CST), on_time=True)
    with at(NOW):
        mine = as_(cast["manager"]).get("/api/reports/dashboard", {"month": "2026-11"})
        every = as_(cast["admin"]).get("/api/reports/dashboard", {"month": "2026-11"})
    assert mine.status_code == 200, mine.content
    mine, every = mine.json(), every.json()
    assert (mine["demands_resolved"]["value"], mine["demands_overdue"]["value"]) == (2, 2)
    assert mine["demands_resolved"]["previous"] == 1  # October's first resolution, for 环比
    assert every["demands_overdue"]["value"] == 3
