"""GET/PUT /api/workdays/{year}: where a year's schedule comes from, and an admin entering 2027."""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from apisupport import ApiClient, run_tasks
from backend.workdays import hooks, selectors
from backend.workdays.models import YearSchedule

pytestmark = pytest.mark.django_db

CST = dt.timezone(dt.timedelta(hours=8))

# 2027 as a State Council notice might have it (invented for the test).
SCHEDULE_2027 = {
    "holidays": [{"date": "2027-01-01", "name": "元旦"}]
    + [{"date": f"2027-02-{d:02d}", "name": "春节"} for d in range(5, 14)]
    + [{"date": f"2027-10-{d:02d}", "name": "国庆节"} for d in range(1, 8)],
    "workdays": ["2027-02-20", "2027-09-26", "2027-10-09"],
}


def admin_client(users) -> ApiClient:
    client = ApiClient()
    client.force_login(users["admin"])
    return client


def put(client: ApiClient, year, body):
    return client.put(f"/api/workdays/{year}", body, content_type="application/json", HTTP_X_CSRFTOKEN=client.token())


def test_it_says_2026_comes_from_chinesecalendar_and_2027_from_nowhere(users):
    client = ApiClient()
    client.force_login(users["staff"])
    body = client.get("/api/workdays/2026").json()
    assert body["source"] == "official" and body["source_label"] == "官方(chinesecalendar)"
    assert {"date": "2026-05-01", "name": "劳动节"} in body["holidays"] and "2026-05-09" in body["workdays"]
    body = client.get("/api/workdays/2027").json()
    assert (body["source"], body["source_label"], body["holidays"], body["official_known"]) == ("none", "无", [], False)


def test_it_lets_an_admin_enter_2027_and_the_pending_deadline_resolves(users):
    start = dt.datetime(2026, 12, 29, 10, 0, tzinfo=CST)
    assert selectors.deadline_after(start=start, working_days=5).at is None
    response = put(admin_client(users), 2027, SCHEDULE_2027)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["source"] == "admin" and body["source_label"] == "管理员录入" and body["updated_by"]
    assert body["holidays"][0] == {"date": "2027-01-01", "name": "元旦"} and body["workdays"][0] == "2027-02-20"
    deadline = selectors.deadline_after(start=start, working_days=5)
    assert deadline.at == dt.datetime(2027, 1, 6, 17, 30, tzinfo=CST)
    assert "2027年1月1日 元旦放假" in deadline.explained
    # A make-up Saturday of 2027 now counts.
    assert selectors.is_working_time(moment=dt.datetime(2027, 2, 20, 10, 0, tzinfo=CST)) is True


def test_it_lets_an_admin_entry_override_chinesecalendar(users):
    assert put(admin_client(users), 2026, {"holidays": [{"date": "2026-05-01", "name": "劳动节"}], "workdays": []}).status_code == 200
    assert selectors.year_source(2026) == "admin"
    assert selectors.is_workday_or_weekday(dt.date(2026, 5, 9)) is False  # the make-up Saturday is gone
    assert selectors.is_workday_or_weekday(dt.date(2026, 5, 4)) is True


@pytest.mark.parametrize("role", ["staff", "manager", "enterprise", "owner"])
def test_it_refuses_the_entry_to_everyone_but_admins(users, role):
    client = ApiClient()
    client.force_login(users[role])
    response = put(client, 2027, SCHEDULE_2027)
    assert response.status_code == 403 and "管理员" in response.json()["detail"]
    assert not YearSchedule.objects.exists()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"holidays": [{"date": "2028-01-01", "name": "元旦"}], "workdays": []}, "不在 2027 年内"),
        ({"holidays": [], "workdays": ["2026-12-26"]}, "不在 2027 年内"),
        ({"holidays": [{"date": "2027-02-20", "name": "春节"}], "workdays": ["2027-02-20"]}, "不能既放假又调休上班"),
        ({"holidays": [{"date": "2027-01-01", "name": "元旦"}] * 2, "workdays": []}, "重复"),
        ({"holidays": [], "workdays": ["2027-02-22"]}, "应为周六或周日"),
    ],
)
def test_it_refuses_an_inconsistent_schedule(users, body, says):
    response = put(admin_client(users), 2027, body)
    assert response.status_code == 422 and says in response.content.decode()
    assert not YearSchedule.objects.exists()


