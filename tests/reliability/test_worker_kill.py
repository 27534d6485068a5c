"""A background task killed with kill -9 mid-run is run again, and its effect happens exactly once."""

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backend.jobs import tasks
from backend.jobs.models import ProbeEffect
from backend.jobs.services import enqueue
from workerproc import WorkerProcess, wait_for

# The worker in another process must see committed rows: no test transaction around this.
pytestmark = pytest.mark.django_db(transaction=True)

LONG_MS = 120_000  # far longer than the test waits: only a kill ends the first attempt


def status_of(key: str) -> str:
    return DBTaskResult.objects.get(args_kwargs__kwargs__key=key).status


@pytest.fixture
def workers():
    started: list[WorkerProcess] = []

    def start(name: str) -> WorkerProcess:
        worker = WorkerProcess(name)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_it_reruns_a_task_killed_inside_its_effect_and_applies_it_once(workers):
    enqueue(tasks.probe, key="kill:inside", hold_ms=LONG_MS)
    first = workers("w-first")
    # RUNNING, and the effect's transaction is open (it sleeps inside it, uncommitted).
    wait_for(lambda: status_of("kill:inside") == TaskResultStatus.RUNNING, timeout=60, what="the first attempt")
    assert ProbeEffect.objects.filter(key="kill:inside").count() == 0
    first.kill()

    workers("w-second")
    wait_for(lambda: status_of("kill:inside") == TaskResultStatus.SUCCESSFUL, timeout=60, what="the rerun")
    effects = list(ProbeEffect.objects.filter(key="kill:inside").values_list("worker_id", flat=True))
    assert effects == ["w-second"]
    assert DBTaskResult.objects.get(args_kwargs__kwargs__key="kill:inside").worker_ids == ["w-first", "w-second"]


def test_it_does_not_repeat_an_effect_committed_before_the_kill(workers):
    enqueue(tasks.probe, key="kill:after", after_ms=LONG_MS)
    first = workers("w-first")
    # The effect committed; the task still "runs" (sleeps after it) and has not reported success.
    wait_for(lambda: ProbeEffect.objects.filter(key="kill:after").exists(), timeout=60, what="the effect")
    assert status_of("kill:after") == TaskResultStatus.RUNNING
    first.kill()

    workers("w-second")
    wait_for(lambda: status_of("kill:after") == TaskResultStatus.SUCCESSFUL, timeout=60, what="the rerun")
    assert list(ProbeEffect.objects.filter(key="kill:after").values_list("worker_id", flat=True)) == ["w-first"]


def test_it_runs_every_task_once_while_workers_are_killed(workers):
    keys = [f"many:{i}" for i in range(120)]
    for key in keys:
        enqueue(tasks.probe, key=key, hold_ms=30)
    a, b = workers("w-a"), workers("w-b")
    wait_for(lambda: ProbeEffect.objects.count() >= 30, timeout=60, what="some progress")
    a.kill()
    workers("w-c")
    wait_for(lambda: ProbeEffect.objects.count() >= 70, timeout=60, what="more progress")
    b.kill()
    workers("w-d")
    wait_for(
        lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == len(keys),
        timeout=120, what="every task to succeed", interval=0.5,
    )
    counts = {key: ProbeEffect.objects.filter(key=key).count() for key in keys}
    assert set(counts.values()) == {1}, {k: n for k, n in counts.items() if n != 1}
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
