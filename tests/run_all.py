"""`make test`: the whole suite on SQLite, then on PostgreSQL.

PostgreSQL is required in CI (CI=true): unreachable there is a failure, not a
skip. On a laptop without it, the PostgreSQL run is skipped with a warning.
"""

import os
import subprocess
import sys

PG_URL = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/dianxiaoer")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_reachable() -> str | None:
    import psycopg

    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=5):
            return None
    except psycopg.Error as exc:
        return str(exc).strip()


def run(label: str, env: dict[str, str]) -> int:
    print(f"\n===== test suite on {label} =====", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)


def main() -> int:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    failures = 0
    if run("SQLite", base) != 0:
        failures += 1
    problem = postgres_reachable()
    if problem is None:
        if run("PostgreSQL", {**base, "DATABASE_URL": PG_URL}) != 0:
            failures += 1
    elif IN_CI:
        print(f"PostgreSQL is required in CI and is not reachable: {problem}", file=sys.stderr)
        failures += 1
    else:
        print(f"WARNING: PostgreSQL not reachable, its run is skipped here: {problem}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
