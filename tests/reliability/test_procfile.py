"""`make demo` runs the Procfile with honcho: the web server and a worker, and one Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from appserver import ROOT, free_port
from appserver import test_database_url as database_url  # aliased: pytest would collect a "test_" name
from backend.jobs import tasks
from backend.jobs.models import ProbeEffect
from backend.jobs.services import enqueue
from workerproc import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_it_serves_the_app_and_runs_a_worker_until_one_ctrl_c():
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONPATH": str(ROOT),
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    honcho = Path(sys.executable).with_name("honcho")
    proc = subprocess.Popen(
        [str(honcho), "--no-colour", "-f", "Procfile", "start"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_for(lambda: healthy(f"http://127.0.0.1:{port}/api/health"), timeout=90, what="the web server")
        enqueue(tasks.probe, key="procfile")
        wait_for(lambda: ProbeEffect.objects.filter(key="procfile").exists(), timeout=90, what="the worker")
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends to the foreground group
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert "web.1 stopped" in output and "worker.1 stopped" in output, output[-2000:]
    assert not healthy(f"http://127.0.0.1:{port}/api/health")
