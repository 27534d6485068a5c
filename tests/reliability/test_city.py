"""The city shape: two app servers and two workers on one PostgreSQL and one Redis.

Phones sync check-ins through whichever server answers (a load balancer's pool) while
background tasks run and a manager exports through both servers (small exports answered
at once, large ones made by the workers); one app server and one worker are killed with
kill -9 mid-load. Nothing may be lost or done twice, and every export job delivers its
file. PostgreSQL only: SQLite is the one-town default.
"""

import csv
import datetime as dt
import io
import json
import os
import random
import threading
import time
import urllib.request
import uuid

import pytest
import redis
from django.db import connection
from django.utils import timezone

from appserver import AppServer
from backend.jobs import tasks
from backend.accounts.models import User
from backend.jobs.models import Job, ProbeEffect
from backend.jobs.services import enqueue
from backend.visits.models import Visit
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from phone import Phone
from test_kill_sync import field_team, outbox_for, session_of  # noqa: F401  (fixture)
from workerproc import WorkerProcess, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = os.environ.get("CITY_REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS = 150


def export(base: str, session: str, *, days: int) -> tuple[int, bytes]:
    """A manager's visits export (CSV) of the last `days` days through one app server."""
    today = timezone.localdate()
    query = f"date_from={today - dt.timedelta(days=days - 1)}&date_to={today}&format=csv"
    request = urllib.request.Request(f"{base}/api/reports/visits/export?{query}", headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def download(base: str, session: str, job_id: str) -> list[list[str]]:
    request = urllib.request.Request(f"{base}/api/jobs/{job_id}/file", headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))


class PooledPhone(Phone):
    """A phone behind a load balancer: each request goes to one of the servers still in the pool."""

    def __init__(self, pool: list[str], *args, **kwargs):
        super().__init__(pool[0], *args, **kwargs)
        self.pool = pool

    def _post(self, path, body):
        self.base = random.choice(self.pool)
        return super()._post(path, body)


@pytest.fixture
def redis_env():
    if connection.vendor != "postgresql":
        pytest.skip("the city shape runs on PostgreSQL")
    prefix = f"dxe-city-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required for the city test: {exc}")
    yield {"REDIS_URL": REDIS, "CACHE_KEY_PREFIX": prefix}, client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_it_loses_and_doubles_nothing_when_a_server_and_a_worker_die(field_team, redis_env, tmp_path):
    env, redis_client, prefix = redis_env
    env = {**env, "MEDIA_ROOT": str(tmp_path)}  # export files: one shared volume for servers and workers
    staff, enterprise = field_team
    manager = User.objects.create_user(username="city_manager", password="!", role="manager", org_unit_id=staff[0].org_unit_id)
    manager_session = session_of(manager)
    servers = [AppServer(workers=2, env=env), AppServer(workers=2, env=env)]
    workers = [WorkerProcess("city-w1", env=env), WorkerProcess("city-w2", env=env)]
    for part in (*servers, *workers):
        part.start()
    pool = [s.url for s in servers]
    # The manager exports through both servers: today's visits at once, 120 days as a job
    # that the workers make while the load below runs (kept short, so the kill still
    # comes mid-load on a slow machine).
    export_jobs = []
    for base in pool:
        status, body = export(base, manager_session, days=1)
        assert status == 200 and body.decode("utf-8-sig").startswith("日期,")
        status, body = export(base, manager_session, days=120)
        assert status == 202
        export_jobs.append(json.loads(body)["id"])
    keys = [f"city:{i}" for i in range(TASKS)]
    phones = [PooledPhone(pool, session_of(s), outbox_for(i, enterprise)) for i, s in enumerate(staff[:8])]
    deadline = time.monotonic() + 240
    threads = [threading.Thread(target=p.sync, kwargs={"deadline": deadline}) for p in phones]
    for t in threads:
        t.start()
    try:
        # Mid-load: some check-ins and some tasks done, far from all. The tasks are queued
        # once check-ins flow, not before: on a loaded machine the workers otherwise
        # finished all of them before the phones got going, and the kill came too late.
        wait_for(lambda: Visit.objects.filter(staff__in=staff).count() >= 50, timeout=90, what="check-ins to flow")
        for key in keys:
            enqueue(tasks.probe, key=key, hold_ms=100)
        wait_for(lambda: ProbeEffect.objects.count() >= 20, timeout=90, what="tasks to run")
        assert sum(len(p.outbox) for p in phones) > 0 and ProbeEffect.objects.count() < TASKS, "too late: make the load larger"
        pool.remove(servers[0].url)  # the balancer's health check takes it out…
        servers[0].kill()  # …as it dies with requests in flight
        workers[0].kill()
        for t in threads:
            t.join(timeout=max(1, deadline - time.monotonic()))
        wait_for(
            lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL, task_path__endswith=".probe").count() == TASKS,
            timeout=90, what="every task to succeed on the surviving worker", interval=0.5,
        )
        survivor = servers[1].url
        wait_for(lambda: Job.objects.filter(id__in=export_jobs, status=Job.Status.DONE).count() == len(export_jobs),
                 timeout=90, what="the export jobs", interval=0.5)
        for job in Job.objects.filter(id__in=export_jobs):
            rows = download(survivor, manager_session, str(job.id))
            assert rows[0][0] == "日期" and len(rows) == 1 + job.done + 1 and rows[-1][3] == f"{job.done} 次走访"
        # After the load: a large export counts every visit that survived, exactly once.
        status, body = export(survivor, manager_session, days=120)
        assert status == 202
        last = json.loads(body)["id"]
        wait_for(lambda: Job.objects.get(id=last).status == Job.Status.DONE, timeout=60, what="the last export")
        rows = download(survivor, manager_session, last)
        assert len(rows) == 1 + Visit.objects.filter(staff__in=staff).count() + 1
    finally:
        for part in (*servers, *workers):
            part.stop()

    assert [p.error for p in phones if p.error] == []
    assert all(not p.outbox for p in phones), [len(p.outbox) for p in phones]
    rows = Visit.objects.filter(staff__in=staff[:8])
    assert rows.count() == len(phones) * len(phones[0].sent_ids)
    assert {str(c) for c in rows.values_list("client_id", flat=True)} == {i for p in phones for i in p.sent_ids}
    counts = {key: ProbeEffect.objects.filter(key=key).count() for key in keys}
    assert set(counts.values()) == {1}, {k: n for k, n in counts.items() if n != 1}
    # Both servers shared the cache: sessions and rate-limit counters lived in Redis.
    assert any(redis_client.scan_iter(f"{prefix}:*")), "the app servers did not use Redis"
