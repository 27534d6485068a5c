"""`make test`: the whole pytest suite on SQLite and on PostgreSQL, side by side.

The two runs go in parallel (each pytest mostly waits on one core, app servers and
Chromium; side by side on 2 cores the suite took ~10 min instead of ~19 one after the
other). Each run has its own database, Redis key prefix and log; the logs are printed
whole, one after the other, when both have ended. `TEST_SERIAL=1` runs them one after
the other with live output instead.

PostgreSQL is required in CI (CI=true): unreachable there is a failure, not a
skip. On a laptop without it, the PostgreSQL run is skipped with a warning.
"""

import os
import subprocess
import sys
import tempfile

PG_URL = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/dianxiaoer")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SERIAL = os.environ.get("TEST_SERIAL", "").lower() in ("1", "true", "yes")


def postgres_reachable() -> str | None:
    import psycopg

    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return str(exc).strip()


def main() -> int:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    runs = [("SQLite", {**base, "CACHE_KEY_PREFIX": "dxe-test-sqlite"})]
    failures = 0
    problem = postgres_reachable()
    if problem is None:
        runs.append(("PostgreSQL", {**base, "DATABASE_URL": PG_URL, "CACHE_KEY_PREFIX": "dxe-test-pg"}))
    elif IN_CI:
        print(f"PostgreSQL is required in CI and is not reachable: {problem}", file=sys.stderr)
        failures += 1
    else:
        print(f"WARNING: PostgreSQL not reachable, its run is skipped here: {problem}", file=sys.stderr)
    cmd = [sys.executable, "-m", "pytest", *sys.argv[1:]]
    if SERIAL:
        for label, env in runs:
            print(f"\n===== test suite on {label} =====", flush=True)
            failures += subprocess.call(cmd, env=env) != 0
        return 1 if failures else 0
    with tempfile.TemporaryDirectory() as tmp:
        started = []
        for label, env in runs:
            log = open(os.path.join(tmp, f"{label}.log"), "w+")
            print(f"===== test suite on {label}: started =====", flush=True)
            started.append((label, subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT), log))
        for label, proc, log in started:
            code = proc.wait()
            log.seek(0)
            print(f"\n===== test suite on {label} (exit {code}) =====", flush=True)
            sys.stdout.write(log.read())
            sys.stdout.flush()
            log.close()
            failures += code != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
