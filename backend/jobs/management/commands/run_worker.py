import os
import socket

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from backend.jobs.models import WorkerBeat
from backend.jobs.worker import Heartbeat, beat, orphans_requeue


class Command(BaseCommand):
    help = (
        "运行后台任务进程：执行队列中的任务，定时心跳，把已停止进程遗留的任务重新排队，"
        "并按 JOBS_DAILY 每天排一次日常任务。可同时运行多个。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="逗号分隔的队列名；* 为全部（默认）")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")
        parser.add_argument("--worker-id", default="", help="进程编号，在所有进程中唯一（默认：主机名-进程号-随机）")
        parser.add_argument("--batch", action="store_true", help="执行完队列中现有的任务后退出")
        parser.add_argument("--max-tasks", type=int, default=None, help="执行这么多个任务后退出")
        parser.add_argument("--no-schedule", action="store_true", help="不排日常任务（由 cron 运行管理命令时）")

    def handle(self, *args, queue_name, interval, worker_id, batch, max_tasks, no_schedule, **options):
        worker_id = worker_id or f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}"
        # The first beat before the first claim: no other worker may take this one for dead.
        beat(worker_id=worker_id)
        orphans_requeue()
        heartbeat = Heartbeat(worker_id=worker_id, schedule=not no_schedule)
        heartbeat.start()
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(f"worker {worker_id} started (queues: {queue_name}; {settings.DATABASES['default']['ENGINE']})")
        try:
            worker.run()
        finally:
            heartbeat.stop()
            # Gone, not dead: its tasks finished or were never claimed.
            WorkerBeat.objects.filter(worker_id=worker_id).delete()
