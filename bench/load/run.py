"""Load benchmark (issue #6): the real app under gunicorn on loopback, driven by wrk.

    .venv/bin/python bench/load/run.py            # SQLite and PostgreSQL
    .venv/bin/python bench/load/run.py --db sqlite --seconds 10
    .venv/bin/python bench/load/run.py --sessions cache   # only with Redis (cached_db sessions)

For each database, in one run and against the same server: a trivial endpoint,
a minimal idempotent insert into the visits table (INSERT … ON CONFLICT DO
NOTHING, no auth), our full check-in (session auth, CSRF, validation, flags,
idempotency), the same minimal insert behind session auth + CSRF (what logging
in alone costs), and the public site search for a town viewport over 20,000
imported sites (`make bench-sites` compares that search with a minimal endpoint
and raw SQL at 100,000 sites). Prints requests/s, p50/p99, errors (non-2xx and
socket errors: "database is locked" would show here) and ratios against both
inserts. Only loopback is used; every run is bounded.

Each database runs twice: sessions in the database (no REDIS_URL, a town's default) and
sessions served from Redis (REDIS_URL set: the `cached_db` engine and the Redis cache, a
city's shape), each on a fresh database.

Every POST carries a fresh UUID, a position jittered within the geofence and
the current time (post_uuid.lua), as phones do.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.sites_search import FILTERS, write_city_csv  # noqa: E402

N_SITES = 20_000  # a city's worth at the perf-anchors density; bench/sites_search.py does 100,000
# A town viewport (0.05° × 0.05°) near the middle of the generated city.
TOWN_BOX = "121.40000,31.20000,121.45000,31.25000"
LUA = Path(__file__).with_name("post_uuid.lua")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
INSERT = "minimal idempotent insert"
INSERT_AUTH = "minimal insert + session auth + CSRF"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(database_url: str, redis: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.load.settings"}
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = REDIS_URL
        env["CACHE_KEY_PREFIX"] = f"dxe-bench-load-{os.getpid()}"
    return env


def prepare(env: dict) -> dict:
    """Migrate, create a staff member, an enterprise and a session; return ids and cookies."""
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        sites_csv = Path(tmp) / "sites.csv"
        write_city_csv(sites_csv, n=N_SITES)
        subprocess.run([sys.executable, "manage.py", "import_sites", str(sites_csv)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    script = """
import json
from django.test import Client
from backend.accounts.models import User
from backend.enterprises.services import enterprise_create
user = User.objects.create_user(username="loadstaff", password="x" * 12, role="staff")
ent = enterprise_create(uscc="91350100M000100Y43", name="压测企业", lat=31.12, lng=121.42, industry="C")
client = Client()
client.force_login(user)
client.get("/api/auth/csrf", HTTP_HOST="127.0.0.1")
print(json.dumps({"staff_id": user.id, "enterprise_id": ent.id,
                  "session": client.cookies["sessionid"].value, "csrf": client.cookies["csrftoken"].value}))
