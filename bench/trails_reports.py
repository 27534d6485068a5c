"""Trail and team-report timings on PostgreSQL with 5,000,000 check-ins (issue #5).

    .venv/bin/python bench/trails_reports.py [--rows 5000000] [--keep]

Builds a throwaway database `dxe_bench_trails` (1,000 staff in 20 teams, 50,000
enterprises, N visits over 12 months, written by generate_series in the
database in time order, as check-ins arrive in life: rows of one month sit
together on disk), then prints medians for:
  - one staff-day trail: raw SQL / the selector / the API endpoint (in-process client)
  - the team report for 1,000 staff over a month: selector / API endpoint
Aim (issue #5): trail under 20 ms, team report under 500 ms. Loopback only.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.pgdata import connect, fresh_database, insert_enterprises, insert_officials, setup_django, timed  # noqa: E402

DB = os.environ.get("BENCH_DB", "dxe_bench_trails")  # another name lets two people bench at once


def build(rows: int) -> None:
    fresh_database(DB)
    t0 = time.perf_counter()
    with connect(DB) as conn:
        insert_officials(conn, unit_name="队")
        insert_enterprises(conn, n=50_000, box=(120.85, 30.7, 122.0, 31.9), assigned=True)
        chunk = 1_000_000
        for offset in range(0, rows, chunk):
            n = min(chunk, rows - offset)
            conn.execute(
                f"""INSERT INTO visits_visit (client_id, staff_id, enterprise_id, checkin_at, checkin_received_at,
                       checkin_lat, checkin_lng, checkin_accuracy_m, queued, distance_m, within_geofence,
                       checkin_point_key, checkin_fingerprint, checkout_at, checkout_received_at, checkout_lat,
                       checkout_lng, checkout_point_key, checkout_fingerprint, checkout_flags, purpose, people_met,
                       summary, flags, rating, rating_comment, unverified_comment)
                   SELECT gen_random_uuid(), s.id, e.id, t, t, e.lat, e.lng, 10, false, 12.5, true, '', '',
                          t + interval '40 minutes', t, e.lat, e.lng, '', '', '[]', 'service', '', '',
                          CASE WHEN random() < 0.02 THEN '["poor_accuracy"]'::jsonb ELSE '[]'::jsonb END,
                          CASE WHEN random() < 0.4 THEN 4 + (random() > 0.5)::int END, '', ''
                   FROM (SELECT g, now() - interval '365 days' + interval '365 days' * (g::float8 / {rows})
                                    + interval '1 minute' * (random() * 30) AS t,
                                (SELECT min(id) FROM accounts_user) + (g % 1000) AS sid,
                                (SELECT min(id) FROM enterprises_enterprise) + (g % 50000) AS eid
                         FROM generate_series({offset + 1}, {offset + n}) g) x
                   JOIN accounts_user s ON s.id = x.sid
                   JOIN enterprises_enterprise e ON e.id = x.eid"""
            )
            print(f"  inserted {offset + n:,} visits ({time.perf_counter() - t0:.0f} s)", flush=True)
        # What autovacuum does soon after a bulk load; index-only scans need the visibility map.
        conn.execute("VACUUM ANALYZE")
    print(f"built {rows:,} visits in {time.perf_counter() - t0:.0f} s")


def measure() -> None:
    setup_django(DB)
    import datetime as dt
    import random
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from backend.accounts.models import User
    from backend.reports.selectors import team_report
    from backend.visits.trails import day_range, trail_get

    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": "admin"})
    managers = User.objects.filter(role="manager")
    rng = random.Random(1)
    staff_ids = list(User.objects.filter(role="staff").values_list("id", flat=True))
    today = timezone.localdate()
    days = [(rng.choice(staff_ids), today - dt.timedelta(days=rng.randint(1, 300))) for _ in range(200)]
    it = iter(days * 3)

    def raw_trail():
        staff_id, day = next(it)
        start, end = day_range(day)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT v.id, v.checkin_lat, v.checkin_lng, v.checkin_at, v.checkout_lat, v.checkout_lng, "
                "v.checkout_at, v.flags, v.checkout_flags, e.name FROM visits_visit v "
                "JOIN enterprises_enterprise e ON e.id = v.enterprise_id "
                "WHERE v.staff_id = %s AND v.checkin_at >= %s AND v.checkin_at < %s ORDER BY v.checkin_at",
                [staff_id, start, end],
            )
            cur.fetchall()

    def selector_trail():
        staff_id, day = next(it)
        trail_get(viewer=admin, staff_id=staff_id, day=day, ip="127.0.0.1")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)

    def api_trail():
        staff_id, day = next(it)
        assert client.get("/api/trails", {"staff_id": staff_id, "date": day.isoformat()}).status_code == 200

    for fn in (raw_trail, selector_trail, api_trail):  # warm caches
        for _ in range(20):
            fn()
        it = iter(days * 3)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM visits_visit")
        total = cur.fetchone()[0]
        cur.execute("SELECT avg(n) FROM (SELECT count(*) n FROM visits_visit GROUP BY staff_id, (checkin_at AT TIME ZONE 'Asia/Shanghai')::date) d")
        per_day = cur.fetchone()[0]
    print(f"PostgreSQL, {total:,} visits, {per_day:.1f} check-ins per staff-day on average")
    print(f"{'operation':<44} {'p50 ms':>8} {'p95 ms':>8}")
    results = {}
    for label, fn in [("trail: raw SQL (same query)", raw_trail), ("trail: selector trail_get()", selector_trail), ("trail: GET /api/trails", api_trail)]:
        it = iter(days * 3)
        results[label] = timed(fn, 150)
        print(f"{label:<44} {results[label][0]:8.2f} {results[label][1]:8.2f}")

    month_to = today - dt.timedelta(days=1)
    month_from = month_to - dt.timedelta(days=29)
    print(f"team report for {len(staff_ids) + managers.count()} staff, {month_from} .. {month_to}:")
    results["team: selector"] = timed(lambda: team_report(user=admin, date_from=month_from, date_to=month_to), 7)
    results["team: API"] = timed(
        lambda: client.get("/api/reports/team", {"date_from": month_from.isoformat(), "date_to": month_to.isoformat()}),
        7,
    )
    for label in ("team: selector", "team: API"):
        print(f"{label:<44} {results[label][0]:8.2f} {results[label][1]:8.2f}")
    # A manager's reads go through the unit scope (backend.access): the same queries, one more predicate.
    manager = managers.order_by("id").first()
    unit_staff = list(User.objects.filter(org_unit_id=manager.org_unit_id, role="staff").values_list("id", flat=True))
    mine = iter([(rng.choice(unit_staff), today - dt.timedelta(days=rng.randint(1, 300))) for _ in range(150)])
    as_manager = Client(HTTP_HOST="127.0.0.1")
    as_manager.force_login(manager)

    def manager_trail():
        staff_id, day = next(mine)
        assert as_manager.get("/api/trails", {"staff_id": staff_id, "date": day.isoformat()}).status_code == 200

    results["trail: GET /api/trails (manager, own unit)"] = timed(manager_trail, 150)
    team_params = {"date_from": month_from.isoformat(), "date_to": month_to.isoformat()}
    results["team: API (manager, own unit)"] = timed(lambda: as_manager.get("/api/reports/team", team_params), 7)
    for label in ("trail: GET /api/trails (manager, own unit)", "team: API (manager, own unit)"):
        print(f"{label:<44} {results[label][0]:8.2f} {results[label][1]:8.2f}")
    raw = results["trail: raw SQL (same query)"][0]
    print(f"ratio API/raw for the trail: {results['trail: GET /api/trails'][0] / raw:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database from the last run")
    args = parser.parse_args()
    if not args.keep:
        build(args.rows)
    measure()


if __name__ == "__main__":
    main()
