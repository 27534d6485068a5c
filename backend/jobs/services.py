"""Enqueueing background work exactly once, and the user-facing job lifecycle.

Every task goes through the Tasks API (`task.enqueue`), so the queue backend is a
setting (`TASKS`): the database by default, RQ on Redis for a city that outgrows it.
"""

import datetime as dt
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from .models import Job, Once

log = logging.getLogger(__name__)


def enqueue(task: Any, *, key: str | None = None, run_after: dt.datetime | None = None, **kwargs: Any) -> bool:
    """Queue `task(**kwargs)`; False if `key` was queued before (nothing is queued then).

    With a key, enqueueing twice (two schedulers, a resent batch, a double click)
    queues one task; the key is also passed to the task as `key`, for `once()`.

    The database backend queues in the caller's transaction (a transactional outbox):
    the task and the data it needs commit together, and a rolled-back import queues
    nothing. Another backend (RQ) queues after the commit, so that a worker never
    picks up a task whose data it cannot see yet.
    """
    if key is not None:
        if len(key) > 200:
            raise ValueError("idempotency key longer than 200 characters")
        kwargs["key"] = key
    bound = task.using(run_after=run_after) if run_after else task

    def _send() -> None:
        result = bound.enqueue(**kwargs)
        if key is not None:
            Once.objects.filter(key=key).update(task_id=str(result.id))

    with transaction.atomic():
        if key is not None and not _claim(key):
            return False
        if isinstance(bound.get_backend(), DatabaseBackend):
            _send()
        else:
            transaction.on_commit(_send, robust=False)
    return True


def _claim(key: str) -> bool:
    try:
        with transaction.atomic():
            Once.objects.create(key=key)
    except IntegrityError:
        return False
    return True


@contextmanager
def once(key: str) -> Iterator[bool]:
    """Run a task's effect at most once: `with once(key) as first: if first: ...`.

    The key is marked done in the same transaction as the effect, so a worker
    killed mid-effect leaves neither, and a task run again after its effect
    committed (killed before it could report success) does nothing.
    """
    with transaction.atomic():
        Once.objects.get_or_create(key=key)
        # The conditional UPDATE is the claim: of two concurrent runs exactly one
        # changes the row; the other waits on its lock and then sees it done.
        first = Once.objects.filter(key=key, done_at__isnull=True).update(done_at=timezone.now()) == 1
        yield first


# --- User-facing jobs (large exports) -----------------------------------------------------------


def job_create(*, user, kind: str, title: str, task: Any, **kwargs: Any) -> Job:
    """A job the user can watch; `task` gets `job_id=` and the rest of `kwargs`."""
    job = Job.objects.create(user=user, kind=kind, title=title[:200])
    enqueue(task, key=f"job:{job.id}", job_id=str(job.id), **kwargs)
    return job


def job_started(*, job_id: str) -> Job | None:
    job = Job.objects.filter(id=job_id).first()
    if job is None:
        return None
    # A rerun after a dead worker starts over: progress goes back to zero.
    Job.objects.filter(id=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now(), done=0)
    job.refresh_from_db()
    return job


def job_progress(*, job_id: str, done: int, total: int | None) -> None:
    Job.objects.filter(id=job_id).update(done=done, total=total)


def job_file_path(job: Job, file_name: str) -> Path:
    """Where a job writes its file; the directory is the job's own."""
    directory = Path(settings.MEDIA_ROOT) / "jobs" / str(job.id)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / file_name


def job_finished(*, job_id: str, path: Path, file_name: str, content_type: str) -> None:
    relative = os.path.relpath(path, settings.MEDIA_ROOT)
    Job.objects.filter(id=job_id).update(
        status=Job.Status.DONE,
        file=relative,
        file_name=file_name[:200],
        content_type=content_type[:100],
        finished_at=timezone.now(),
    )


def job_failed(*, job_id: str, message: str) -> None:
    Job.objects.filter(id=job_id).update(status=Job.Status.FAILED, error=message[:300], finished_at=timezone.now())


@contextmanager
def job_running(*, job_id: str) -> Iterator[Job | None]:
    """Mark a job running for the block; an exception marks it failed with a Chinese message."""
    job = job_started(job_id=job_id)
    if job is None:
        yield None
        return
    try:
        yield job
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        job_failed(job_id=job_id, message="生成失败，请稍后重试；如一再失败请联系管理员")
        raise


def jobs_prune(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Forget finished work: job files after JOB_FILE_DAYS, task rows and keys after JOB_RECORD_DAYS."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    files_before = now - dt.timedelta(days=settings.JOB_FILE_DAYS)
    records_before = now - dt.timedelta(days=settings.JOB_RECORD_DAYS)
    removed_files = 0
    for job in Job.objects.filter(created_at__lt=files_before).exclude(file=""):
        path = Path(settings.MEDIA_ROOT) / job.file
        try:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
        except OSError:
            pass
        removed_files += 1
    jobs = Job.objects.filter(created_at__lt=files_before).delete()[0]
    tasks = DBTaskResult.objects.finished().filter(finished_at__lt=records_before).delete()[0]
    keys = Once.objects.filter(created_at__lt=records_before).delete()[0]
    return {"files": removed_files, "jobs": jobs, "tasks": tasks, "keys": keys}
