"""The phone's budgets (issue 12 item 3): bytes of a first load, Lighthouse, and a 10,000-site map.

    .venv/bin/python bench/frontend_budgets.py                 # everything (~5 min)
    .venv/bin/python bench/frontend_budgets.py --no-lighthouse # bytes and the map only
    .venv/bin/python bench/frontend_budgets.py --runs 5
    .venv/bin/python bench/frontend_budgets.py --only after --out /tmp/lh  # keep Lighthouse's reports

One throwaway SQLite database: the demo town (its people, enterprises, visits) plus
10,000 generated sites inside the town's boundary, imported through `import_sites`. Two
app servers side by side on loopback, both under gunicorn with DEBUG off so WhiteNoise
answers as in production (gzip/brotli, immutable names): **before** (`FRONTEND_BUILD=0`,
the source modules as written) and **after** (the esbuild bundle, `make install`). Then:

1. **First-load bytes**, as the budget counts them: a fresh Chromium context (no HTTP
   cache, service workers blocked so only the page's own requests count), a 360 × 780
   phone, `/` anonymous, `/` as demo_staff and `#/sites`; the sum of every response's
   encoded (on-the-wire) size except `/api/` data and map tiles. Budget 150 KB each.
2. **Lighthouse** 12.8.2 (pinned in bench/lighthouse/package-lock.json, installed there by
   `npm ci` on first use; 12.x is the last major that runs on Node 20), mobile preset with
   its simulated slow 4G and 4× CPU, on `/` and `/#/sites`: performance and accessibility,
   median of `--runs`. Budgets ≥ 95 and 100.
3. **10,000 sites on the phone map**, Chromium's CPU throttled 4× (CDP), warm HTTP cache:
   from navigation to the map showing the town's sites (pins or clusters drawn and the
   list filled) and to *interactive* — the end of the last long task (> 50 ms) after that,
   from the browser's own Long Tasks timeline. Budget < 1 s to interactive. Median of
   `--runs`.

Prints one table, before and after, with the budgets. Nothing is asserted: times stay
here; `tests/api/test_build_budget.py` guards the bytes in the suite.
"""

import argparse
import csv
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
N_SITES = 10_000
# The demo town's boundary box (fixtures/demo_town/boundary.geojson), a little inside it.
TOWN = (121.388, 31.098, 121.455, 31.145)
TYPES = ["厂房", "仓库", "办公", "商铺", "土地", "其他"]
BUDGET_KB = 150
PHONE = {"width": 360, "height": 780}
DEMO_PASSWORD = "dianxiaoer-demo"  # backend/demo/services.py (importing it would need Django set up)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_sites(path: Path, n: int = N_SITES) -> None:
    rng = random.Random(12)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "名称", "类型", "状态", "建筑面积", "租金", "租金单位", "单位编码", "资源持有单位", "联系电话", "经度", "纬度"])
        for i in range(n):
            unit = rng.randrange(40)
            w.writerow([
                f"B-{i:05d}", f"第{unit}社{i}号场地", TYPES[i % len(TYPES)],
                "vacant" if rng.random() < 0.8 else "leased", round(10 ** rng.uniform(1.7, 4.3), 1),
                round(rng.uniform(0.5, 3.0), 2), "元/m²/天", f"B{unit:03d}", f"第{unit}村经济合作社",
                f"139{rng.randrange(10**8):08d}",
                f"{rng.uniform(TOWN[0], TOWN[2]):.6f}", f"{rng.uniform(TOWN[1], TOWN[3]):.6f}",
            ])


def prepare(env: dict, tmp: Path) -> None:
    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    manage("migrate", "-v0")
    manage("createcachetable")
    manage("load_demo_town")
    csv_path = tmp / "sites.csv"
    write_sites(csv_path)
    manage("import_sites", str(csv_path))


