"""A 36,600-row XLSX visits export: the old in-request path vs the worker task (issue 10 item 3, issue 11 item 9).

    .venv/bin/python bench/exports.py                 # SQLite
    .venv/bin/python bench/exports.py --postgres      # also PostgreSQL (database dxe_bench_exports)
    .venv/bin/python bench/exports.py --repeat 5

A fresh database gets 100 staff, 500 enterprises and 36,600 visits (100 a day through
2024, a leap year: the longest range an export may ask for). Each measurement runs in
its own process, so that peak memory is that export's alone:

  old      what the request did before: the whole queryset in memory, every row as a
           dict, an openpyxl workbook built in memory and saved to bytes (the baseline)
  task     the worker task (reports.tasks.export_file): rows streamed from a server-side
           cursor / chunked iterator into openpyxl's write-only mode, written to the job's
           file, progress written to the job row about once a second
  stream   the same streaming writer into memory (the synchronous path for small exports)

It prints medians of wall time and of peak RSS above the process's RSS just before the
export (Django loaded, connection open), each one's ratio to `old` in the same run, and
the Python heap's peak from one more run under tracemalloc. On SQLite the RSS includes
the page cache and memory-mapped database pages (`cache_size` 64 MB, `mmap_size` 256 MB
in settings), which the streaming paths touch too; the heap peak is the export's own.
Figures go to docs/notes.md; this is not part of the test suite.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
ROWS_PER_DAY = 100
YEAR = 2024


def _django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()


def setup() -> None:
    """Migrate and load the visits (in bulk: this is the fixture, not the thing measured)."""
    _django()
    import datetime as dt
    import uuid
    from zoneinfo import ZoneInfo

    from django.core.management import call_command

    from backend.accounts.models import OrgUnit, User
    from backend.enterprises.models import Enterprise
    from backend.visits.models import Visit

    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    team = OrgUnit.objects.create(code="bench", name="基准组", kind="team")
    User.objects.create_user(username="bench_admin", password="bench-pass-123", role=User.Role.ADMIN)
    User.objects.bulk_create(
        [User(username=f"staff{i}", display_name=f"干部{i}", role=User.Role.STAFF, org_unit=team, password="!") for i in range(100)]
    )
    staff = list(User.objects.filter(role=User.Role.STAFF).values_list("id", flat=True))
    Enterprise.objects.bulk_create(
        [Enterprise(uscc=f"91310000MA{i:07d}X", name=f"基准企业{i}有限公司", lat=31.1, lng=121.4) for i in range(500)]
    )
    enterprises = list(Enterprise.objects.values_list("id", flat=True))
    tz = ZoneInfo("Asia/Shanghai")
    day, batch, n = dt.date(YEAR, 1, 1), [], 0
    while day.year == YEAR:
        for i in range(ROWS_PER_DAY):
            at = dt.datetime.combine(day, dt.time(8 + i % 10, i % 60), tz)
            batch.append(Visit(
                client_id=uuid.uuid4(), staff_id=staff[n % len(staff)], enterprise_id=enterprises[n % len(enterprises)],
                checkin_at=at, checkin_received_at=at, checkin_lat=31.1, checkin_lng=121.4, distance_m=12.5,
                within_geofence=True, checkout_client_id=uuid.uuid4(), checkout_at=at + dt.timedelta(minutes=40),
                checkout_received_at=at, checkout_lat=31.1, checkout_lng=121.4, rating=n % 5 + 1 if n % 3 else None,
            ))
            n += 1
        if len(batch) >= 5000:
            Visit.objects.bulk_create(batch)
            batch = []
        day += dt.timedelta(days=1)
    Visit.objects.bulk_create(batch)
    print(f"loaded {Visit.objects.count()} visits", file=sys.stderr)


def _rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def _old_visit_rows(visits) -> list[dict]:
    """exports.visit_rows as it was: model instances (four per row) into a list of dicts."""
    from backend.visits.models import Visit
    from geo.flags import FLAG_LABELS

    purposes = dict(Visit.Purpose.choices)
    rows = []
    for v in visits:
        local_in = v.checkin_at.astimezone()
        rows.append({
            "date": local_in.date().isoformat(),
            "checkin": local_in.strftime("%H:%M"),
            "checkout": v.checkout_at.astimezone().strftime("%H:%M") if v.checkout_at else "",
            "staff": v.staff.shown_name,
            "team": v.staff.org_unit.name if v.staff.org_unit_id else "",
            "enterprise": v.enterprise.name,
            "uscc": v.enterprise.uscc,
            "distance_m": round(v.distance_m),
            "within": "是" if v.within_geofence else "否",
            "purpose": purposes.get(v.purpose, ""),
            "demands": v.n_demands,
            "flags": "、".join(FLAG_LABELS.get(f, f) for f in [*v.flags, *v.checkout_flags]),
            "rating": v.rating if v.rating is not None else "",
        })
    return rows


def old_in_request(user, date_from, date_to) -> int:
    """The export view before the worker path, as it was: everything in memory at once."""
    import io

    from django.db.models import Count
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from backend.reports import exports, selectors
    from backend.visits.models import Visit

    start, end = selectors._local_range(date_from, date_to)
    visits = (
        Visit.objects.filter(staff__in=selectors.team_members(user=user), checkin_at__gte=start, checkin_at__lt=end)
        .select_related("staff__org_unit", "enterprise")
        .annotate(n_demands=Count("demands"))
        .order_by("checkin_at", "id")
    )
    rows = _old_visit_rows(visits)  # iterating the queryset filled its cache: every instance stays
    set(visits.values_list("staff_id", flat=True))  # the access log's subjects, one per visit
    columns = exports.VISIT_COLUMNS
    totals = {"date": "合计", "demands": sum(r["demands"] for r in rows), "staff": f"{len(rows)} 次走访"}
    wb = Workbook()
    ws = wb.active
    ws.title = "走访记录"
    ws.append([t for _, t in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row[key] for key, _ in columns])
    ws.append([totals.get(key, "合计" if i == 0 else None) for i, (key, _) in enumerate(columns)])
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return len(out.getvalue())


def worker_task(user, date_from, date_to) -> int:
    from django.conf import settings

    from backend.jobs.models import Job
    from backend.reports.tasks import export_file

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp())
    job = Job.objects.create(user=user, kind="reports.visits_export", title="基准")
    export_file.call(key=f"job:{job.id}", job_id=str(job.id), export="visits", user_id=user.id,
                     date_from=date_from.isoformat(), date_to=date_to.isoformat(), fmt="xlsx")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == 365 * ROWS_PER_DAY + ROWS_PER_DAY, (job.status, job.done)
    return (settings.MEDIA_ROOT / job.file).stat().st_size


def stream_to_memory(user, date_from, date_to) -> int:
    from backend.reports import exports

    return len(exports.export_bytes(kind="visits", user=user, date_from=date_from, date_to=date_to, fmt="xlsx"))


VARIANTS = {"old": old_in_request, "task": worker_task, "stream": stream_to_memory}


def measure(variant: str, *, heap: bool) -> None:
    """One export; with `heap`, under tracemalloc (slower: its time is not reported)."""
    _django()
    import datetime as dt
    import tracemalloc

    from backend.accounts.models import User

    user = User.objects.get(username="bench_admin")
    before = _rss_kb()
    if heap:
        tracemalloc.start()
    started = time.perf_counter()
    size = VARIANTS[variant](user, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    heap_mb = tracemalloc.get_traced_memory()[1] / 2**20 if heap else None
    print(json.dumps({"wall": wall, "peak_mb": (peak - before) / 1024, "heap_mb": heap_mb, "bytes": size}))


def run(env: dict, repeat: int, label: str) -> None:
    subprocess.run([sys.executable, __file__, "--setup"], env=env, check=True)
    results: dict[str, list[dict]] = {v: [] for v in VARIANTS}
    def one(variant: str, *extra: str) -> dict:
        out = subprocess.run([sys.executable, __file__, "--measure", variant, *extra], env=env, check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    for _ in range(repeat):
        for variant in VARIANTS:
            results[variant].append(one(variant))
    heaps = {variant: one(variant, "--heap")["heap_mb"] for variant in VARIANTS}
    base_wall = statistics.median(r["wall"] for r in results["old"])
    base_peak = statistics.median(r["peak_mb"] for r in results["old"])
    rows = 366 * ROWS_PER_DAY
    for variant, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        print(f"{label:<10} {variant:<7} {rows} rows XLSX  wall {wall:6.2f} s ({wall / base_wall:4.2f}× old)   "
              f"peak RSS +{peak:6.1f} MB ({peak / base_peak:4.2f}× old)   Python heap peak {heaps[variant]:6.1f} MB "
              f"({heaps[variant] / heaps['old']:4.2f}× old)   {runs[0]['bytes'] / 1e6:.1f} MB file", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--heap", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    if args.measure:
        measure(args.measure, heap=args.heap)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run({**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}, args.repeat, "sqlite")
    if args.postgres:
        import psycopg

        admin = "postgresql://postgres@127.0.0.1:5432/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS dxe_bench_exports")
            conn.execute("CREATE DATABASE dxe_bench_exports")
        try:
            run({**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dxe_bench_exports"}, args.repeat, "postgresql")
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS dxe_bench_exports WITH (FORCE)")


if __name__ == "__main__":
    main()
