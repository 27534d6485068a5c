"""The 调度会 packet for 500 projects (issue 15, acceptance 3: < 5 s).

    .venv/bin/python bench/projects_packet.py              # SQLite (a throwaway file under var/)
    .venv/bin/python bench/projects_packet.py --postgres   # PostgreSQL too (database dxe_bench_projects)
    .venv/bin/python bench/projects_packet.py --projects 500 --repeat 15

A fresh database gets one town, 4 teams of 10 officials (one manager each) and N projects
spread over the six stages (a tenth terminated), each with 1–6 stage changes over the last
90 days and 3 follow-ups with next steps, some overdue. Then it prints medians of:

  baseline  a plain query of the same rows: the admin's projects with stage and lead, and
            the stage changes since the meeting, materialised (what any packet must read)
  packet    selectors.packet_build for the admin (every project)
  json      GET /api/projects/packet (in-process client, logged in as the admin)
  xlsx      GET /api/projects/packet?format=xlsx

and each one's ratio to the baseline in the same run. Loopback only; not part of the suite.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
from bench.pgdata import timed  # noqa: E402
PG_DB = "dxe_bench_projects"


def run(n: int, repeat: int) -> None:
    import datetime as dt
    import random
    from decimal import Decimal

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from backend.accounts.models import OrgUnit, User
    from backend.projects.models import FollowUp, Project, StageChange
    from backend.projects.selectors import packet_build, stages_for

    rng = random.Random(15)
    town = OrgUnit.objects.create(code="BT", name="基准镇", kind="town")
    officials = []
    for t in range(4):
        team = OrgUnit.objects.create(code=f"BT{t}", name=f"招商{t + 1}组", kind="team", parent=town)
        for i in range(10):
            officials.append(User.objects.create_user(
                username=f"bench{t}_{i}", password="x", role="manager" if i == 0 else "staff", org_unit=team,
                display_name=f"干部{t}-{i}",
            ))
    admin = User.objects.create_user(username="bench_admin", password="x", role="admin")
    stages = stages_for(town_id=None)
    now = timezone.now()
    projects = []
    for i in range(n):
        lead = rng.choice(officials)
        k = rng.choices(range(6), weights=[30, 25, 15, 12, 10, 8])[0]
        s = stages[k]
        projects.append(Project(
            name=f"项目{i}", investor_name=f"投资方{i}", investment_wan=Decimal(rng.randint(500, 200000)), source="fair",
            lead=lead, team_id=lead.org_unit_id, town=town, stage=s, probability=s.probability,
            status="dropped" if rng.random() < 0.1 else ("done" if k == 5 else "active"),
            last_activity_at=now - dt.timedelta(days=rng.randint(0, 40)), stage_entered_at=now - dt.timedelta(days=rng.randint(0, 60)),
            signed_at=now - dt.timedelta(days=50) if k >= 2 else None, landed_at=now - dt.timedelta(days=30) if k >= 3 else None,
            created_by=lead,
        ))
    Project.objects.bulk_create(projects)
    changes, follow_ups = [], []
    for p in projects:
        for j in range(p.stage.order - 1):
            changes.append(StageChange(project=p, kind="move", actor=p.lead, at=now - dt.timedelta(days=rng.randint(0, 90)),
                                       from_stage=stages[j], to_stage=stages[j + 1]))
        for j in range(3):
            follow_ups.append(FollowUp(project=p, author=p.lead, at=now - dt.timedelta(days=j * 7), note="跟进",
                                       next_step="下一步", next_due=(now - dt.timedelta(days=rng.randint(-10, 10))).date()))
    StageChange.objects.bulk_create(changes, batch_size=1000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    since = (now - dt.timedelta(days=14)).date()
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))

    def baseline():
        list(Project.objects.select_related("stage", "lead", "enterprise").order_by("stage__order", "id"))
        list(StageChange.objects.filter(kind="move", at__gte=start).select_related("actor", "from_stage", "to_stage"))

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)

    def get(fmt):
        response = client.get("/api/projects/packet", {"since": since.isoformat(), "format": fmt})
        assert response.status_code == 200, response.content[:200]

    packet = packet_build(user=admin, since=since)
    figures = {
        "baseline": timed(baseline, repeat)[0],
        "packet": timed(lambda: packet_build(user=admin, since=since), repeat)[0],
        "json": timed(lambda: get("json"), repeat)[0],
        "xlsx": timed(lambda: get("xlsx"), repeat)[0],
    }
    from django.db import connection

    print(f"{connection.vendor}: {n} projects, {len(changes)} stage changes, {len(follow_ups)} follow-ups; "
          f"packet: {packet['totals']['count']} in stages, {packet['changed']} changed since {since}, "
          f"{len(packet['stale'])} stale, {len(packet['overdue'])} overdue; median of {repeat}")
    for name, ms in figures.items():
        print(f"  {name:9s} {ms:8.1f} ms   ×{ms / figures['baseline']:.1f} of baseline")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        run(args.projects, args.repeat)
        return
    targets = [f"sqlite:///{ROOT / 'var' / 'bench_projects.sqlite3'}"]
    if args.postgres:
        targets.append(f"postgres://postgres@127.0.0.1:5432/{PG_DB}")
    for url in targets:
        if url.startswith("sqlite"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        else:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_DB}")
        env = {**os.environ, "DATABASE_URL": url, "CACHE_KEY_PREFIX": "dx-bench-projects"}
        subprocess.run([sys.executable, __file__, "--child", "--projects", str(args.projects), "--repeat", str(args.repeat)],
                       env=env, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
