"""The overdue board (GET /api/demands/board): figures against hand counts, scope, 待日历确认,
and the on-time rate's edge — resolved exactly at the deadline is on time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backend.demands.models import Demand

from test_demands import act, as_, cast, demand_in, raise_  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=CST)  # a Wednesday; Nov 23 is the 3rd working day after


def at(moment):
    return time_machine.travel(moment, tick=False)


def make(cast, *, status, assignee=None, unit=None, deadline=None, resolved=None, on_time=None, raised_by=None, channel="phone"):
    return Demand.objects.create(
        enterprise=_ent(cast),
        category="labour", description="招工", channel=channel, raised_by=raised_by or cast["manager"],
        assignee=assignee, assignee_unit=unit, status=status, deadline=deadline,
        deadline_explained="" if deadline or status == "pending" else "待日历确认",
        first_resolved_at=resolved, resolved_on_time=on_time,
    )


def _ent(cast):
    from backend.enterprises.models import Enterprise

    return Enterprise.objects.exclude(id=cast["other_ent"].id).first()


def H(hours):
    return NOW + dt.timedelta(hours=hours)


@pytest.fixture
def ledger(cast):
    s, t, o, team = cast["assignee"], cast["teammate"], cast["other_staff"], cast["staff"].org_unit
    rows = {
        # our staff member: 2 overdue, 1 due today, 1 due in 3 working days, 1 later, 1 待日历确认
        "s_over1": make(cast, status="handling", assignee=s, deadline=H(-30)),
        "s_over2": make(cast, status="assigned", assignee=s, deadline=H(-1)),
        "s_today": make(cast, status="verifying", assignee=s, deadline=H(7.5)),
        "s_soon": make(cast, status="handling", assignee=s, deadline=dt.datetime(2026, 11, 23, 17, 30, tzinfo=CST)),
        "s_later": make(cast, status="handling", assignee=s, deadline=dt.datetime(2026, 11, 30, 17, 30, tzinfo=CST)),
        "s_pending_cal": make(cast, status="assigned", assignee=s),
        # this month's first resolutions: one on time, one late, one without a deadline
        "s_res_ok": make(cast, status="closed", assignee=s, deadline=H(-50), resolved=H(-60), on_time=True),
        "s_res_late": make(cast, status="resolved", assignee=s, deadline=H(-50), resolved=H(-40), on_time=False),
        "s_res_nocal": make(cast, status="resolved", assignee=s, resolved=H(-40), on_time=None),
        # last month's resolution: not in this month's rate
        "s_res_old": make(cast, status="closed", assignee=s, deadline=H(-900), resolved=H(-1000), on_time=True),
        # teammate: 3 overdue (sorted first); the team's department: 1 open
        "t1": make(cast, status="handling", assignee=t, deadline=H(-5)),
        "t2": make(cast, status="handling", assignee=t, deadline=H(-6)),
        "t3": make(cast, status="handling", assignee=t, deadline=H(-7)),
        "unit": make(cast, status="assigned", unit=team, deadline=H(200)),
        # another team: never on our manager's board
        "o1": make(cast, status="handling", assignee=o, deadline=H(-5), raised_by=o),
        "o_pending": make(cast, status="pending", raised_by=o, channel="visit"),
        # the intake queue (app/phone, 待交办) is every manager's; our team's visit demand too
        "intake": make(cast, status="pending", raised_by=cast["enterprise"], channel="app"),
        "ours_pending": make(cast, status="pending", raised_by=s, channel="visit"),
    }
    return rows


def board(user):
    with at(NOW):
        response = as_(user).get("/api/demands/board")
    assert response.status_code == 200, response.content
    return response.json()


def test_it_matches_hand_counts_for_a_manager(cast, ledger):
    b = board(cast["manager"])
    counts = {row["status"]: row["count"] for row in b["by_status"]}
    assert counts == {"pending": 2, "assigned": 3, "verifying": 1, "handling": 6, "resolved": 2, "closed": 2}
    assert (b["open"], b["overdue"], b["due_today"], b["due_soon"], b["pending_calendar"]) == (10, 5, 1, 2, 1)
    assert (b["month_resolved"], b["month_on_time"], b["month_late"], b["month_no_deadline"]) == (3, 1, 1, 1)
    assert b["month_on_time_rate"] == 50.0
    first, second = b["officials"][0], b["officials"][1]
    assert (first["name"], first["overdue"], first["open"]) == (cast["teammate"].shown_name, 3, 3)
    assert (second["id"], second["open"], second["overdue"], second["pending_calendar"]) == (cast["assignee"].id, 6, 2, 1)
    assert second["on_time_rate"] == 50.0 and second["no_deadline"] == 1
    unit_row = next(r for r in b["officials"] if r["kind"] == "unit")
    assert unit_row["name"] == cast["staff"].org_unit.name and unit_row["filter"] == {"assignee_unit_id": unit_row["id"]}
    assert all(r["id"] != cast["other_staff"].id for r in b["officials"])
    # The totals are the rows' sums: a figure and its breakdown cannot disagree.
    for name in ("open", "overdue", "due_today", "due_soon", "pending_calendar"):
        assert b[name] == sum(r[name] for r in b["officials"])
    assert set(b["explain"]) >= {"overdue", "due_today", "due_soon", "pending_calendar", "on_time_rate", "by_status"}
    assert "待日历确认" in b["explain"]["pending_calendar"]


def test_it_shows_an_admin_every_desk_one_row_per_department(cast, ledger):
    b = board(cast["admin"])
    assert b["overdue"] == 6 and b["rows_are_units"] is True
    assert {row["status"]: row["count"] for row in b["by_status"]}["pending"] == 3
    by_unit = {r["id"]: r for r in b["officials"]}
    ours, theirs = by_unit[cast["staff"].org_unit_id], by_unit[cast["other_staff"].org_unit_id]
    # Our department's row: its own desk (1) and its officials' (6 + 3) together.
    assert (ours["kind"], ours["name"], ours["open"], ours["overdue"]) == ("unit", cast["staff"].org_unit.name, 10, 5)
    assert ours["filter"] == {"desk_unit_id": ours["id"]} and (theirs["open"], theirs["overdue"]) == (1, 1)
    assert b["open"] == sum(r["open"] for r in b["officials"])


def test_it_opens_one_department_for_an_admin_as_its_manager_sees_it(cast, ledger):
    with at(NOW):
        unit = as_(cast["admin"]).get("/api/demands/board", {"unit_id": cast["staff"].org_unit_id}).json()
    mine = board(cast["manager"])
    assert unit["rows_are_units"] is False and unit["officials"] == mine["officials"]
    assert (unit["open"], unit["overdue"]) == (mine["open"], mine["overdue"])
    with at(NOW):
        assert as_(cast["admin"]).get("/api/demands/board", {"unit_id": 999999}).status_code == 404
        refused = as_(cast["manager"]).get("/api/demands/board", {"unit_id": cast["other_staff"].org_unit_id})
    assert refused.status_code == 403 and "本单位" in refused.json()["detail"]


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_it_opens_exactly_the_rows_a_board_figure_counts(cast, ledger, who):
    b = board(cast[who])
    with at(NOW):
        for row in b["officials"]:
            for figure, flag in (("open", "open"), ("overdue", "overdue")):
                listed = as_(cast[who]).get("/api/demands", {flag: "true", **row["filter"], "limit": 200}).json()
                assert listed["count"] == row[figure], (row, figure)


def test_it_shows_the_other_manager_only_their_team(cast, ledger):
    b = board(cast["other_manager"])
    assert (b["overdue"], b["open"]) == (1, 1)
    assert [r["id"] for r in b["officials"]] == [cast["other_staff"].id]


@pytest.mark.parametrize("role", ["staff", "enterprise", "owner"])
def test_it_refuses_the_board_to_non_managers(cast, role):
    assert as_(cast[role]).get("/api/demands/board").status_code == 403


def test_it_refuses_the_board_to_anonymous(cast):
    assert as_(None).get("/api/demands/board").status_code == 401


def test_it_never_counts_a_pending_calendar_deadline_as_overdue_or_on_time(cast, ledger):
    b = board(cast["manager"])
    row = next(r for r in b["officials"] if r["id"] == cast["assignee"].id)
    assert row["pending_calendar"] == 1 and row["overdue"] == 2  # the null deadline is in neither
    assert row["on_time"] == 1 and row["no_deadline"] == 1


def _deadline_of(d):
    return Demand.objects.get(id=d).deadline


def test_it_counts_a_demand_resolved_exactly_at_its_deadline_as_on_time(cast):
    with at(dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST)):
        d = demand_in(cast, "handling")
    deadline = _deadline_of(d)
    with at(deadline):
        assert act(cast["assignee"], d, "resolve", {"resolution": "已解决"}).status_code == 200
    demand = Demand.objects.get(id=d)
    assert demand.first_resolved_at == deadline and demand.resolved_on_time is True
    with at(deadline + dt.timedelta(minutes=1)):
        b = as_(cast["manager"]).get("/api/demands/board").json()
    assert (b["month_on_time"], b["month_late"], b["month_on_time_rate"]) == (1, 0, 100.0)


def test_it_counts_a_microsecond_late_first_resolution_as_late_and_keeps_it_after_a_reopening(cast):
    with at(dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST)):
        d = demand_in(cast, "handling")
    deadline = _deadline_of(d)
    with at(deadline + dt.timedelta(microseconds=1)):
        act(cast["assignee"], d, "resolve", {"resolution": "已解决"})
    with at(deadline + dt.timedelta(days=1)):
        assert act(cast["enterprise"], d, "rate", {"rating": "unsatisfied"}).status_code == 200
    with at(deadline + dt.timedelta(days=2)):
        act(cast["assignee"], d, "resolve", {"resolution": "再次办理"})
    demand = Demand.objects.get(id=d)
    # The first 已办结 is what is judged; the second, well within the new deadline, changes nothing.
    assert demand.first_resolved_at == deadline + dt.timedelta(microseconds=1) and demand.resolved_on_time is False


def test_it_leaves_due_soon_empty_when_three_working_days_reach_an_unknown_year(cast):
    with at(dt.datetime(2026, 12, 29, 10, 0, tzinfo=CST)):
        b = as_(cast["manager"]).get("/api/demands/board").json()
    assert b["due_soon"] is None and "待日历确认" in b["explain"]["due_soon"]


def test_it_refuses_unknown_query_parameters(cast):
    assert as_(cast["manager"]).get("/api/demands/board", {"x": "1"}).status_code == 422


# --- demands in the team report and trends --------------------------------------------------


def test_it_counts_each_staff_members_demands_in_the_team_report_and_trends(cast):
    from backend.demands.models import DemandTransition

    s, o = cast["assignee"], cast["other_staff"]
    nov = lambda d, h=10: dt.datetime(2026, 11, d, h, tzinfo=CST)  # noqa: E731
    rows = [
        make(cast, status="handling", assignee=s, deadline=nov(5)),  # missed (open)
        make(cast, status="resolved", assignee=s, deadline=nov(5), resolved=nov(6), on_time=False),  # missed, resolved late
        make(cast, status="closed", assignee=s, deadline=nov(5), resolved=nov(5), on_time=True),  # met exactly
        make(cast, status="handling", assignee=s),  # 待日历确认: never overdue
        make(cast, status="handling", assignee=o, deadline=nov(5)),  # another team's
    ]
    for d in rows:
        DemandTransition.objects.create(demand=d, actor=cast["manager"], at=nov(2), action="assign", from_status="pending", to_status="assigned")
    with at(NOW):
        report = as_(cast["manager"]).get("/api/reports/team", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()
        trend = as_(cast["manager"]).get(
            "/api/reports/trends", {"date_from": "2026-11-01", "date_to": "2026-11-30", "metric": "demands_resolved"}
        ).json()
        missed = as_(cast["admin"]).get(
            "/api/reports/trends", {"date_from": "2026-11-01", "date_to": "2026-11-30", "metric": "demands_overdue"}
        ).json()
    mine = next(r for r in report["rows"] if r["staff_id"] == s.id)
    assert (mine["demands_assigned"], mine["demands_resolved"], mine["demands_overdue"]) == (4, 2, 2)
    assert report["totals"]["demands_overdue"] == 2 and all(r["staff_id"] != o.id for r in report["rows"])
    assert trend["series"][0]["value"] == 2
    assert missed["series"][0]["value"] == 3
