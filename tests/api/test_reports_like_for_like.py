"""Manager figures compared like with like (issue 12, "What a user hit"): on the 1st of a
month the partial month was compared with whole months (red ↓98.7 %), and months before
the town had any data were counted as 0."""

import datetime as dt

import pytest
import time_machine

from test_reports import TZ, make_visit, series

pytestmark = pytest.mark.django_db

DEC_2 = dt.datetime(2026, 12, 2, 15, 0, tzinfo=TZ)


def visits_on(users, enterprise, *days):
    for day in days:
        make_visit(users["staff"], enterprise, dt.datetime(*day, 10, 0, tzinfo=TZ))


def test_it_compares_this_month_so_far_with_the_same_days_of_last_month(client, users, enterprise):
    # November: two visits on its first two days, five later on; December so far: two.
    visits_on(users, enterprise, (2026, 11, 1), (2026, 11, 2), *[(2026, 11, 20 + i) for i in range(5)], (2026, 12, 1), (2026, 12, 2))
    client.login_as("demo_manager")
    with time_machine.travel(DEC_2, tick=False):
        board = client.get("/api/reports/dashboard", {"month": "2026-12"}).json()
        november = client.get("/api/reports/dashboard", {"month": "2026-11"}).json()
    visits = board["visits"]
    # 本月至今 (2 days) against 上月同期 (November 1–2), not against November's 7.
    assert (visits["value"], visits["previous"], visits["days"], visits["mom_pct"]) == (2, 2, 2, 0.0)
    # A whole month stays a whole month.
    assert (november["visits"]["value"], november["visits"]["days"]) == (7, None)


def test_it_compares_the_first_days_of_a_longer_month_with_all_of_a_shorter_one(client, users, enterprise):
    visits_on(users, enterprise, (2026, 2, 27), (2026, 2, 28), (2026, 3, 30))
    client.login_as("demo_manager")
    with time_machine.travel(dt.datetime(2026, 3, 30, 12, 0, tzinfo=TZ), tick=False):
        march = series(client, metric="visits", granularity="month", date_from="2026-03-01", date_to="2026-03-31")["2026-03"]
    # 30 days of March against February's 28: there are no more February days to take.
    assert (march["value"], march["previous"], march["days"]) == (1, 2, 30)


def test_it_leaves_months_before_the_first_record_and_after_today_without_a_value(client, users, enterprise):
    visits_on(users, enterprise, (2026, 10, 15), (2026, 11, 3))
    client.login_as("demo_manager")
    with time_machine.travel(DEC_2, tick=False):
        s = series(client, metric="visits", granularity="month", date_from="2026-08-01", date_to="2027-01-31")
    # Before October the town had no data: unknown, not zero — and no 同比 against it.
    assert [s[m]["value"] for m in ("2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01")] == [None, None, 1, 1, 0, None]
    assert all(p["last_year"] is None and p["yoy_pct"] is None for p in s.values())
    assert s["2026-10"]["previous"] is None and s["2026-10"]["mom_pct"] is None
    assert s["2026-11"]["mom_pct"] == 0.0
