"""The city shape: two app servers and two workers on one PostgreSQL and one Redis.

Phones sync check-ins through whichever server answers (a load balancer's pool) while
background tasks run; one app server and one worker are killed with kill -9 mid-load.
Nothing may be lost or done twice. PostgreSQL only: SQLite is the one-town default.
"""

import os
import random
import threading
import time
import uuid

import pytest
import redis
from django.db import connection

from appserver import AppServer
from backend.jobs import tasks
from backend.jobs.models import ProbeEffect
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


def test_it_loses_and_doubles_nothing_when_a_server_and_a_worker_die(field_team, redis_env):
    env, redis_client, prefix = redis_env
    staff, enterprise = field_team
    servers = [AppServer(workers=2, env=env), AppServer(workers=2, env=env)]
    workers = [WorkerProcess("city-w1", env=env), WorkerProcess("city-w2", env=env)]
    for part in (*servers, *workers):
        part.start()
    pool = [s.url for s in servers]
    keys = [f"city:{i}" for i in range(TASKS)]
    for key in keys:
        enqueue(tasks.probe, key=key, hold_ms=40)
    phones = [PooledPhone(pool, session_of(s), outbox_for(i, enterprise)) for i, s in enumerate(staff[:8])]
    deadline = time.monotonic() + 150
    threads = [threading.Thread(target=p.sync, kwargs={"deadline": deadline}) for p in phones]
    for t in threads:
        t.start()
    try:
        # Mid-load: some check-ins and some tasks done, far from all.
        wait_for(lambda: Visit.objects.filter(staff__in=staff).count() >= 150, timeout=90, what="check-ins to flow")
        wait_for(lambda: ProbeEffect.objects.count() >= 20, timeout=90, what="tasks to run")
        assert sum(len(p.outbox) for p in phones) > 0 and ProbeEffect.objects.count() < TASKS, "too late: make the load larger"
        pool.remove(servers[0].url)  # the balancer's health check takes it out…
        servers[0].kill()  # …as it dies with requests in flight
        workers[0].kill()
        for t in threads:
            t.join(timeout=max(1, deadline - time.monotonic()))
        wait_for(
            lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == TASKS,
            timeout=90, what="every task to succeed on the surviving worker", interval=0.5,
        )
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
