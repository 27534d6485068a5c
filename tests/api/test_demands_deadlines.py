"""A demand's deadline: counted in working days when it is assigned, explained, recounted.

The engine's own arithmetic is proven in tests/workdays; here: that the ledger uses it
at the right moments (assignment, reopening) and follows a corrected holiday schedule.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apisupport import run_tasks
from backend.demands.models import Demand
from backend.workdays.selectors import schedule_cache_clear

from test_demands import act, as_, cast, demand_in, raise_  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=CST), tick=False)


def test_it_counts_the_deadline_from_the_assignment_in_working_days(cast):
    # The issue's own example: Friday 2026-05-08 16:00 + 3 working days; Saturday 05-09
    # is a make-up working day (调休) after 劳动节.
    with at(2026, 5, 8, 16, 0):
        d = raise_(cast["enterprise"])["id"]
        body = act(cast["manager"], d, "assign", {"assignee_id": cast["assignee"].id, "working_days": 3}).json()
    deadline = dt.datetime.fromisoformat(body["deadline"]).astimezone(CST)
    assert deadline == dt.datetime(2026, 5, 12, 17, 30, tzinfo=CST)
    assert body["deadline_explained"] == "5月8日 16:00 提交，加 3 个工作日；5月9日（周六）调休上班 → 5月12日 17:30"


def test_it_uses_the_default_time_limit_when_none_is_given(cast, settings):
    settings.DEMAND_WORKING_DAYS = 2
    with at(2026, 11, 2, 10, 0):  # a Monday
        d = raise_(cast["enterprise"])["id"]
        body = act(cast["manager"], d, "assign", {"assignee_id": cast["assignee"].id}).json()
    assert dt.datetime.fromisoformat(body["deadline"]).astimezone(CST) == dt.datetime(2026, 11, 4, 17, 30, tzinfo=CST)
    demand = Demand.objects.get(id=d)
    assert demand.working_days == 2 and demand.deadline_from is not None


@pytest.mark.parametrize("days", [0, 61, -1, 1.5, "五"])
def test_it_refuses_a_time_limit_out_of_bounds(cast, days):
    d = raise_(cast["enterprise"])["id"]
    response = act(cast["manager"], d, "assign", {"assignee_id": cast["assignee"].id, "working_days": days})
    assert response.status_code == 422
    assert Demand.objects.get(id=d).status == "pending" and Demand.objects.get(id=d).deadline is None


def test_it_has_no_deadline_before_assignment(cast):
    body = raise_(cast["enterprise"])
    assert body["deadline"] is None


def test_it_starts_the_clock_again_when_the_enterprise_reopens_it(cast):
    with at(2026, 11, 2, 10, 0):
        d = demand_in(cast, "resolved")
    first = Demand.objects.get(id=d).deadline
    with at(2026, 11, 20, 11, 0):  # a Friday
        assert act(cast["enterprise"], d, "rate", {"rating": "unsatisfied"}).status_code == 200
    demand = Demand.objects.get(id=d)
    assert demand.status == "handling" and demand.deadline > first
    assert demand.deadline.astimezone(CST).date() == dt.date(2026, 11, 27)  # 5 working days later


def test_it_says_pending_for_an_unknown_year_and_recounts_when_an_admin_enters_it(cast):
    # 2026-12-29 + 5 working days runs into 2027, which chinesecalendar 1.11.0 does not know.
    with at(2026, 12, 29, 10, 0):
        d = raise_(cast["enterprise"])["id"]
        body = act(cast["manager"], d, "assign", {"assignee_id": cast["assignee"].id}).json()
    assert body["deadline"] is None and "待日历确认" in body["deadline_explained"]
    # A closed demand keeps what it had: only open ones are recounted.
    with at(2026, 12, 29, 10, 0):
        closed = demand_in(cast, "closed")
    closed_before = Demand.objects.values_list("deadline_explained", flat=True).get(id=closed)

    schedule = {
        "holidays": [{"date": "2027-01-01", "name": "元旦"}, {"date": "2027-01-04", "name": "元旦"}],
        "workdays": [],
    }
    admin = as_(cast["admin"])
    response = admin.put("/api/workdays/2027", schedule, content_type="application/json", HTTP_X_CSRFTOKEN=admin.token())
    assert response.status_code == 200, response.content
    schedule_cache_clear()
    assert run_tasks() >= 1
    recounted = as_(cast["manager"]).get(f"/api/demands/{d}").json()
    # 12-29 is day 0; 12-30, 12-31, (01-01 holiday, weekend, 01-04 holiday) 01-05, 01-06, 01-07.
    assert dt.datetime.fromisoformat(recounted["deadline"]).astimezone(CST) == dt.datetime(2027, 1, 7, 17, 30, tzinfo=CST)
    assert "元旦" in recounted["deadline_explained"]
    assert Demand.objects.values_list("deadline_explained", flat=True).get(id=closed) == closed_before
