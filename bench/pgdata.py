"""What the PostgreSQL benchmarks share: a throwaway database built by generate_series, the
1,000 officials in 20 units most of them start from, and median/p95 timing.

Run from the scripts in this folder (`.venv/bin/python bench/<name>.py`), never from the suite.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def db_url(db: str) -> str:
    """The Django DATABASE_URL of a bench database (psycopg wants `postgresql://`)."""
    return f"postgres://postgres@127.0.0.1:5432/{db}"


def connect(db: str):
    import psycopg

    return psycopg.connect(db_url(db).replace("postgres://", "postgresql://"), autocommit=True)


def fresh_database(db: str) -> None:
    """Drops and creates `db`, then migrates it with the project's own migrations."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {db}")
    env = {**os.environ, "DATABASE_URL": db_url(db)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def drop_database(db: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def insert_officials(conn, *, unit_name: str) -> None:
    """20 units named `unit_name`1…20 and 1,000 officials, one in fifty a manager."""
    conn.execute(
        "INSERT INTO accounts_orgunit (code, name, kind) "
        "SELECT 'B' || g, %s || g, 'team' FROM generate_series(1, 20) g",
        (unit_name,),
    )
    conn.execute(
        """INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
               is_staff, is_active, date_joined, role, display_name, mobile, org_unit_id)
           SELECT '!', false, 'bench' || g, '', '', '', false, true, now(),
                  CASE WHEN g % 50 = 0 THEN 'manager' ELSE 'staff' END, '干部' || g, '',
                  (SELECT id FROM accounts_orgunit WHERE code = 'B' || (g % 20 + 1))
           FROM generate_series(1, 1000) g"""
    )


def setup_django(db: str) -> None:
    """Points Django at the bench database, in this process."""
    os.environ["DATABASE_URL"] = db_url(db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and p95 of `repeat` calls, in milliseconds."""
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def insert_enterprises(conn, *, n: int, box: tuple[float, float, float, float], assigned: bool) -> None:
    """`n` enterprises spread uniformly over box = (lng_min, lat_min, lng_max, lat_max); when
    `assigned`, each to one of the officials in turn (the visits need an owner)."""
    lng0, lat0, lng1, lat1 = box
    staff = "(SELECT min(id) FROM accounts_user) + (g % 1000)" if assigned else "NULL"
    conn.execute(
        f"""INSERT INTO enterprises_enterprise (uscc, name, name_initials, address, lat, lng, industry, size,
               tags, assigned_staff_id, created_at, updated_at, contact_mobile, pending)
           SELECT lpad(g::text, 18, '0'), '企业' || g, '', '', {lat0} + random() * {lat1 - lat0},
                  {lng0} + random() * {lng1 - lng0}, 'C', 'small', '[]', {staff}, now(), now(), '', false
           FROM generate_series(1, {n}) g"""
    )