def serve(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "backend.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--preload", "--log-level", "error"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the app server did not start")


def log_in(context, base: str) -> None:
    context.request.get(f"{base}/api/auth/csrf")
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    answer = context.request.post(
        f"{base}/api/auth/login", data={"username": "demo_staff", "password": DEMO_PASSWORD},
        headers={"X-CSRFToken": token, "Referer": base + "/"},
    )
    assert answer.ok, answer.text()
    # Past the one-time privacy notice, as any returning staff member is.
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    context.request.post(f"{base}/api/auth/privacy-ack", data={}, headers={"X-CSRFToken": token, "Referer": base + "/"})


def first_load_kb(browser, base: str, path: str, *, staff: bool) -> tuple[float, int]:
    """KB on the wire (encoded) and requests of a cold first load, API data and tiles excluded."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  service_workers="block", locale="zh-CN")
    if staff:
        log_in(context, base)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(500)
    counted = [sizes[r] for r, url in urls.items() if r in sizes and "/api/" not in url and "/tiles/" not in url]
    context.close()
    return sum(counted) / 1024, len(counted)


def map_times(browser, base: str, runs: int) -> tuple[float, float]:
    """Median ms from navigation to the sites drawn, and to interactive (last long task's end)."""
    ready_ms, interactive_ms = [], []
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  service_workers="block", locale="zh-CN")
    page = context.new_page()
    page.add_init_script(
        "window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) "
        "window.__long.push(e.startTime + e.duration); }).observe({ type: 'longtask', buffered: true });"
    )
    page.goto(base + "/#/sites", wait_until="networkidle")  # warms the HTTP cache, as a returning visitor
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    for _ in range(runs):
        page.goto("about:blank")
        page.goto(base + "/#/sites", wait_until="commit")
        page.wait_for_function(
            "() => document.querySelector('.dxe-site-dot, .dxe-site-cluster') && document.querySelector('[data-state=ready]')",
            timeout=30_000, polling=10,
        )
        ready = page.evaluate("() => performance.now()")
        page.wait_for_timeout(1500)  # long enough for any task still coming to show
        last = page.evaluate("() => Math.max(0, ...window.__long)")
        ready_ms.append(ready)
        interactive_ms.append(max(ready, last))
    context.close()
    return statistics.median(ready_ms), statistics.median(interactive_ms)


def lighthouse(url: str, runs: int, out_dir: Path | None = None, name: str = "") -> tuple[float, float]:
    if not (LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
                       cwd=LIGHTHOUSE_DIR, check=True)
    perf, a11y = [], []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run(
                [str(LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"), url, "--quiet",
                 "--only-categories=performance,accessibility", "--output=json", f"--output-path={out.name}",
                 "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
            )
            report = json.loads(Path(out.name).read_text())
            if out_dir:  # the whole report, to read the failing audits
                shutil.copy(out.name, out_dir / f"lighthouse-{name}-{len(perf) + 1}.json")
        perf.append(report["categories"]["performance"]["score"] * 100)
        a11y.append(report["categories"]["accessibility"]["score"] * 100)
    return statistics.median(perf), statistics.median(a11y)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--only", choices=("before", "after"), help="measure one side only")
    parser.add_argument("--out", type=Path, help="keep Lighthouse's JSON reports in this folder")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="dx-budgets-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")}
    env.update(DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}", MEDIA_ROOT=str(tmp / "media"),
               CACHE_KEY_PREFIX=f"dx-budgets-{os.getpid()}")
    procs = []
    try:
        print(f"preparing the demo town and {N_SITES:,} sites …", flush=True)
        prepare(env, tmp)
        bases = {}
        for label, build in (("before", "0"), ("after", "1")):
            if args.only and label != args.only:
                continue
            port = free_port()
            procs.append(serve({**env, "FRONTEND_BUILD": build}, port))
            bases[label] = f"http://127.0.0.1:{port}"
        rows: dict[str, dict[str, str]] = {label: {} for label in bases}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for label, base in bases.items():
                for name, path, staff in (("/ anonymous", "/", False), ("/ as staff", "/", True), ("#/sites", "/#/sites", False)):
                    kb, n = first_load_kb(browser, base, path, staff=staff)
                    rows[label][f"first load {name}, KB (requests)"] = f"{kb:,.1f} ({n})"
                ready, interactive = map_times(browser, base, args.runs)
                rows[label]["10,000 sites map, 4× CPU: drawn ms"] = f"{ready:,.0f}"
                rows[label]["10,000 sites map, 4× CPU: interactive ms"] = f"{interactive:,.0f}"
            browser.close()
        if not args.no_lighthouse:
            for label, base in bases.items():
                for name, path in (("/", "/"), ("#/sites", "/#/sites")):
                    if args.out:
                        args.out.mkdir(parents=True, exist_ok=True)
                    slug = f"{label}-{'sites' if 'sites' in path else 'start'}"
                    perf, a11y = lighthouse(base + path, args.runs, args.out, slug)
                    rows[label][f"Lighthouse {name}: performance"] = f"{perf:.0f}"
                    rows[label][f"Lighthouse {name}: accessibility"] = f"{a11y:.0f}"
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        shutil.rmtree(tmp, ignore_errors=True)

    budgets = {
        "first load": f"≤ {BUDGET_KB} KB", "drawn": "", "interactive": "< 1,000", "performance": "≥ 95", "accessibility": "100",
    }
    print(f"\n{'measure':<46}{'before':>16}{'after':>16}   budget")
    rows = {label: rows.get(label, {}) for label in ("before", "after")}
    for key in rows["after"] or rows["before"]:
        budget = next((b for k, b in budgets.items() if k in key), "")
        print(f"{key:<46}{rows['before'].get(key, ''):>16}{rows['after'].get(key, ''):>16}   {budget}")
    print(f"(medians of {args.runs} runs where timed; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