@pytest.mark.parametrize(
    ("year", "body"),
    [
        (1999, SCHEDULE_2027),
        (2101, SCHEDULE_2027),
        (2027, SCHEDULE_2027 | {"extra": 1}),
        (2027, {"holidays": [{"date": "2027-01-01", "name": "元\x00旦"}], "workdays": []}),
        (2027, {"holidays": [{"date": "2027-01-01", "name": "元" * 21}], "workdays": []}),
        (2027, {"holidays": [{"date": "2027-01-01", "name": ""}], "workdays": []}),
        (2027, {"holidays": [], "workdays": ["2027-01-02"] * 21}),
        (2027, {"holidays": [{"date": "2027-01-01", "name": "元旦"}] * 61, "workdays": []}),
    ],
)
def test_it_refuses_out_of_bounds_input(users, year, body):
    assert put(admin_client(users), year, body).status_code == 422
    assert not YearSchedule.objects.exists()


def test_it_recomputes_deadlines_through_every_registered_hook(users):
    calls = []

    def dummy_hook(*, years):
        calls.append(years)
        return 3

    hooks.register_recompute(dummy_hook)
    try:
        put(admin_client(users), 2027, SCHEDULE_2027)
        assert calls == []  # a worker does it, after the entry commits
        assert DBTaskResult.objects.filter(task_path="backend.workdays.tasks.recompute_deadlines").count() == 1
        assert run_tasks() == 1
        assert calls == [[2027]]
        result = DBTaskResult.objects.get(task_path="backend.workdays.tasks.recompute_deadlines")
        assert result.status == "SUCCESSFUL"
    finally:
        hooks.unregister_recompute(dummy_hook)


def test_it_lets_the_recompute_see_the_new_schedule_at_once(users):
    seen = []

    def hook(*, years):
        seen.append(selectors.deadline_after(start=dt.datetime(2026, 12, 29, 10, tzinfo=CST), working_days=5).at)

    selectors.deadline_after(start=dt.datetime(2026, 12, 29, 10, tzinfo=CST), working_days=5)  # caches "unknown"
    hooks.register_recompute(hook)
    try:
        put(admin_client(users), 2027, SCHEDULE_2027)
        run_tasks()
    finally:
        hooks.unregister_recompute(hook)
    assert seen == [dt.datetime(2027, 1, 6, 17, 30, tzinfo=CST)]


def test_it_runs_the_other_hooks_when_one_fails_and_then_fails_the_task():
    calls = []

    def broken(*, years):
        raise RuntimeError("boom")

    def fine(*, years):
        calls.append(years)
        return 1

    for fn in (broken, fine):
        hooks.register_recompute(fn)
    try:
        with pytest.raises(RuntimeError, match="broken"):
            hooks.recompute_all(years=[2027])
    finally:
        for fn in (broken, fine):
            hooks.unregister_recompute(fn)
    assert calls == [[2027]]


def test_it_keeps_the_lenient_weekday_rule_for_check_in_flags():
    # Check-in flags must never fail: an unknown year is Monday–Friday there (and only there).
    assert selectors.is_workday_or_weekday(dt.date(2027, 3, 1)) is True  # a Monday
    assert selectors.is_workday_or_weekday(dt.date(2027, 3, 6)) is False  # a Saturday
    assert selectors.is_workday_or_weekday(dt.date(2026, 5, 9)) is True  # make-up Saturday
    assert selectors.is_working_time(moment=dt.datetime(2027, 3, 1, 10, tzinfo=CST)) is None


def test_it_notices_a_schedule_another_process_wrote(settings):
    settings.WORKDAYS_CACHE_CHECK_S = 3600
    assert selectors.year_source(2027) == "none"
    # bulk_create sends no signals: as if another process had written it.
    YearSchedule.objects.bulk_create([YearSchedule(year=2027, holidays=[{"date": "2027-01-01", "name": "元旦"}], workdays=[])])
    assert selectors.year_source(2027) == "none"  # cached, within the check interval
    settings.WORKDAYS_CACHE_CHECK_S = 0
    assert selectors.year_source(2027) == "admin"
