"""Import speed: 100,000 points in EPSG:4549 (CGCS2000 Gauss–Krüger, 120°E) into SQLite.

    .venv/bin/python bench/sites_import.py            # 100,000 rows, 3 runs each
    .venv/bin/python bench/sites_import.py --small    # 2,000 rows, a smoke run
    .venv/bin/python bench/sites_import.py --rows 20000 --runs 5 --format shp

Per run, in one process and on a fresh migrated SQLite file:
  baseline — the bare read + transform: pyogrio.read_dataframe of the file and one
             pyproj call for all points (what no importer can beat);
  import   — sites_import() of the file into an empty table;
  reimport — sites_import() of a second file where every row changed (name, rent,
             position moved ~10 m), so every row is an UPDATE.
Prints wall and CPU (process) time medians and the ratio to the baseline measured in
the same run, so a busy machine moves all three together.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPES = ["厂房", "办公", "仓库", "商铺", "土地", "其他"]
STATUSES = ["空置", "空置", "空置", "洽谈中", "已出租"]


def make_file(path: Path, n: int, *, seed: int, shift_m: float = 0.0, suffix: str = "") -> None:
    """n points uniform over the Shanghai area, written in EPSG:4549 metres with pyogrio."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    from pyproj import Transformer

    rng = np.random.default_rng(seed)
    lng = rng.uniform(120.85, 121.45, n)  # inside the zone's area of use (≤ 121.5°E)
    lat = rng.uniform(30.70, 31.90, n)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True).transform(lng, lat)
    unit = rng.integers(0, 300, n)
    ids = np.arange(n)
    frame = pd.DataFrame(
        {
            "编号": [f"SH-{i:06d}" for i in ids],
            "名称": [f"第{u}社{i}号场地{suffix}" for u, i in zip(unit, ids, strict=True)],
            "类型": np.array(TYPES)[ids % len(TYPES)],
            "状态": np.array(STATUSES)[rng.integers(0, len(STATUSES), n)],
            "建筑面积": np.round(10 ** rng.uniform(1.7, 4.3, n), 1),
            "租金": np.round(rng.uniform(0.5, 3.0, n) + (0.01 if suffix else 0), 2),
            "租金单位": "元/m²/天",
            "单位编码": [f"C{u:04d}" for u in unit],
            "资源持有单位": [f"第{u}经济合作社" for u in unit],
            "联系电话": [f"138{i:08d}" for i in ids],
            "可租日期": "2026-09-01",
        }
    )
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(np.asarray(x) + shift_m, np.asarray(y) + shift_m), crs="EPSG:4549")
    gdf.to_file(path, engine="pyogrio", encoding="UTF-8")


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def baseline(path: Path) -> None:
    import numpy as np
    import pyogrio
    import shapely
    from pyproj import Transformer

    gdf = pyogrio.read_dataframe(path)
    coords = shapely.get_coordinates(np.asarray(gdf.geometry.values))
    Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True).transform(coords[:, 0], coords[:, 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="2,000 rows, 2 runs")
    parser.add_argument("--format", choices=["gpkg", "shp"], default="gpkg")
    args = parser.parse_args()
    if args.small:
        args.rows, args.runs = 2_000, 2

    work = Path(tempfile.mkdtemp(prefix="bench_sites_import_"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from backend.sites.imports import sites_import
    from backend.sites.models import OwnerUnit, Site

    first, second = work / f"sites.{args.format}", work / f"sites_changed.{args.format}"
    make_file(first, args.rows, seed=1)
    make_file(second, args.rows, seed=1, shift_m=10.0, suffix="（更新）")
    call_command("migrate", verbosity=0)

    figures: dict[str, list[tuple[float, float]]] = {"baseline": [], "import": [], "reimport": []}
    for run in range(args.runs):
        Site.objects.all().delete()
        OwnerUnit.objects.all().delete()
        figures["baseline"].append(timed(lambda: baseline(first)))
        result = {}
        figures["import"].append(timed(lambda: result.update(a=sites_import(path=first))))
        figures["reimport"].append(timed(lambda: result.update(b=sites_import(path=second))))
        a, b = result["a"], result["b"]
        assert a.imported and a.created == args.rows, a.lines()[:5]
        assert b.imported and b.updated == args.rows, b.lines()[:5]
        print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1][0]:.2f} s" for k, v in figures.items()), flush=True)
    connection.close()

    load = os.getloadavg()[0]
    print(f"\n{args.rows:,} points, EPSG:4549 {args.format}, SQLite, {args.runs} runs, load average {load:.1f}")
    print(f"{'step':<10} {'wall s':>8} {'cpu s':>8} {'× baseline':>11}")
    base = statistics.median(w for w, _ in figures["baseline"])
    for name, values in figures.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"{name:<10} {wall:>8.2f} {cpu:>8.2f} {wall / base:>11.1f}")


if __name__ == "__main__":
    main()
