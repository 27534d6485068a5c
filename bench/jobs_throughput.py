"""How many background tasks per second the database queue runs (issue 10, item 3).

    .venv/bin/python bench/jobs_throughput.py                 # PostgreSQL (database dxe_bench_jobs)
    .venv/bin/python bench/jobs_throughput.py --sqlite        # also SQLite
    .venv/bin/python bench/jobs_throughput.py --tasks 2000 --rounds 5

Per database and round: start W `manage.py run_worker` processes and wait until they
beat (start-up is not timed), then queue N probe tasks in one transaction through the
Tasks API — each task commits one small effect under `once()`, as real tasks do — and
time from the commit until every task has succeeded. The baseline, measured in the
same run, is the same N effects done in this process with no queue at all (`once()` +
insert in a loop): the ratio says what the queue adds to the work. Prints medians.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
WORKER_COUNTS = (1, 2)


def measure(*, tasks: int, rounds: int) -> None:
    """Runs in a child process whose DATABASE_URL is the database to measure."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from backend.jobs import tasks as job_tasks
    from backend.jobs.models import ProbeEffect, WorkerBeat
    from backend.jobs.services import enqueue, once

    call_command("migrate", verbosity=0)
    results: dict[str, list[float]] = {"baseline: no queue, 1 process": []}
    results.update({f"{w} worker{'s' if w > 1 else ''}": [] for w in WORKER_COUNTS})

    def baseline(round_: int) -> float:
        started = time.perf_counter()
        for i in range(tasks):
            key = f"base:{round_}:{i}"
            with once(key) as first:
                if first:
                    ProbeEffect.objects.create(key=key)
        return time.perf_counter() - started

    def queued(round_: int, workers: int) -> float:
        ids = [f"bench-{round_}-{workers}-{w}" for w in range(workers)]
        env = {**os.environ, "JOBS_BEAT_S": "5"}
        procs = [
            subprocess.Popen([PY, "manage.py", "run_worker", "--worker-id", wid, "--interval", "0.05", "--no-schedule"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for wid in ids
        ]
        try:
            while WorkerBeat.objects.filter(worker_id__in=ids).count() < workers:
                time.sleep(0.05)
            prefix = f"bench:{round_}:{workers}:"
            started = time.perf_counter()
            with transaction.atomic():
                for i in range(tasks):
                    enqueue(job_tasks.probe, key=f"{prefix}{i}")
            done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, args_kwargs__kwargs__key__startswith=prefix)
            while done.count() < tasks:
                time.sleep(0.02)
            return time.perf_counter() - started
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=60)

    for r in range(rounds):
        results["baseline: no queue, 1 process"].append(baseline(r))
        for w in WORKER_COUNTS:
            results[f"{w} worker{'s' if w > 1 else ''}"].append(queued(r, w))
    base = statistics.median(results["baseline: no queue, 1 process"])
    print(f"\n{connection.vendor}: {tasks} tasks × {rounds} rounds, medians")
    print(f"{'':<32}{'seconds':>9}{'tasks/s':>10}{'of baseline':>13}")
    for name, times in results.items():
        t = statistics.median(times)
        print(f"{name:<32}{t:>9.2f}{tasks / t:>10.0f}{base / t:>12.0%}")


def child(database_url: str, args) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url}
    subprocess.run([PY, __file__, "--measure", "--tasks", str(args.tasks), "--rounds", str(args.rounds)],
                   cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="also measure SQLite")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, str(ROOT))
        measure(tasks=args.tasks, rounds=args.rounds)
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS dxe_bench_jobs WITH (FORCE)")
        conn.execute("CREATE DATABASE dxe_bench_jobs")
    try:
        child("postgres://postgres@127.0.0.1:5432/dxe_bench_jobs", args)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS dxe_bench_jobs WITH (FORCE)")
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            child(f"sqlite:///{tmp}/jobs.sqlite3", args)


if __name__ == "__main__":
    main()
