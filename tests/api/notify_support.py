"""Helpers for the delivery tests: recipients in bulk, and running tasks as the clock moves."""

import datetime as dt

import time_machine
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.models import get_date_max

from apisupport import members_bulk_create, run_tasks
from backend.accounts.models import User


def make_recipients(n: int, *, enterprise, prefix: str = "139", start: int = 0) -> list[int]:
    users = [
        User(username=f"notify_{prefix}_{i}", role=User.Role.ENTERPRISE, mobile=f"{prefix}{i:08d}", password="!")
        for i in range(start, start + n)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    ids = list(User.objects.filter(username__startswith=f"notify_{prefix}_").order_by("id").values_list("id", flat=True))
    members_bulk_create(user_ids=ids[-n:], enterprise=enterprise)
    return ids


def run_tasks_through_time(*, limit_s: float = 7 * 24 * 3600) -> dict:
    """Run every queued task, moving the clock to each `run_after` in turn (retries, receipts).

    The same claim-and-run as a worker, in the test's transaction; returns how many
    tasks ran and how far the clock moved.
    """
    start = timezone.now()
    ran = 0
    with time_machine.travel(start, tick=True) as traveller:
        while True:
            ran += run_tasks()
            later = (
                DBTaskResult.objects.filter(status=TaskResultStatus.READY)
                .exclude(run_after=get_date_max())
                .aggregate(next=Min("run_after"))["next"]
            )
            if later is None:
                break
            if (later - start).total_seconds() > limit_s:
                raise AssertionError(f"tasks still queued {later - start} later")
            if later > timezone.now():
                traveller.move_to(later + dt.timedelta(milliseconds=1))
        moved = timezone.now() - start
    return {"tasks": ran, "moved": moved}
