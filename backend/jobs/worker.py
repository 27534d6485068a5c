"""What a worker does beside running tasks: beat, requeue orphans, queue the daily and periodic jobs.

django-tasks-db claims a task by marking it RUNNING; a worker killed with `kill -9`
(or an OOM kill, or a lost server) leaves it RUNNING forever. Each worker therefore
writes a heartbeat, and every worker requeues the running tasks of workers that have
stopped beating. Requeueing is a conditional UPDATE, so several workers doing it at
once requeue a task once; `once()` keeps the rerun from repeating a committed effect.
"""

import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat
from .services import enqueue

log = logging.getLogger(__name__)


def beat(*, worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"host": socket.gethostname()[:100], "pid": os.getpid(), "started_at": now, "beat_at": now},
        )


def orphans_requeue(*, now: dt.datetime | None = None) -> int:
    """Put back in the queue the running tasks whose worker stopped beating; returns how many.

    A task that has already killed MAX_ATTEMPTS workers is marked failed instead:
    a poison task (say, one that runs out of memory) must not take every worker down.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.JOBS_WORKER_STALE_S)
    alive = set(WorkerBeat.objects.filter(beat_at__gte=stale).values_list("worker_id", flat=True))
    requeued = 0
    for task_id, worker_ids, started_at in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
        "id", "worker_ids", "started_at"
    ):
        owner = worker_ids[-1] if worker_ids else None
        if owner in alive or (started_at is not None and started_at >= stale):
            continue
        # Only if nobody claimed it again meanwhile: started_at changes with every claim.
        same_claim = DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING, started_at=started_at)
        if len(worker_ids) >= settings.JOBS_MAX_ATTEMPTS:
            same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="backend.jobs.worker.WorkerDied",
                traceback=f"worker died {len(worker_ids)} times while running this task: {', '.join(worker_ids)}",
            )
            log.error("task %s failed: its worker died %d times", task_id, len(worker_ids))
        elif same_claim.update(status=TaskResultStatus.READY):
            requeued += 1
            log.warning("task %s requeued: worker %s stopped beating", task_id, owner)
    WorkerBeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return requeued


@dataclass(frozen=True)
class Daily:
    name: str
    at: dt.time
    task_path: str


def daily_jobs() -> list[Daily]:
    """settings.JOBS_DAILY: (name, "HH:MM" local time, dotted path of a task taking no arguments but `key`)."""
    return [Daily(name, dt.time.fromisoformat(at), path) for name, at, path in settings.JOBS_DAILY]


def daily_enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Queue each daily job whose time has come today and which is not queued yet today.

    Every worker calls this; the key (name and local date) makes it happen once a day
    however many workers there are. A worker that starts after the hour still runs
    the day's job (a town's server rebooted at 04:00 does not skip a day).
    """
    local = timezone.localtime(now or timezone.now())
    queued = []
    for job in daily_jobs():
        if local.time() >= job.at and enqueue(import_string(job.task_path), key=f"daily:{job.name}:{local.date()}"):
            queued.append(job.name)
            log.info("daily job %s queued for %s", job.name, local.date())
    return queued


@dataclass(frozen=True)
class Periodic:
    name: str
    every: dt.timedelta
    task_path: str


def periodic_jobs() -> list[Periodic]:
    """settings.JOBS_EVERY: (name, minutes, dotted path of a task taking `key`)."""
    return [Periodic(name, dt.timedelta(minutes=minutes), path) for name, minutes, path in settings.JOBS_EVERY]


def periodic_enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Queue each periodic job once per slot of its period (slots counted from the epoch).

    Like the daily jobs, the key (name and slot) makes it once per slot however many
    workers beat; a slot missed while every worker was down is not made up — the next
    one does the same work.
    """
    now = now or timezone.now()
    queued = []
    for job in periodic_jobs():
        slot = int(now.timestamp() // job.every.total_seconds())
        if enqueue(import_string(job.task_path), key=f"every:{job.name}:{slot}"):
            queued.append(job.name)
    return queued


class Heartbeat(threading.Thread):
    """A daemon thread beside the worker loop; it has its own database connection."""

    def __init__(self, *, worker_id: str, schedule: bool):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.schedule = schedule
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(settings.JOBS_BEAT_S):
            try:
                close_old_connections()
                beat(worker_id=self.worker_id)
                orphans_requeue()
                if self.schedule:
                    daily_enqueue_due()
                    periodic_enqueue_due()
            except Exception:  # a database hiccup must not end the heartbeat for good
                log.exception("worker %s: heartbeat round failed", self.worker_id)
        connection.close()

    def stop(self) -> None:
        self.stopping.set()
