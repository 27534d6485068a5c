"""Run `manage.py run_worker` in its own process group against the test database, so a test can kill -9 it."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings

from appserver import ROOT, test_database_url
from backend.jobs.models import WorkerBeat

# Fast beats so that a dead worker is noticed in seconds, not the production minute.
FAST = {"JOBS_BEAT_S": "0.5", "JOBS_WORKER_STALE_S": "3"}


class WorkerProcess:
    def __init__(self, name: str, *, env: dict[str, str] | None = None):
        self.worker_id = name
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        env = {
            **os.environ,
            **FAST,
            **self.extra_env,
            "DATABASE_URL": test_database_url(),
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "SECRET_KEY": settings.SECRET_KEY,
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--worker-id", self.worker_id, "--interval", "0.2", "--no-schedule"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if WorkerBeat.objects.filter(worker_id=self.worker_id).exists():
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker {self.worker_id} exited with {self.proc.returncode}")
            time.sleep(0.1)
        raise RuntimeError(f"worker {self.worker_id} did not start")

    def kill(self) -> None:
        """kill -9: no graceful shutdown, the task it runs dies mid-flight."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
