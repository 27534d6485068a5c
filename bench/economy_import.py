"""Indicator import speed (issue 16, acceptance 3: a 30,000-row import ≤ 30 s).

    .venv/bin/python bench/economy_import.py                 # 30,000 rows, SQLite and PostgreSQL, 3 runs
    .venv/bin/python bench/economy_import.py --rows 3000 --runs 1 --sqlite-only   # a smoke run

The file: 1,250 enterprises × 24 months, every column (信用代码, 名称, 月份, 是否规上, five
indicators), written by openpyxl. Per run, on a fresh migrated database with the
enterprises already in the registry:
  baseline — openpyxl reading every cell of the file (what no importer can beat);
  import   — indicators_import() into an empty table;
  reimport — the same file with every tax changed: every row an UPDATE and a Correction.
Medians and the ratio to the baseline of the same run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB = os.environ.get("BENCH_DB", "dxe_bench_economy")


def make_file(n_rows: int, *, bump: int = 0) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["统一社会信用代码", "企业名称", "月份", "是否规上", "税收（万元）", "营业收入（万元）", "工业总产值（万元）", "从业人员（人）", "综合能耗（吨标准煤）"])
    firms = max(1, n_rows // 24)
    for i in range(n_rows):
        firm, m = divmod(i, 24)
        year, month = 2024 + m // 12, m % 12 + 1
        sheet.append([uscc(firm % firms), f"企业{firm}", f"{year}-{month:02d}", "是" if firm % 3 else "否",
                      100 + firm % 50 + bump, 1000 + m, 900 + m, 50 + firm % 7, 30.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def uscc(i: int) -> str:
    from backend.enterprises.uscc import check_character

    body = f"91310000MA{i:06d}0"
    return body + check_character(body)


def run(label: str, rows: int, runs: int) -> None:
    import django
    from django.db import connection

    django.setup()
    from backend.accounts.models import User
    from backend.economy.imports import indicators_import
    from backend.economy.models import Correction, ImportBatch, MonthlyIndicator
    from backend.enterprises.models import Enterprise

    first, second = make_file(rows), make_file(rows, bump=7)
    firms = max(1, rows // 24)
    admin = User.objects.create(username="bench_admin", role="admin")
    Enterprise.objects.bulk_create(
        [Enterprise(uscc=uscc(i), name=f"企业{i}", industry="C") for i in range(firms)], batch_size=2000
    )

    def read_only():
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(first), read_only=True, data_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()

    results = {"baseline": [], "import": [], "reimport": []}
    for _ in range(runs):
        Correction.objects.all().delete()
        MonthlyIndicator.objects.all().delete()
        ImportBatch.objects.all().delete()
        for name, call in (
            ("baseline", read_only),
            ("import", lambda: indicators_import(user=admin, data=first, file_name="a.xlsx")),
            ("reimport", lambda: indicators_import(user=admin, data=second, file_name="b.xlsx")),
        ):
            t = time.perf_counter()
            report = call()
            results[name].append(time.perf_counter() - t)
            if report is not None:
                assert report.imported and not report.problems, report.problems[:3]
    assert MonthlyIndicator.objects.count() == rows and Correction.objects.count() == rows
    base = statistics.median(results["baseline"])
    print(f"{label} ({connection.vendor}), {rows:,} rows, median of {runs}:")
    for name, samples in results.items():
        median = statistics.median(samples)
        print(f"  {name:<9} {median:7.2f} s   {median / base:5.1f}× the baseline")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
        return run(args.child, args.rows, args.runs)
    common = [sys.executable, __file__, "--rows", str(args.rows), "--runs", str(args.runs), "--child"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*common, "sqlite"], cwd=ROOT, env=env, check=True)
    if not args.sqlite_only:
        from bench.pgdata import db_url, fresh_database

        fresh_database(DB)
        subprocess.run([*common, "postgres"], cwd=ROOT, env={**os.environ, "DATABASE_URL": db_url(DB)}, check=True)


if __name__ == "__main__":
    main()
