"""Delivery per channel: a batch of N recipients × (inbox + SMS) through the fake Alibaba Cloud SMS.

    .venv/bin/python bench/notify_delivery.py                 # SQLite, N=1000
    .venv/bin/python bench/notify_delivery.py --postgres      # also PostgreSQL (database dxe_bench_notify)
    .venv/bin/python bench/notify_delivery.py -n 5000 --workers 2

For each database, in a fresh database, with the provider failing 10 % of SendSms calls
with temporary errors, it prints medians of `--repeat` runs:
  baseline   signed SendSms calls straight to the fake provider (no database): the floor
  in-process the real task path in one process (claim, attempt rows, retries as the
             clock is moved to each run_after), per delivery, and its ratio to the baseline
  receipts   reading the carrier's receipts (QuerySendDetails, one number at a time)
  workers    `manage.py run_worker` processes sending the batch for real (retry base 0.2 s)
Figures go to docs/notes.md; this is not part of the test suite.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def child(n: int, repeat: int, workers: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)

    import time_machine
    from django.db.models import Min
    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult, get_date_max

    from backend.accounts.models import User
    from backend.enterprises.models import EnterpriseMember
    from backend.enterprises.services import enterprise_create
    from backend.notifications import delivery
    from backend.notifications.models import Delivery, DeliveryAttempt
    from backend.notifications.services import batch_send
    from backend.sms.aliyun import AliyunSmsBackend
    from fakes.aliyun_sms import FakeAliyunSms

    fake = FakeAliyunSms().start()
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    enterprise = enterprise_create(uscc="91350100M000100Y43", name="基准企业", lat=31.1, lng=121.4, industry="C")

    def recipients(tag: str) -> list[int]:
        User.objects.bulk_create(
            [User(username=f"b{tag}_{i}", role="enterprise", mobile=f"1{tag}{i:08d}", password="!") for i in range(n)],
            batch_size=2000,
        )
        ids = list(User.objects.filter(username__startswith=f"b{tag}_").values_list("id", flat=True))
        EnterpriseMember.objects.bulk_create([EnterpriseMember(user_id=i, enterprise=enterprise) for i in ids], batch_size=2000)
        return ids

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="bench", excluded_queue_names=[])

    def drain() -> None:
        with time_machine.travel(timezone.now(), tick=True) as traveller:
            while True:
                while (result := DBTaskResult.objects.ready().first()) is not None:
                    result.claim("bench")
                    worker.run_task(result)
                later = DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(run_after=get_date_max()).aggregate(m=Min("run_after"))["m"]
                if later is None:
                    return
                if later > timezone.now():
                    traveller.move_to(later)

    base, path, receipts, attempts = [], [], [], []
    for r in range(repeat):
        fake.temporary_fraction = 0.0
        sample = min(n, 300)
        started = time.perf_counter()
        for i in range(sample):
            AliyunSmsBackend().send(mobile=f"1370{r}{i:06d}", text="x", template="notice", params={"title": "基准"}, out_id=f"base{r}-{i}")
        base.append((time.perf_counter() - started) / sample)

        ids = recipients(f"3{r}")
        fake.temporary_fraction = 0.10
        settings.NOTIFY_RECEIPT_DELAYS_S = []
        started = time.perf_counter()
        sent = batch_send(key=f"bench:{r}", kind="policies.campaign", title="稳岗补贴开始申报", user_ids=ids)
        drain()
        path.append((time.perf_counter() - started) / n)
        assert Delivery.objects.filter(batch=sent.batch, status="sent").count() == n
        attempts.append(DeliveryAttempt.objects.filter(delivery__batch=sent.batch).count() / n)

        started = time.perf_counter()
        for first, last in chunks(sent.batch.id):
            delivery.receipts_check(batch_id=sent.batch.id, name="sms", first_id=first, last_id=last, round=99)
        receipts.append((time.perf_counter() - started) / n)

    b, p, rc = statistics.median(base), statistics.median(path), statistics.median(receipts)
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{db:<11} baseline SendSms call      {b * 1000:7.2f} ms   (100 %)")
    print(f"{db:<11} in-process, per delivery   {p * 1000:7.2f} ms   ({p / b:.0%} of baseline)  "
          f"{n} × inbox+SMS in {p * n:.1f} s, {statistics.median(attempts):.3f} attempts per success")
    print(f"{db:<11} receipts, per delivery     {rc * 1000:7.2f} ms   ({rc / b:.0%} of baseline)")
    if workers:
        print(f"{db:<11} {workers} run_worker processes     {real_workers(n, workers, fake, recipients):7.1f} s for {n} × inbox+SMS")
    fake.stop()


def chunks(batch_id: int):
    from backend.notifications.models import Delivery

    ids = list(Delivery.objects.filter(batch_id=batch_id).order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), 200):
        yield ids[start], ids[min(start + 199, len(ids) - 1)]


def real_workers(n: int, count: int, fake, recipients) -> float:
    from django.conf import settings

    from backend.notifications.models import Delivery
    from backend.notifications.services import batch_send

    ids = recipients("88")
    sent = batch_send(key="bench:workers", kind="policies.campaign", title="稳岗补贴开始申报", user_ids=ids)
    env = {**os.environ, **fake.environ(), "NOTIFY_RETRY_BASE_S": "0.2", "DJANGO_SETTINGS_MODULE": "backend.settings",
           "PYTHONPATH": str(ROOT), "NOTIFY_RECEIPT_DELAYS_S": ""}
    settings.NOTIFY_RECEIPT_DELAYS_S = []
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "manage.py", "run_worker", "--no-schedule", "--interval", "0.1", "--worker-id", f"bench-{i}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(count)]
    try:
        while Delivery.objects.filter(batch=sent.batch, status__in=["queued", "sending"]).exists():
            time.sleep(0.2)
        return time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.n, args.repeat, args.workers)
        return
    argv = [sys.executable, __file__, "--child", "-n", str(args.n), "--repeat", str(args.repeat), "--workers", str(args.workers)]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(argv, env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}, check=True)
    if args.postgres:
        import psycopg

        admin = "postgresql://postgres@127.0.0.1:5432/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS dxe_bench_notify")
            conn.execute("CREATE DATABASE dxe_bench_notify")
        try:
            subprocess.run(argv, env={**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dxe_bench_notify"}, check=True)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS dxe_bench_notify WITH (FORCE)")


if __name__ == "__main__":
    main()
