"""Background work on the ground floor: idempotency keys, worker liveness, user-facing jobs.

The queue itself is django-tasks' (a `DBTaskResult` row per task with the default
database backend); these tables add what it leaves to us: a task whose worker died
is run again (`WorkerBeat`), and running it again never repeats its effect (`Once`).
This app imports no domain app: domains enqueue their own tasks.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Once(models.Model):
    """An idempotency key: enqueued at most once, its effect committed at most once.

    `enqueue(key=...)` inserts the row (a second enqueue with the same key is a no-op);
    `once(key)` sets `done_at` in the same transaction as the effect, so a task that
    is killed and run again finds the effect already there, or finds nothing at all.
    """

    key = models.CharField(max_length=200, primary_key=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        indexes = [models.Index(fields=["created_at"], name="once_created")]

    def __str__(self) -> str:
        return self.key


class WorkerBeat(models.Model):
    """A worker process's heartbeat. A running task whose worker stopped beating is requeued."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "后台进程"
        verbose_name_plural = "后台进程"

    def __str__(self) -> str:
        return self.worker_id


class Job(models.Model):
    """Long work a user waits for (a large export): progress to show, a file to fetch."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    # "<app>.<what>", e.g. "reports.visits_export"; the app owns its meaning.
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # Relative to MEDIA_ROOT; served only to `user` through the API.
    file = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "后台作业"
        verbose_name_plural = "后台作业"
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_time")]

    def __str__(self) -> str:
        return self.title


class ProbeEffect(models.Model):
    """What the probe task writes: `manage.py worker_check` and the kill tests count these rows."""

    key = models.CharField(max_length=200, db_index=True)
    worker_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)