"""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wrk(url: str, *, seconds: int, connections: int, env: dict | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if env:
        cmd += ["-s", str(LUA)]
    proc = subprocess.run(cmd + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=seconds + 60)
    out = proc.stdout
    if proc.stderr.strip():
        print(proc.stderr.strip(), file=sys.stderr)

    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    sock = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)) if "Socket errors" in out else 0
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": non2xx + sock, "requests": total}


def visit_rows(env: dict) -> int:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from backend.visits.models import Visit; print(Visit.objects.count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def measure(label: str, database_url: str, *, workers: int, seconds: int, connections: int, redis: bool) -> list[tuple]:
    env = app_env(database_url, redis)
    ctx = prepare(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "backend.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--preload", "--log-level", "error"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/bench/trivial", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        cookie = f"sessionid={ctx['session']}; csrftoken={ctx['csrf']}"
        # Each request: a fresh UUID, a position jittered within the geofence and
        # the current time, as a real phone sends (see post_uuid.lua).
        checkin = json.dumps({
            "client_id": "{uuid}", "enterprise_id": ctx["enterprise_id"], "lat": "{lat}", "lng": "{lng}",
            "accuracy_m": 15, "speed": None, "heading": None, "captured_at": "{at}", "queued": False,
        }).replace('"{lat}"', "{lat}").replace('"{lng}"', "{lng}")  # numbers, not strings
        insert = json.dumps({"client_id": "{uuid}", "staff_id": ctx["staff_id"], "enterprise_id": ctx["enterprise_id"]})
        position = {"LAT": "31.1204", "LNG": "121.4203"}
        runs = [
            ("trivial GET {ok:true}", base + "/bench/trivial", None),
            (INSERT, base + "/bench/insert", {"BODY": insert}),
            (INSERT_AUTH, base + "/bench/insert-auth", {"BODY": insert, "COOKIE": cookie, "CSRF": ctx["csrf"]}),
            ("full check-in (POST /api/visits/checkin)", base + "/api/visits/checkin", {"BODY": checkin, "COOKIE": cookie, "CSRF": ctx["csrf"], **position}),
            (f"site search, town viewport ({N_SITES // 1000}k sites)", base + "/api/sites?" + urlencode({"bbox": TOWN_BOX, **FILTERS, "limit": 200}), None),
        ]
        results = []
        answered = 0  # POSTs answered 2xx, warm-ups included: each must be one new row
        for name, url, lua_env in runs:
            warm = wrk(url, seconds=2, connections=connections, env=lua_env)
            r = wrk(url, seconds=seconds, connections=connections, env=lua_env)
            r["errors"] += warm["errors"]
            if lua_env:
                answered += warm["requests"] + r["requests"] - warm["errors"] - r["errors"]
            results.append((label, workers, name, r))
        written = visit_rows(env)
        # wrk stops counting at the deadline, so a few requests per connection may be
        # written without being counted; fewer rows than answers would mean loss.
        verdict = "ok" if answered <= written <= answered + 2 * 3 * connections else "MISMATCH"
        print(f"{label}: {written} visit rows for {answered} POSTs answered 2xx ({verdict})")
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sessions", choices=["db", "cache", "both"], default="both",
                        help="sessions in the database, from Redis (cached_db), or both runs")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    modes = [m for m in (False, True) if args.sessions == "both" or (args.sessions == "cache") == m]
    rows = []
    for redis in modes:
        tag = " + Redis" if redis else ""
        if args.db in ("sqlite", "both"):
            with tempfile.TemporaryDirectory() as tmp:
                rows += measure(f"SQLite{tag}", f"sqlite:///{tmp}/load.sqlite3", workers=2, seconds=args.seconds,
                                connections=args.connections, redis=redis)
        if args.db in ("postgres", "both"):
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS dxe_bench_load WITH (FORCE)")
                conn.execute("CREATE DATABASE dxe_bench_load")
            try:
                rows += measure(f"PostgreSQL{tag}", "postgres://postgres@127.0.0.1:5432/dxe_bench_load", workers=4,
                                seconds=args.seconds, connections=args.connections, redis=redis)
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute("DROP DATABASE IF EXISTS dxe_bench_load WITH (FORCE)")
    print(f"\n{args.connections} connections, {args.seconds} s per run, wrk on loopback, gunicorn sync workers")
    print("ratios: requests/s against the minimal insert, and against the same insert behind session auth + CSRF")
    print(f"{'database':<19}{'wkrs':>5}  {'endpoint':<42}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'vs insert':>11}{'vs insert+auth':>16}")
    plain = {db: r["rps"] for db, _, name, r in rows if name == INSERT}
    authed = {db: r["rps"] for db, _, name, r in rows if name == INSERT_AUTH}
    for db, workers, name, r in rows:
        print(f"{db:<19}{workers:>5}  {name:<42}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['errors']:>8}"
              f"{r['rps'] / plain[db]:>10.0%}{r['rps'] / authed[db]:>15.0%}")

if __name__ == "__main__":
    main()
