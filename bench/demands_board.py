"""Overdue-board timings on PostgreSQL with 100,000 demands (issue 13, acceptance 5).

    .venv/bin/python bench/demands_board.py [--demands 100000] [--keep]

Builds a throwaway database `dxe_bench_dboard` (BENCH_DB to name another): 1,000
officials in 20 units (one manager each), 5,000 enterprises and N demands over 12
months, written by generate_series in the database, with a realistic mix — most closed,
a tenth waiting to be handed out, a fifth open, of which about a third overdue and 3 %
待日历确认; 85 % assigned to an official, the rest to a department. Then prints p50/p95
of GET /api/demands/board (in-process client) for a manager (a row per official) and an
admin (the city: a row per department; then one unit, `?unit_id=`), the selector, and the
same grouped queries as raw SQL, with the API/raw ratio.
Aim (issue 13): p50 ≤ 50 ms. Loopback only.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.pgdata import connect, fresh_database, insert_enterprises, insert_officials, setup_django, timed  # noqa: E402

DB = os.environ.get("BENCH_DB", "dxe_bench_dboard")


def build(n: int) -> None:
    fresh_database(DB)
    t0 = time.perf_counter()
    with connect(DB) as conn:
        insert_officials(conn, unit_name="科室")
        insert_enterprises(conn, n=5_000, box=(121.0, 31.0, 121.1, 31.1), assigned=False)
        # r picks the status: 10 % 待交办, 5 % 已交办, 5 % 核查研判, 10 % 处办中, 15 % 已办结, 55 % 已回访.
        # Open ones: deadline from 20 days ago to 15 days ahead (about a third overdue), 3 % null.
        # Resolved ones: first resolved within ±5 days of the deadline (mostly before).
        conn.execute(
            f"""INSERT INTO demands_demand (enterprise_id, category, description, channel, raised_by_id,
                   assignee_id, assignee_unit_id, status, rating, resolution, deadline, deadline_explained,
                   deadline_from, working_days, first_resolved_at, resolved_on_time, created_at, updated_at,
                   site_types, site_place)
               SELECT e0 + (g % 5000), 'labour', '诉求' || g, CASE WHEN g % 3 = 0 THEN 'app' ELSE 'visit' END,
                      u0 + (g % 1000),
                      CASE WHEN st <> 'pending' AND g % 7 <> 0 THEN u0 + ((g * 7919) % 1000) END,
                      CASE WHEN st <> 'pending' AND g % 7 = 0 THEN o0 + (g % 20) END,
                      st, '', '', dl, CASE WHEN dl IS NULL AND st <> 'pending' THEN '待日历确认' ELSE '' END,
                      CASE WHEN st <> 'pending' THEN t END, CASE WHEN st <> 'pending' THEN 5 END,
                      fr, CASE WHEN fr IS NULL OR dl IS NULL THEN NULL ELSE fr <= dl END, t, t, '[]', ''
               FROM (
                 SELECT g, t, st, u0, o0, e0,
                        CASE WHEN st = 'pending' THEN NULL
                             WHEN st IN ('assigned', 'verifying', 'handling') AND random() < 0.03 THEN NULL
                             WHEN st IN ('assigned', 'verifying', 'handling')
                                  THEN now() - interval '20 days' + interval '35 days' * random()
                             ELSE t + interval '7 days' END AS dl,
                        CASE WHEN st IN ('resolved', 'closed')
                             THEN t + interval '7 days' - interval '5 days' * random() + interval '3 days' * (random() - 0.3)
                             END AS fr
                 FROM (
                   SELECT g, now() - interval '365 days' * random() AS t,
                          CASE WHEN r < 0.10 THEN 'pending' WHEN r < 0.15 THEN 'assigned' WHEN r < 0.20 THEN 'verifying'
                               WHEN r < 0.30 THEN 'handling' WHEN r < 0.45 THEN 'resolved' ELSE 'closed' END AS st,
                          (SELECT min(id) FROM accounts_user) AS u0,
                          (SELECT min(id) FROM accounts_orgunit) AS o0,
                          (SELECT min(id) FROM enterprises_enterprise) AS e0
                   FROM (SELECT g, random() AS r FROM generate_series(1, {n}) g) x
                 ) y
               ) z"""
        )
        conn.execute("VACUUM ANALYZE")
    print(f"built {n:,} demands in {time.perf_counter() - t0:.0f} s")


RAW = """
SELECT status, count(*) FROM demands_demand WHERE {desks} AND status <> 'pending' GROUP BY status;
SELECT count(*) FROM demands_demand WHERE status = 'pending' AND {waiting};
SELECT {desk}, count(*),
       count(*) FILTER (WHERE deadline < %(now)s),
       count(*) FILTER (WHERE deadline >= %(now)s AND deadline < %(tomorrow)s),
       count(*) FILTER (WHERE deadline >= %(now)s AND deadline <= %(soon)s),
       count(*) FILTER (WHERE deadline IS NULL)
  FROM demands_demand d LEFT JOIN accounts_user u ON u.id = d.assignee_id
 WHERE {desks} AND status IN ('assigned', 'verifying', 'handling')
 GROUP BY 1, 2;
