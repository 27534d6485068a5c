"""Background work: keys that queue once, effects that happen once, orphans requeued, daily jobs, job files."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from apisupport import ApiClient, run_tasks
from backend.jobs import tasks
from backend.jobs.models import Job, ProbeEffect, WorkerBeat
from backend.jobs.services import enqueue, job_file_path, job_finished, jobs_prune, once
from backend.jobs.worker import daily_enqueue_due, orphans_requeue, periodic_enqueue_due

pytestmark = pytest.mark.django_db


def test_it_queues_a_key_once():
    assert enqueue(tasks.probe, key="k1") is True
    assert enqueue(tasks.probe, key="k1") is False
    assert DBTaskResult.objects.count() == 1
    assert run_tasks() == 1
    assert ProbeEffect.objects.filter(key="k1").count() == 1


def test_it_queues_nothing_when_the_callers_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(tasks.probe, key="rolled-back")
        raise RuntimeError("the import failed")
    assert not DBTaskResult.objects.exists()
    # …and the key is free again for the retry that follows.
    assert enqueue(tasks.probe, key="rolled-back") is True


def test_it_applies_an_effect_once_however_often_it_runs():
    for _ in range(3):
        tasks.probe.call(context_for_test(), key="thrice")
    assert ProbeEffect.objects.filter(key="thrice").count() == 1


def test_it_leaves_no_mark_when_the_effect_fails():
    with pytest.raises(ValueError), once("fails") as first:
        assert first
        raise ValueError
    with once("fails") as first:
        assert first, "a failed effect must not count as done"


def claimed_by(worker_id: str, *, minutes_ago: int, key: str) -> DBTaskResult:
    enqueue(tasks.probe, key=key)
    result = DBTaskResult.objects.get(args_kwargs__kwargs__key=key)
    result.claim(worker_id)
    DBTaskResult.objects.filter(id=result.id).update(started_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return result


def test_it_requeues_the_tasks_of_a_worker_that_stopped_beating():
    dead = claimed_by("dead", minutes_ago=5, key="of-dead")
    WorkerBeat.objects.create(worker_id="alive", beat_at=timezone.now())
    alive = claimed_by("alive", minutes_ago=5, key="of-alive")
    fresh = claimed_by("just-claimed", minutes_ago=0, key="fresh")  # its first beat may not be written yet

    assert orphans_requeue() == 1
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses[dead.id] == TaskResultStatus.READY
    assert statuses[alive.id] == TaskResultStatus.RUNNING
    assert statuses[fresh.id] == TaskResultStatus.RUNNING
    assert run_tasks() == 1 and ProbeEffect.objects.filter(key="of-dead").count() == 1


def test_it_fails_a_task_that_killed_every_worker_it_ran_on(settings):
    result = claimed_by("w1", minutes_ago=5, key="poison")
    DBTaskResult.objects.filter(id=result.id).update(worker_ids=["w1", "w2", "w3"])
    assert orphans_requeue() == 0
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert "worker died 3 times" in result.traceback


def test_it_queues_each_daily_job_once_a_day_from_its_hour(settings):
    settings.JOBS_DAILY = [("probe", "09:00", "backend.jobs.tasks.probe")]
    morning = dt.datetime(2026, 12, 1, 8, 59, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(morning, tick=False):
        assert daily_enqueue_due() == []
    with time_machine.travel(morning + dt.timedelta(minutes=1), tick=False):
        assert daily_enqueue_due() == ["probe"]
        assert daily_enqueue_due() == []  # a second worker, the next heartbeat
    with time_machine.travel(morning + dt.timedelta(hours=14), tick=False):
        assert daily_enqueue_due() == []  # still 1 December in Shanghai (23:00)
    with time_machine.travel(morning + dt.timedelta(days=1, minutes=1), tick=False):
        assert daily_enqueue_due() == ["probe"]
    assert run_tasks() == 2
    assert ProbeEffect.objects.filter(key__startswith="daily:probe:").count() == 2


def test_it_runs_every_configured_daily_job(settings):
    """Each JOBS_DAILY entry imports and runs (a typo in a dotted path would only show at night)."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 23, 59, tzinfo=timezone.get_current_timezone()), tick=False):
        assert sorted(daily_enqueue_due()) == sorted(name for name, _, _ in settings.JOBS_DAILY)
        run_tasks()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


def test_it_runs_every_configured_periodic_job(settings):
    """Each JOBS_EVERY entry imports and runs, once per slot however many workers ask."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 7, tzinfo=timezone.get_current_timezone()), tick=False):
        assert sorted(periodic_enqueue_due()) == sorted(name for name, _, _ in settings.JOBS_EVERY)
        assert periodic_enqueue_due() == []
        run_tasks()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


def test_it_serves_a_job_and_its_file_only_to_its_owner(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = Job.objects.create(user=users["manager"], kind="reports.test", title="走访记录导出", total=200, done=50)
    owner, other = ApiClient(), ApiClient()
    owner.force_login(users["manager"])
    other.force_login(users["admin"])

    body = owner.get(f"/api/jobs/{job.id}").json()
    assert (body["status"], body["percent"], body["download_url"]) == ("queued", 25, None)
    assert owner.get(f"/api/jobs/{job.id}/file").status_code == 404
    assert other.get(f"/api/jobs/{job.id}").status_code == 404

    path = job_file_path(job, "visits.csv")
    path.write_text("日期,企业\n", encoding="utf-8")
    job_finished(job_id=str(job.id), path=path, file_name="走访记录.csv", content_type="text/csv; charset=utf-8")
    body = owner.get(f"/api/jobs/{job.id}").json()
    assert (body["status"], body["percent"]) == ("done", 100)
    response = owner.get(body["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "日期,企业\n"
    assert "attachment" in response["Content-Disposition"]
    assert other.get(body["download_url"]).status_code == 404


def test_it_prunes_old_job_files_and_records(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = Job.objects.create(user=users["manager"], kind="reports.test", title="旧导出")
    path = job_file_path(old, "old.csv")
    path.write_text("x")
    job_finished(job_id=str(old.id), path=path, file_name="old.csv", content_type="text/csv")
    Job.objects.filter(id=old.id).update(created_at=timezone.now() - dt.timedelta(days=settings.JOB_FILE_DAYS + 1))
    new = Job.objects.create(user=users["manager"], kind="reports.test", title="新导出")
    assert jobs_prune()["jobs"] == 1
    assert not path.exists() and not path.parent.exists()
    assert list(Job.objects.values_list("id", flat=True)) == [new.id]


def context_for_test():
    from django_tasks_db.compat import TaskContext

    enqueue(tasks.probe, key=f"ctx-{timezone.now().timestamp()}")
    result = DBTaskResult.objects.order_by("-enqueued_at").first()
    return TaskContext(task_result=result.task_result)
