"""Site search with 100,000 sites on SQLite and PostgreSQL (issue #4, acceptance 4).

    .venv/bin/python bench/sites_search.py              # SQLite, then PostgreSQL
    .venv/bin/python bench/sites_search.py --sqlite-only
    make bench-sites

For each database, in one run:
  1. a fresh database, migrated; 100,000 synthetic sites over Shanghai
     (lng 120.85–122.00, lat 30.70–31.90, 6 types, area 50–20,000 m² log-uniform,
     80 % vacant, 300 owner units) written as a CSV and loaded through
     `manage.py import_sites` — the real import path, bulk inserts — and timed;
  2. the app under gunicorn (2 sync workers, --preload, loopback only) with one
     extra route: a minimal django-ninja endpoint that runs the SQL our selector
     generates (select + count each time) and returns GeoJSON;
  3. for a town viewport (random 0.05° × 0.05° boxes) and the whole city, with
     type=factory, area ≥ 500 m², status=vacant (the perf-anchors query):
       (a) our GET /api/sites, (b) the minimal endpoint, (c) the same SQL in-process;
     p50/p95 over sequential requests on one connection (a Python client, the
     endpoints interleaved request by request), and requests/s from wrk with 16
     connections (endpoints alternating in rounds); plus GET /api/sites/clusters
     for the city view.
Prints one table and the ratios. Compare with shared/reference/perf-anchors.md
(2-core machine, gunicorn + wrk there too).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PY = sys.executable
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "dxe_bench_sites"
N_SITES = 100_000
CITY = (120.85, 30.70, 122.00, 31.90)
TOWN_DEG = 0.05
FILTERS = {"type": "factory", "area_min": "500", "status": "vacant"}
WORKERS = 2
CONNECTIONS = 16
TYPES = ["factory", "office", "warehouse", "shop", "land", "other"]


# --- data -----------------------------------------------------------------------


def write_city_csv(path: Path, n: int = N_SITES, seed: int = 20261201) -> None:
    rng = random.Random(seed)
    lo, hi = math.log10(50), math.log10(20_000)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "名称", "类型", "状态", "建筑面积", "租金", "租金单位", "单位编码", "资源持有单位", "联系电话", "经度", "纬度"])
        for i in range(n):
            unit = rng.randrange(300)
            status = "vacant" if rng.random() < 0.8 else rng.choice(["reserved", "leased"])
            w.writerow(
                [
                    f"SH-{i:06d}",
                    f"第{unit}社{i}号场地",
                    TYPES[i % len(TYPES)],
                    status,
                    round(10 ** rng.uniform(lo, hi), 1),
                    round(rng.uniform(0.5, 3.0), 2),
                    "元/m²/天",
                    f"C{unit:04d}",
                    f"第{unit}村经济合作社",
                    f"139{rng.randrange(10**8):08d}",
                    f"{rng.uniform(CITY[0], CITY[2]):.6f}",
                    f"{rng.uniform(CITY[1], CITY[3]):.6f}",
                ]
            )


def town_boxes(n: int = 200, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    boxes = []
    for _ in range(n):
        w = rng.uniform(CITY[0], CITY[2] - TOWN_DEG)
        s = rng.uniform(CITY[1], CITY[3] - TOWN_DEG)
        boxes.append(f"{w:.5f},{s:.5f},{w + TOWN_DEG:.5f},{s + TOWN_DEG:.5f}")
    return boxes


CITY_BOX = f"{CITY[0] - 0.01},{CITY[1] - 0.01},{CITY[2] + 0.01},{CITY[3] + 0.01}"


# --- server: gunicorn sync workers, loopback only -----------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.sites_bench_settings"}
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "backend.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--preload", "--log-level", "error"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            status, _ = fetch(port, "/bench/ok")
            if status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("server did not start")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)  # the server's own process group: gunicorn and its workers
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


# --- clients ----------------------------------------------------------------------


def fetch(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        chunks = []
        while True:
            data = s.recv(262144)
            if not data:
                break
            chunks.append(data)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def sequential(port: int, paths: list[str], n: int) -> list[float]:
    return interleaved(port, [paths], n)[0]


def interleaved(port: int, endpoints: list[list[str]], n: int) -> list[list[float]]:
    """Request i of every endpoint back to back, for i in range(n): the endpoints share
    whatever else the machine is doing, so their ratio stays meaningful on a busy host."""
    samples: list[list[float]] = [[] for _ in endpoints]
    for i in range(n):
        for k, paths in enumerate(endpoints):
            path = paths[i % len(paths)]
            t = time.perf_counter()
            status, _ = fetch(port, path)
            samples[k].append((time.perf_counter() - t) * 1000)
            if status != 200:
                raise SystemExit(f"HTTP {status} for {path}")
    return samples


def wrk(port: int, paths: list[str], seconds: float, paths_file: Path) -> tuple[float, int]:
    """(requests/s, failed requests) from wrk with CONNECTIONS connections, cycling through paths."""
    paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(BENCH / "sites_paths.lua"),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, env={**os.environ, "PATHS_FILE": str(paths_file)}, timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    bad += sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)) if "Socket errors" in out else 0
    return rps, bad


def throughputs(port: int, endpoints: list[list[str]], seconds: float, tmp: Path, rounds: int = 2) -> list[float]:
    """Requests/s per endpoint, each run for `seconds` in all, in alternating rounds (see interleaved())."""
    rates: list[list[float]] = [[] for _ in endpoints]
    for _ in range(rounds):
        for k, paths in enumerate(endpoints):
            rps, bad = wrk(port, paths, seconds / rounds, tmp / "paths.txt")
            if bad:
                raise SystemExit(f"{bad} failed requests under load")
            rates[k].append(rps)
    return [statistics.mean(r) for r in rates]


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- one database -------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([PY, "-W", "ignore", "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return result.stdout


def raw_sql_samples(database_url: str, boxes: list[str], n: int) -> list[float]:
    """(c) the minimal endpoint's SQL, in this process, on one connection."""
    code = f"""
import os, sys, time, json
sys.path[:0] = [{str(ROOT)!r}]
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.sites_bench_settings"
import django; django.setup()
from django.db import connection
from geo.bbox import BBox
from bench.sites_bench_urls import bind, site_sql
select_sql, sp, count_sql, cp = site_sql()
boxes = {boxes!r}
out = []
with connection.cursor() as cur:
    for i in range({n} + 5):
        box = BBox.parse(boxes[i % len(boxes)])
        kw = dict(box=box, type_="factory", status="vacant", area_min=500.0)
        t = time.perf_counter()
        cur.execute(select_sql, bind(sp, **kw)); cur.fetchall()
        cur.execute(count_sql, bind(cp, **kw)); cur.fetchone()
        if i >= 5: out.append((time.perf_counter() - t) * 1000)
print(json.dumps(out))
"""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run([PY, "-W", "ignore", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def check_same_answer(port: int, box: str) -> tuple[int, int]:
    import json

    query = urlencode({"bbox": box, **FILTERS, "limit": 200})
    _, ours = fetch(port, f"/api/sites?{query}")
    _, minimal = fetch(port, f"/bench/sites?{urlencode({'bbox': box, **FILTERS})}")
    ours, minimal = json.loads(ours), json.loads(minimal)
    assert [f["id"] for f in ours["items"]] == [f["id"] for f in minimal["items"]], "different sites"
    assert ours["count"] == minimal["count"], (ours["count"], minimal["count"])
    return len(ours["items"]), ours["count"]


def run_database(label: str, database_url: str, csv_path: Path, quick: bool) -> list[dict]:
    tmp = csv_path.parent
    env = {**os.environ, "DATABASE_URL": database_url}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    started = time.perf_counter()
    out = manage(env, "import_sites", str(csv_path))
    load_s = time.perf_counter() - started
    print(f"\n{label}: {out.splitlines()[0]}")
    print(f"{label}: loading {N_SITES:,} sites through manage.py import_sites took {load_s:.1f} s (process start included)")
    if database_url.startswith("postgres"):
        # What autovacuum does within a minute of a bulk load: sets the visibility map,
        # which index-only scans of the covering indexes need. (The import runs ANALYZE.)
        import psycopg

        with psycopg.connect(database_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            started = time.perf_counter()
            conn.execute("VACUUM sites_site")
            print(f"{label}: VACUUM sites_site {time.perf_counter() - started:.2f} s")

    boxes = town_boxes()
    town_paths = [f"/api/sites?{urlencode({'bbox': b, **FILTERS, 'limit': 200})}" for b in boxes]
    town_min = [f"/bench/sites?{urlencode({'bbox': b, **FILTERS})}" for b in boxes]
    city_paths = [f"/api/sites?{urlencode({'bbox': CITY_BOX, **FILTERS, 'limit': 200})}"]
    city_min = [f"/bench/sites?{urlencode({'bbox': CITY_BOX, **FILTERS})}"]
    cluster_paths = [f"/api/sites/clusters?{urlencode({'bbox': CITY_BOX, 'zoom': 9, **FILTERS})}"]
    n_town, n_city, seconds = (60, 20, 2.0) if quick else (300, 100, 10.0)

    proc, port = start_server(database_url)
    rows = []
    try:
        town_hits = [check_same_answer(port, b)[1] for b in boxes[:20]]
        city_page, city_total = check_same_answer(port, CITY_BOX)
        for paths in (town_paths, town_min, city_paths, city_min, cluster_paths):
            sequential(port, paths, 10)  # warm-up: connections, caches, imports
        scenarios = [
            ("town viewport", f"~{statistics.mean(town_hits):.0f} hits", [("(a) ours GET /api/sites", town_paths), ("(b) minimal ninja", town_min)], boxes, n_town),
            ("whole city", f"{city_total:,} hits, page {city_page}", [("(a) ours GET /api/sites", city_paths), ("(b) minimal ninja", city_min), ("    ours /clusters z9", cluster_paths)], [CITY_BOX], n_city),
        ]
        for name, hits, endpoints, raw_boxes, n in scenarios:
            all_samples = interleaved(port, [paths for _, paths in endpoints], n)
            all_rps = throughputs(port, [paths for _, paths in endpoints], seconds, tmp)
            for (endpoint, _), samples, rps in zip(endpoints, all_samples, all_rps, strict=True):
                rows.append({"db": label, "scenario": name, "hits": hits, "endpoint": endpoint, "p50": pct(samples, 0.5), "p95": pct(samples, 0.95), "rps": rps})
            raw = raw_sql_samples(database_url, raw_boxes, n)
            rows.append({"db": label, "scenario": name, "hits": hits, "endpoint": "(c) raw SQL, 1 conn", "p50": pct(raw, 0.5), "p95": pct(raw, 0.95), "rps": 1000 / statistics.mean(raw)})
    finally:
        stop_server(proc)
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"\n{'database':<11}{'scenario':<15}{'endpoint':<26}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>9}   hits")
    for r in rows:
        print(f"{r['db']:<11}{r['scenario']:<15}{r['endpoint']:<26}{r['p50']:>8.2f}{r['p95']:>8.2f}{r['rps']:>9.0f}   {r['hits']}")
    print("\nratios (ours ÷ minimal; ours ÷ raw SQL) — aim: town p50 ≤ 1.5× minimal; city p95 < 30 ms")
    by = {(r["db"], r["scenario"], r["endpoint"][:3]): r for r in rows}
    for db in dict.fromkeys(r["db"] for r in rows):
        for scenario in ("town viewport", "whole city"):
            a, b, c = by[(db, scenario, "(a)")], by[(db, scenario, "(b)")], by[(db, scenario, "(c)")]
            print(
                f"{db:<11}{scenario:<15} p50 {a['p50'] / b['p50']:.2f}×  p95 {a['p95'] / b['p95']:.2f}×  "
                f"req/s {a['rps'] / b['rps']:.2f}×  |  vs raw SQL p50 {a['p50'] / c['p50']:.2f}×"
            )
    print(f"(req/s: wrk, {CONNECTIONS} connections; gunicorn, {WORKERS} sync workers; p50/p95: one connection, sequential; raw SQL: 1 connection, 1/mean)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    parser.add_argument("--keep", action="store_true", help="keep the databases (SQLite file in var/, PostgreSQL dxe_bench_sites)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores; other work on the machine skews every figure)")
    tmp = Path(tempfile.mkdtemp(prefix="dxe_sites_bench_"))
    rows: list[dict] = []
    try:
        csv_path = tmp / "city_sites.csv"
        write_city_csv(csv_path)
        sqlite_path = tmp / "bench.sqlite3"
        rows += run_database("SQLite", f"sqlite:///{sqlite_path}", csv_path, args.quick)
        if args.keep:
            shutil.copy(sqlite_path, ROOT / "var" / "bench_sites.sqlite3")
        if not args.sqlite_only:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DB}")
            try:
                rows += run_database("PostgreSQL", f"postgres://postgres@127.0.0.1:5432/{PG_DB}", csv_path, args.quick)
            finally:
                if not args.keep:
                    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_table(rows)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