SELECT {desk}, count(*), count(*) FILTER (WHERE resolved_on_time),
       count(*) FILTER (WHERE NOT resolved_on_time), count(*) FILTER (WHERE resolved_on_time IS NULL)
  FROM demands_demand d LEFT JOIN accounts_user u ON u.id = d.assignee_id
 WHERE {desks} AND first_resolved_at >= %(month)s AND first_resolved_at < %(month_end)s
 GROUP BY 1, 2
"""
# A manager's board has a row per official; the city's (admin) a row per department.
DESK = {
    "manager": "assignee_id, assignee_unit_id",
    "admin": "coalesce(assignee_unit_id, u.org_unit_id), CASE WHEN coalesce(assignee_unit_id, u.org_unit_id) IS NULL THEN assignee_id END",
}


def measure() -> None:
    setup_django(DB)
    import datetime as dt
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from backend.accounts.models import User
    from backend.demands.board import demand_board

    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": "admin"})
    manager = User.objects.filter(role="manager").order_by("id").first()
    now = timezone.now()
    local = timezone.localtime(now)
    params = {
        "now": now,
        "tomorrow": local.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1),
        "soon": now + dt.timedelta(days=5),
        "month": local.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
    }
    params["month_end"] = (params["month"] + dt.timedelta(days=32)).replace(day=1)
    unit = manager.org_unit_id
    scopes = {
        "admin": ("true", "true"),
        "manager": (
            f"(assignee_id IN (SELECT id FROM accounts_user WHERE org_unit_id = {unit}) OR assignee_unit_id = {unit})",
            f"(raised_by_id IN (SELECT id FROM accounts_user WHERE org_unit_id = {unit}) OR channel IN ('app', 'phone'))",
        ),
    }

    def raw(who):
        desks, waiting = scopes[who]
        with connection.cursor() as cur:
            for sql in RAW.format(desks=desks, waiting=waiting, desk=DESK[who]).split(";"):
                cur.execute(sql, params)
                cur.fetchall()

    clients = {}
    for who, user in (("admin", admin), ("manager", manager)):
        clients[who] = Client(HTTP_HOST="127.0.0.1")
        clients[who].force_login(user)

    def api(who):
        response = clients[who].get("/api/demands/board")
        assert response.status_code == 200, response.content

    with connection.cursor() as cur:
        cur.execute("SELECT count(*), count(*) FILTER (WHERE status IN ('assigned','verifying','handling')), "
                    "count(*) FILTER (WHERE status IN ('assigned','verifying','handling') AND deadline < now()) FROM demands_demand")
        total, open_, overdue = cur.fetchone()
        cur.execute("SELECT count(*) FROM accounts_user WHERE role IN ('staff', 'manager')")
        officials = cur.fetchone()[0]
    print(f"PostgreSQL, {total:,} demands ({open_:,} open, {overdue:,} overdue), {officials:,} officials in 20 units")
    for _ in range(5):  # warm caches
        for who in ("admin", "manager"):
            raw(who), api(who)
    print(f"{'operation':<40} {'p50 ms':>8} {'p95 ms':>8}")
    results = {}
    for who, user in (("manager", manager), ("admin", admin)):
        for label, fn in (
            (f"board {who}: raw SQL (4 queries)", lambda: raw(who)),
            (f"board {who}: selector demand_board()", lambda: demand_board(user=user)),
            (f"board {who}: GET /api/demands/board", lambda: api(who)),
        ):
            results[label] = timed(fn, 60)
            print(f"{label:<40} {results[label][0]:8.2f} {results[label][1]:8.2f}", flush=True)
        ratio = results[f"board {who}: GET /api/demands/board"][0] / results[f"board {who}: raw SQL (4 queries)"][0]
        print(f"ratio API/raw ({who}): {ratio:.1f}x")
    label = "board admin, one unit: GET ?unit_id="
    results[label] = timed(lambda: clients["admin"].get("/api/demands/board", {"unit_id": unit}), 60)
    print(f"{label:<40} {results[label][0]:8.2f} {results[label][1]:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database from the last run")
    args = parser.parse_args()
    if not args.keep:
        build(args.demands)
    measure()


if __name__ == "__main__":
    main()
