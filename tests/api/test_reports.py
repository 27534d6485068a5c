import datetime as dt
import io
import uuid

import pytest
from openpyxl import load_workbook

from backend.accounts.models import OrgUnit, User
from backend.demands.models import Demand
from backend.visits.models import Visit

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))

# (year, month) → visits by demo_staff; hand-computed expectations below.
COUNTS = {(2025, 1): 2, (2025, 3): 3, (2026, 1): 4, (2026, 2): 1, (2026, 3): 6}


def make_visit(staff, enterprise, when, *, rating=None, flags=(), minutes=30, demands=0):
    visit = Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=enterprise,
        checkin_at=when, checkin_received_at=when, checkin_lat=31.12, checkin_lng=121.42,
        distance_m=10, within_geofence=True, flags=list(flags),
        checkout_client_id=uuid.uuid4(), checkout_at=when + dt.timedelta(minutes=minutes),
        checkout_received_at=when, checkout_lat=31.12, checkout_lng=121.42, rating=rating,
    )
    Demand.objects.bulk_create([
        Demand(visit=visit, enterprise=enterprise, raised_by=staff, channel="visit", category="labour", description="招工")
        for _ in range(demands)
    ])
    return visit


@pytest.fixture
def history(users, enterprise):
    for (year, month), n in COUNTS.items():
        for i in range(n):
            make_visit(users["staff"], enterprise, dt.datetime(year, month, 10 + i, 10, 0, tzinfo=TZ))


def series(client, **params):
    response = client.get("/api/reports/trends", params)
    assert response.status_code == 200, response.content
    return {p["period"][:7]: p for p in response.json()["series"]}


def test_it_computes_mom_and_yoy_like_the_hand_computation(client, users, history):
    client.login_as("demo_manager")
    s = series(client, metric="visits", granularity="month", date_from="2025-01-01", date_to="2026-03-31")
    assert s["2025-01"]["value"] == 2
    assert s["2025-01"]["yoy_pct"] is None  # no previous year at all
    assert s["2025-01"]["mom_pct"] is None
    assert s["2025-02"]["value"] == 0  # a month with no data
    assert s["2025-02"]["mom_pct"] == -100.0
    assert s["2025-03"]["mom_pct"] is None  # compared with an empty month
    assert s["2026-01"]["yoy_pct"] == 100.0  # 4 vs 2
    assert s["2026-01"]["mom_pct"] is None  # December 2025 had none
    assert s["2026-02"]["mom_pct"] == -75.0  # 1 vs 4
    assert s["2026-02"]["yoy_pct"] is None  # February 2025 had none
    assert s["2026-03"]["mom_pct"] == 500.0  # 6 vs 1
    assert s["2026-03"]["yoy_pct"] == 100.0  # 6 vs 3
    assert len(s) == 15


def test_it_averages_ratings_per_month(client, users, enterprise):
    staff = users["staff"]
    make_visit(staff, enterprise, dt.datetime(2026, 1, 5, 10, tzinfo=TZ), rating=4)
    make_visit(staff, enterprise, dt.datetime(2026, 1, 6, 10, tzinfo=TZ), rating=5)
    make_visit(staff, enterprise, dt.datetime(2026, 1, 7, 10, tzinfo=TZ))
    make_visit(staff, enterprise, dt.datetime(2026, 2, 5, 10, tzinfo=TZ), rating=3)
    client.login_as("demo_manager")
    s = series(client, metric="rating", granularity="month", date_from="2026-01-01", date_to="2026-03-31")
    assert (s["2026-01"]["value"], s["2026-02"]["value"], s["2026-03"]["value"]) == (4.5, 3.0, None)
    assert s["2026-02"]["mom_pct"] == pytest.approx(-33.3)


def test_it_counts_weeks_monday_to_sunday(client, users, enterprise):
    staff = users["staff"]
    make_visit(staff, enterprise, dt.datetime(2026, 11, 16, 9, tzinfo=TZ))  # Monday
    make_visit(staff, enterprise, dt.datetime(2026, 11, 22, 23, tzinfo=TZ))  # Sunday night, local time
    make_visit(staff, enterprise, dt.datetime(2026, 11, 23, 0, 30, tzinfo=TZ))  # next Monday
    client.login_as("demo_manager")
    response = client.get("/api/reports/trends", {"metric": "visits", "granularity": "week", "date_from": "2026-11-16", "date_to": "2026-11-29"})
    assert [(p["period"], p["value"]) for p in response.json()["series"]] == [("2026-11-16", 2), ("2026-11-23", 1)]


