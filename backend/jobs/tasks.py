"""The jobs app's own tasks: pruning old records, and the probe that proves a worker runs."""

import time

from django_tasks import task

from .models import ProbeEffect
from .services import jobs_prune, once


@task()
def prune(*, key: str) -> dict:
    return jobs_prune()


@task(takes_context=True)
def probe(context, *, key: str, hold_ms: int = 0, after_ms: int = 0) -> bool:
    """Write one ProbeEffect row for `key`, exactly once however often the task runs.

    On its first attempt only, it sleeps `hold_ms` inside the effect's transaction and
    `after_ms` after the commit: the kill tests kill a worker in either window, and a
    rerun goes straight through. `manage.py worker_check` sleeps in neither.
    ProbeEffect.key is not unique on purpose, so a second effect would show.
    """
    worker_ids = context.task_result.worker_ids
    first_attempt = len(worker_ids) <= 1
    with once(key) as first:
        if first:
            ProbeEffect.objects.create(key=key, worker_id=worker_ids[-1] if worker_ids else "")
            if first_attempt:
                time.sleep(hold_ms / 1000)
    if first_attempt:
        time.sleep(after_ms / 1000)
    return first
