"""Time loading the demo town into a fresh database (issue #2: under 60 s on SQLite).

    .venv/bin/python bench/load_demo_town.py            # SQLite
    .venv/bin/python bench/load_demo_town.py --postgres # also PostgreSQL (database dxe_bench)

Each run migrates an empty database, then times `manage.py load_demo_town` in a
separate process, as `make demo` does. Prints one line per database.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(result.stdout + result.stderr)
    return result.stdout


def measure(label: str, database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    started = time.perf_counter()
    out = manage(env, "load_demo_town", "--no-shift")
    elapsed = time.perf_counter() - started
    print(f"{label:<11} load_demo_town: {elapsed:6.1f} s wall (process start included)  | {out.splitlines()[0]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
    if args.postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS dxe_bench")
            conn.execute("CREATE DATABASE dxe_bench")
        try:
            measure("PostgreSQL", "postgres://postgres@127.0.0.1:5432/dxe_bench")
        finally:
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS dxe_bench WITH (FORCE)")


if __name__ == "__main__":
    main()