def test_it_reports_per_staff_statistics(client, users, enterprise):
    enterprise.assigned_staff = users["staff"]
    enterprise.save()
    when = dt.datetime(2026, 11, 10, 10, tzinfo=TZ)
    make_visit(users["staff"], enterprise, when, rating=4, minutes=40, demands=2)
    make_visit(users["staff"], enterprise, when + dt.timedelta(days=1), rating=5, minutes=20, flags=["poor_accuracy"])
    client.login_as("demo_manager")
    report = client.get("/api/reports/team", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()
    row = next(r for r in report["rows"] if r["staff_id"] == users["staff"].id)
    assert row | {"staff_name": None} == {
        "staff_id": users["staff"].id, "staff_name": None, "team": "招商一组", "visits": 2, "enterprises": 1,
        "assigned": 1, "assigned_covered": 1, "coverage_pct": 100.0, "avg_duration_min": 30.0,
        "flagged_visits": 1, "avg_rating": 4.5, "demands": 2,
        "demands_assigned": 0, "demands_resolved": 0, "demands_overdue": 0,
    }
    assert report["totals"]["visits"] == 2


def test_it_scopes_reports_to_the_managers_unit(client, users, enterprise):
    other = OrgUnit.objects.create(code="T9", name="别组", kind="team")
    outsider = User.objects.create_user(username="outsider", password="pw-12345678", role="staff", org_unit=other)
    make_visit(outsider, enterprise, dt.datetime(2026, 11, 10, 10, tzinfo=TZ))
    client.login_as("demo_manager")
    report = client.get("/api/reports/team", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()
    assert outsider.id not in {r["staff_id"] for r in report["rows"]}
    assert report["totals"]["visits"] == 0
    client.post_json("/api/auth/logout")
    client.login_as("demo_admin")
    report = client.get("/api/reports/team", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).json()
    assert report["totals"]["visits"] == 1
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    assert client.get("/api/reports/team", {"date_from": "2026-11-01", "date_to": "2026-11-30"}).status_code == 403


def test_it_exports_xlsx_with_chinese_headers_and_the_api_totals(client, users, history, settings):
    settings.EXPORT_SYNC_MAX_DAYS = 366  # the synchronous path; tests/api/test_exports.py covers the job
    client.login_as("demo_manager")
    params = {"date_from": "2025-04-01", "date_to": "2026-03-31"}
    api_totals = client.get("/api/reports/team", params).json()["totals"]
    response = client.get("/api/reports/team/export", params | {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "小组", "走访次数")
    assert rows[-1][0] == "合计"
    assert rows[-1][2] == api_totals["visits"] == sum(n for (year, _), n in COUNTS.items() if year == 2026)
    assert sum(r[2] for r in rows[1:-1]) == api_totals["visits"]


def test_it_exports_visits_as_csv_and_logs_the_export(client, users, history, settings):
    settings.EXPORT_SYNC_MAX_DAYS = 366
    client.login_as("demo_manager")
    response = client.get("/api/reports/visits/export", {"date_from": "2025-04-01", "date_to": "2026-03-31", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("日期,签到时间,签退时间,走访人")
    assert len(lines) == 1 + sum(n for (year, _), n in COUNTS.items() if year == 2026) + 1
    from backend.visits.models import LocationAccess

    assert LocationAccess.objects.filter(what="export", subject=users["staff"]).count() == 1


def test_it_summarises_the_dashboard(client, users, history):
    client.login_as("demo_admin")
    board = client.get("/api/reports/dashboard", {"month": "2026-03"}).json()
    assert board["visits"]["value"] == 6
    assert board["visits"]["yoy_pct"] == 100.0
    assert board["enterprises"] == {"total": 1, "registered": 1, "registered_pct": 100.0}
    assert {t["type"] for t in board["vacant_sites_by_type"]} >= {"factory", "office", "land"}
    assert client.get("/api/reports/dashboard", {"month": "2026-13"}).status_code == 422
