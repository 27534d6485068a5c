"""Saved-search alerts after an import: queued with the import, sent by a worker, once."""

from pathlib import Path

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from apisupport import run_tasks
from backend.notifications.models import Notice
from backend.sites.imports import sites_import
from backend.sites.models import SavedSearch, Site
from backend.sites.tasks import saved_search_alerts

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "sample_sites"


@pytest.fixture
def saved(users):
    return SavedSearch.objects.create(user=users["enterprise"], name="所有厂房", params={"types": ["factory"]})


def alerts() -> list[Notice]:
    return list(Notice.objects.filter(kind="sites.saved_search"))


def test_it_sends_nothing_until_the_worker_runs(saved):
    report = sites_import(path=SAMPLES / "sites_wgs84.geojson")
    assert report.imported and report.alerts_queued
    assert alerts() == []
    assert DBTaskResult.objects.filter(task_path__endswith="saved_search_alerts").count() == 1

    assert run_tasks() == 1
    [notice] = alerts()
    assert notice.user_id == saved.user_id
    assert notice.title == f"有{Site.objects.filter(type='factory').count()}处新场地符合订阅「所有厂房」"


def test_it_queues_nothing_when_the_import_rolls_back(saved):
    with pytest.raises(RuntimeError), transaction.atomic():
        sites_import(path=SAMPLES / "sites_wgs84.geojson")
        raise RuntimeError("the caller's transaction fails after the import")
    assert not Site.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert run_tasks() == 0 and alerts() == []


def test_it_alerts_once_however_often_the_task_runs(saved):
    sites_import(path=SAMPLES / "sites_wgs84.geojson")
    task = DBTaskResult.objects.get(task_path__endswith="saved_search_alerts")
    kwargs = task.args_kwargs["kwargs"]
    run_tasks()
    # A worker killed after the commit but before it reported success runs it again.
    assert saved_search_alerts.call(**kwargs) == 0
    assert len(alerts()) == 1


def test_it_queues_no_alert_task_for_an_import_that_adds_nothing(saved):
    sites_import(path=SAMPLES / "sites_wgs84.geojson")
    run_tasks()
    report = sites_import(path=SAMPLES / "sites_wgs84.geojson")  # the same rows again: updates only
    assert report.created == 0 and not report.alerts_queued
    assert run_tasks() == 0 and len(alerts()) == 1
