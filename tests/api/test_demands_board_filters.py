"""Every figure on the overdue board opens exactly the demands it counts: GET /api/demands
with board=true and the figure's filter (a status, an official's or department's row, a
due figure) lists the same number of rows, and the right ones."""

import pytest

from test_demands import as_, cast  # noqa: F401  (fixture)
from test_demands_board import NOW, at, board, ledger, make  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Each total on the board and the list parameters that open its rows.
FIGURES = {
    "open": {"open": "true"},
    "overdue": {"due": "overdue"},
    "due_today": {"due": "due_today"},
    "due_soon": {"due": "due_soon"},
    "pending_calendar": {"due": "pending_calendar"},
}


def listed(user, **params):
    with at(NOW):
        response = as_(user).get("/api/demands", {"board": "true", "limit": 200, **params})
    assert response.status_code == 200, response.content
    return response.json()


def ids(page):
    return {d["id"] for d in page["items"]}


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_it_lists_as_many_demands_as_each_board_figure_counts(cast, ledger, who):
    b = board(cast[who])
    for figure, params in FIGURES.items():
        assert listed(cast[who], **params)["count"] == b[figure], figure
    for row in b["by_status"]:
        assert listed(cast[who], **row["filter"])["count"] == row["count"], row["status"]
    for row in b["officials"]:
        for figure, params in FIGURES.items():
            assert listed(cast[who], **params, **row["filter"])["count"] == row[figure], (row["name"], figure)


def test_it_opens_the_totals_of_a_department_an_admin_drilled_into(cast, ledger):
    unit = cast["staff"].org_unit_id
    with at(NOW):
        b = as_(cast["admin"]).get("/api/demands/board", {"unit_id": unit}).json()
    for figure, params in FIGURES.items():
        assert listed(cast["admin"], board_unit_id=unit, **params)["count"] == b[figure], figure
    for row in b["by_status"]:
        assert listed(cast["admin"], board_unit_id=unit, **row["filter"])["count"] == row["count"], row["status"]


def test_it_opens_exactly_the_overdue_demands_behind_the_figure(cast, ledger):
    expected = {ledger[k].id for k in ("s_over1", "s_over2", "t1", "t2", "t3")}
    page = listed(cast["manager"], due="overdue")
    assert ids(page) == expected
    deadlines = [d["deadline"] for d in page["items"]]
    assert deadlines == sorted(deadlines), "the earliest deadline comes first"


def test_it_opens_a_rows_due_soon_and_due_today_figures(cast, ledger):
    s = cast["assignee"]
    assert ids(listed(cast["manager"], due="due_today", assignee_id=s.id)) == {ledger["s_today"].id}
    assert ids(listed(cast["manager"], due="due_soon", assignee_id=s.id)) == {ledger["s_today"].id, ledger["s_soon"].id}
    assert ids(listed(cast["manager"], due="pending_calendar")) == {ledger["s_pending_cal"].id}
    unit = cast["staff"].org_unit
    assert ids(listed(cast["manager"], assignee_unit_id=unit.id)) == {ledger["unit"].id}


def test_it_leaves_out_a_demand_the_manager_handed_elsewhere_from_the_board_list(cast, ledger):
    other = ledger["o1"]
    # The manager took a step on another team's demand: they see it, the board does not count it.
    from backend.demands.models import DemandTransition

    DemandTransition.objects.create(demand=other, actor=cast["manager"], action="assign", from_status="pending", to_status="assigned")
    with at(NOW):
        plain = as_(cast["manager"]).get("/api/demands", {"overdue": "true", "limit": 200}).json()
    assert other.id in ids(plain)
    assert other.id not in ids(listed(cast["manager"], due="overdue"))


@pytest.mark.parametrize("role", ["staff", "enterprise"])
def test_it_refuses_the_board_list_to_those_without_a_board(cast, role):
    with at(NOW):
        response = as_(cast[role]).get("/api/demands", {"board": "true"})
    assert response.status_code == 403
    assert "督办看板" in response.json()["detail"]


def test_it_refuses_an_unknown_due_figure(cast):
    with at(NOW):
        response = as_(cast["manager"]).get("/api/demands", {"due": "tomorrow"})
    assert response.status_code == 422
