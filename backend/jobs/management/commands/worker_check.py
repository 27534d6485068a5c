import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from backend.jobs import tasks
from backend.jobs.models import ProbeEffect
from backend.jobs.services import enqueue


class Command(BaseCommand):
    help = "检查后台任务进程是否在运行：排入一个探测任务并等待它完成。"

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0, help="最多等待的秒数")

    def handle(self, *args, timeout, **options):
        key = f"probe:{get_random_string(16)}"
        started = time.monotonic()
        enqueue(tasks.probe, key=key)
        while time.monotonic() - started < timeout:
            effect = ProbeEffect.objects.filter(key=key).first()
            if effect is not None:
                self.stdout.write(f"后台任务正常：进程 {effect.worker_id} 在 {time.monotonic() - started:.1f} 秒内完成了探测任务")
                return
            time.sleep(0.2)
        raise CommandError(f"{timeout:.0f} 秒内没有后台任务进程完成探测任务：请确认 run_worker 在运行")
