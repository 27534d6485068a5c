"""Policy matching: the pure-Python engine with and without the SQL prefilter (issue 14).

    .venv/bin/python bench/policies_match.py                      # SQLite, 20,000 × 30
    .venv/bin/python bench/policies_match.py --postgres           # PostgreSQL (database dxe_bench_policies)
    .venv/bin/python bench/policies_match.py --enterprises 30000 --policies 200

Builds a throwaway database (a temporary SQLite file, or BENCH_DB on PostgreSQL) with N
enterprises and about 9 facts each (industry code, employees, capital, village, revenue and
tax for two years, 0–3 qualifications, some with a lapsed validity; 15 % of enterprises
lack revenue or tax), and P policies drawn from 8 realistic shapes (numeric thresholds,
size class, industry, village, qualifications, any-groups, a nested group). Prints:

  1. re-match everything: load every fact (chunks of 2,000 enterprises) and evaluate
     N × P pairs with reasons — seconds, pairs/s, the outcome mix;
  2. one policy's eligible enterprises: engine over everyone vs SQL prefilter + engine over
     the candidates — median and total over the P policies, and the two sets compared;
  3. explain one enterprise (the calculator): facts of one enterprise + P policies, and
     GET /api/me/policy-matches through the in-process client — p50/p95.
Deterministic (seeded). Loopback only.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.pgdata import db_url, drop_database, fresh_database, timed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DB = os.environ.get("BENCH_DB", "dxe_bench_policies")
VILLAGES = ["东湾村", "南塘村", "西河村", "北桥村", "青枫社区", "新华村"]
CODES = ["C3911", "C3471", "C2929", "C3985", "F5124", "F5211", "I6513", "I6421", "M7320", "L7212", "G5438", "H6210", "E4790"]
QUALS = ["qual_high_tech", "qual_tech_sme", "qual_srdi", "qual_little_giant", "qual_above_scale"]


def policies(n: int, rng: random.Random, year: int) -> list[dict]:
    def num(fact, op, lo, hi, clause, yearly=False):
        c = {"fact": fact, "op": op, "number": rng.choice(range(lo, hi, max(1, (hi - lo) // 20))), "clause": clause}
        if yearly and rng.random() < 0.3:
            c["year"] = year - 1
        return c

    shapes = [
        lambda: {"match": "all", "conditions": [num("revenue", ">=", 500, 5000, "第三条（一）", True), num("tax", ">=", 20, 300, "第三条（二）", True)]},
        lambda: {"match": "all", "conditions": [{"fact": "industry_code", "op": "in", "values": ["C"], "clause": "第二条"},
                                                {"fact": "size_class", "op": "in", "values": ["small", "micro"], "clause": "第二条"}]},
        lambda: {"match": "all", "conditions": [{"fact": rng.choice(QUALS), "op": "held", "clause": "第二条"}]},
        lambda: {"match": "any", "conditions": [{"fact": "qual_high_tech", "op": "held", "clause": "第四条（一）"},
                                                {"fact": "qual_srdi", "op": "held", "clause": "第四条（二）"}]},
        lambda: {"match": "all", "conditions": [{"fact": "village", "op": "in", "values": rng.sample(VILLAGES, 2), "clause": "第一条"},
                                                num("employees", "<=", 20, 300, "第五条")]},
        lambda: {"match": "all", "conditions": [{"fact": "industry_code", "op": "in", "values": ["C39", "I65", "M73"], "clause": "第二条"},
                                                {"match": "any", "conditions": [{"fact": "qual_high_tech", "op": "held", "clause": "第三条（一）"},
                                                                                num("revenue", ">=", 2000, 20000, "第三条（二）", True)]}]},
        lambda: {"match": "all", "conditions": [num("registered_capital", "<", 200, 5000, "第五条"),
                                                {"fact": "industry_code", "op": "not_in", "values": ["F", "K"], "clause": "第六条"}]},
        lambda: {"match": "all", "conditions": [num("revenue", ">", 1000, 30000, "第二条", True), {"fact": "qual_above_scale", "op": "held", "clause": "第二条"}]},
    ]
    return [shapes[i % len(shapes)]() for i in range(n)]


def build(n: int, p: int, year: int) -> None:
    from django.utils import timezone

    from backend.accounts.models import User
    from backend.enterprises.models import Enterprise, EnterpriseMember
    from backend.policies.models import EnterpriseFact, Policy

    rng = random.Random(14)
    Enterprise.objects.bulk_create(
        [Enterprise(uscc=f"B{i:017d}", name=f"企业{i}", industry="C", lat=31.1, lng=121.4) for i in range(n)], batch_size=2000
    )
    ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
    today = timezone.localdate()
    rows = []
    for ent in ids:
        code = rng.choice(CODES)
        f = lambda **kw: rows.append(EnterpriseFact(enterprise_id=ent, source=rng.choice(["import", "staff", "enterprise"]), as_of=today, **kw))  # noqa: E731
        f(key="industry_code", text=code)
        f(key="employees", number=float(int(rng.lognormvariate(3.2, 1.1))))
        f(key="registered_capital", number=round(rng.lognormvariate(6, 1.2), 2))
        f(key="village", text=rng.choice(VILLAGES))
        if rng.random() > 0.15:
            for y in (year, year - 1):
                rev = round(rng.lognormvariate(6.5, 1.4), 2)
                f(key="revenue", year=y, number=rev)
                f(key="tax", year=y, number=round(rev * rng.uniform(0.01, 0.08), 2))
        for q in rng.sample(QUALS, rng.randint(0, 3)):
            until = today + dt.timedelta(days=rng.randint(-400, 1000))
            f(key=q, held=rng.random() > 0.2, valid_until=until)
    EnterpriseFact.objects.bulk_create(rows, batch_size=5000)
    Policy.objects.bulk_create([Policy(title=f"政策{i}", issuer="经发办", status="published", rules=r) for i, r in enumerate(policies(p, rng, year))])
    user = User.objects.create_user(username="bench_ent", password="x" * 12, role="enterprise")
    EnterpriseMember.objects.create(user=user, enterprise_id=ids[len(ids) // 2])
    print(f"  {n:,} enterprises, {len(rows):,} facts, {p} policies")


def run(label: str, n: int, p: int) -> None:
    from django.test import Client
    from django.utils import timezone

    from backend.accounts.models import User
    from backend.enterprises.models import Enterprise
    from backend.policies import engine, selectors
    from backend.policies.models import Policy

    today = timezone.localdate()
    t = time.perf_counter()
    build(n, p, engine.default_year(today))
    print(f"  built in {time.perf_counter() - t:.1f} s")
    pols = list(Policy.objects.order_by("id"))
    ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))

    # 1. everything
    deciders = [engine.compile_outcome(pol.rules, today=today) for pol in pols]
    t = time.perf_counter()
    mix = {"eligible": 0, "ineligible": 0, "unknown": 0}
    load = 0.0
    for chunk in range(0, len(ids), 2000):
        part = ids[chunk : chunk + 2000]
        t0 = time.perf_counter()
        facts = selectors.facts_of(part)
        load += time.perf_counter() - t0
        for ent in part:
            known = facts.get(ent, {})
            for decide in deciders:
                mix[decide(known)] += 1
    whole = time.perf_counter() - t
    pairs = len(ids) * len(pols)
    print(f"  1. re-match all (outcomes): {pairs:,} pairs in {whole:.1f} s ({pairs / whole:,.0f} pairs/s; loading facts {load:.1f} s); "
          f"eligible {mix['eligible']:,}, unknown {mix['unknown']:,}, ineligible {mix['ineligible']:,}")
    facts = selectors.facts_of(ids[:1000])
    t = time.perf_counter()
    for ent in ids[:1000]:
        for pol in pols:
            engine.evaluate(pol.rules, facts.get(ent, {}), today=today)
    took = time.perf_counter() - t
    print(f"     with every reason written (1,000 enterprises × {len(pols)}): {1000 * len(pols) / took:,.0f} pairs/s "
          f"→ {pairs / (1000 * len(pols) / took):.1f} s for all pairs")

    # 2. one policy's eligible, with and without the SQL prefilter
    plain, pre, mismatches, narrowed = [], [], 0, []
    for pol in pols[:16]:  # two of each of the 8 shapes: each plain run reads every fact
        t0 = time.perf_counter()
        a = {e for e, o in selectors.policy_outcomes(policy=pol, prefilter=False, today=today).items() if o == "eligible"}
        plain.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        out = selectors.policy_outcomes(policy=pol, prefilter=True, today=today)
        b = {e for e, o in out.items() if o == "eligible"}
        pre.append(time.perf_counter() - t0)
        narrowed.append(len(out))
        mismatches += a != b
    print(f"  2. one policy's eligible ({len(plain)} policies): engine over all {statistics.median(plain) * 1000:,.0f} ms median, "
          f"{sum(plain):.1f} s total; SQL prefilter + engine {statistics.median(pre) * 1000:,.0f} ms median "
          f"(max {max(pre) * 1000:,.0f} ms), {sum(pre):.1f} s total; candidates median {statistics.median(narrowed):,.0f} of {len(ids):,}; "
          f"sets differ for {mismatches} policies")

    # 3. one enterprise, every policy
    rng = random.Random(7)
    sample = [rng.choice(ids) for _ in range(200)]
    it = iter(sample * 2)

    def one():
        ent = next(it)
        known = selectors.facts_of([ent])[ent]
        for pol in Policy.objects.filter(status="published"):
            engine.evaluate(pol.rules, known, today=today)

    p50, p95 = timed(one, 200)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench_ent"))
    first = client.get("/api/me/policy-matches")
    assert first.status_code == 200, first.content[:300]
    a50, a95 = timed(lambda: client.get("/api/me/policy-matches"), 100)
    print(f"  3. explain one enterprise × {len(pols)} policies: selector p50 {p50:.1f} ms / p95 {p95:.1f} ms; "
          f"GET /api/me/policy-matches p50 {a50:.1f} ms / p95 {a95:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--policies", type=int, default=30)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
        import django

        django.setup()
        run("", args.enterprises, args.policies)
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            fresh_database(DB)  # migrated again below, a no-op
            url, label = db_url(DB), "PostgreSQL"
        else:
            url, label = f"sqlite:///{tmp}/bench_policies.sqlite3", "SQLite"
        env = {**os.environ, "DATABASE_URL": url, "CACHE_KEY_PREFIX": "dxe-bench-policies"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        print(f"{label}: {args.enterprises:,} enterprises × {args.policies} policies")
        try:
            subprocess.run([sys.executable, __file__, "--child", "--enterprises", str(args.enterprises),
                            "--policies", str(args.policies)], cwd=ROOT, env=env, check=True)
        finally:
            if args.postgres:
                drop_database(DB)


if __name__ == "__main__":
    main()
