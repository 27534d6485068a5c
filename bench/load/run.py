"""Load benchmark (issue #6): the real app under gunicorn on loopback, driven by wrk.

    .venv/bin/python bench/load/run.py            # SQLite and PostgreSQL
    .venv/bin/python bench/load/run.py --db sqlite --seconds 10

For each database, in one run and against the same server: a trivial endpoint,
a minimal idempotent insert into the visits table (INSERT … ON CONFLICT DO
NOTHING, no auth), our full check-in (session auth, CSRF, validation, flags,
idempotency), and the site search when it exists. Prints requests/s, p50/p99,
errors (non-2xx and socket errors: "database is locked" would show here) and
ratios against the minimal insert. Only loopback is used; every run is bounded.
"""

import argparse
import datetime as dt
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

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("post_uuid.lua")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(database_url: str) -> dict:
    """Migrate, create a staff member, an enterprise and a session; return ids and cookies."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.load.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
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
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=seconds + 60).stdout

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


def measure(label: str, database_url: str, *, workers: int, seconds: int, connections: int) -> list[tuple]:
    ctx = prepare(database_url)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.load.settings"}
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
        captured = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)).isoformat()
        checkin = json.dumps({
            "client_id": "%s", "enterprise_id": ctx["enterprise_id"], "lat": 31.1204, "lng": 121.4203,
            "accuracy_m": 15, "speed": None, "heading": None, "captured_at": captured, "queued": False,
        })
        insert = json.dumps({"client_id": "%s", "staff_id": ctx["staff_id"], "enterprise_id": ctx["enterprise_id"]})
        runs = [
            ("trivial GET {ok:true}", base + "/bench/trivial", None),
            ("minimal idempotent insert", base + "/bench/insert", {"BODY": insert}),
            ("full check-in (POST /api/visits/checkin)", base + "/api/visits/checkin", {"BODY": checkin, "COOKIE": cookie, "CSRF": ctx["csrf"]}),
        ]
        results = []
        for name, url, lua_env in runs:
            wrk(url, seconds=2, connections=connections, env=lua_env)  # warm-up
            r = wrk(url, seconds=seconds, connections=connections, env=lua_env)
            results.append((label, workers, name, r))
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    rows = []
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            rows += measure("SQLite", f"sqlite:///{tmp}/load.sqlite3", workers=2, seconds=args.seconds, connections=args.connections)
    if args.db in ("postgres", "both"):
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS dxe_bench_load WITH (FORCE)")
            conn.execute("CREATE DATABASE dxe_bench_load")
        try:
            rows += measure("PostgreSQL", "postgres://postgres@127.0.0.1:5432/dxe_bench_load", workers=4, seconds=args.seconds, connections=args.connections)
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS dxe_bench_load WITH (FORCE)")
    print(f"\n{args.connections} connections, {args.seconds} s per run, wrk on loopback, gunicorn sync workers")
    print(f"{'database':<11}{'wkrs':>5}  {'endpoint':<42}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs insert':>11}")
    baseline = {}
    for db, workers, name, r in rows:
        if name.startswith("minimal"):
            baseline[db] = r["rps"]
    for db, workers, name, r in rows:
        ratio = r["rps"] / baseline[db] if baseline.get(db) else float("nan")
        print(f"{db:<11}{workers:>5}  {name:<42}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['errors']:>8}{ratio:>10.0%}")


if __name__ == "__main__":
    main()
