"""A saved-search alert is delivered by a real worker process after an import (issue 10, acceptance 3)."""

from pathlib import Path

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from backend.accounts.models import User
from backend.enterprises.models import Enterprise
from backend.enterprises.services import enterprise_member_add
from backend.notifications.models import Notice
from backend.sites.imports import sites_import
from backend.sites.models import SavedSearch, Site
from workerproc import WorkerProcess, wait_for

# The worker in another process must see committed rows: no test transaction around this.
pytestmark = pytest.mark.django_db(transaction=True)

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "sample_sites"


def test_it_delivers_a_saved_search_alert_from_the_worker_after_an_import():
    enterprise = Enterprise.objects.create(uscc="91350100M000100Y43", name="上海青枫示范科技有限公司", lat=31.12, lng=121.42)
    user = User.objects.create_user(username="alert_enterprise", password="pw-12345678", role=User.Role.ENTERPRISE)
    enterprise_member_add(user=user, enterprise=enterprise)
    SavedSearch.objects.create(user=user, name="所有厂房", params={"types": ["factory"]})
    worker = WorkerProcess("w-alerts")
    worker.start()
    try:
        report = sites_import(path=SAMPLES / "sites_wgs84.geojson")
        assert report.imported and report.alerts_queued
        notice = wait_for(
            lambda: Notice.objects.filter(user=user, kind="sites.saved_search").first(), timeout=60, what="the alert"
        )
        factories = Site.objects.filter(type="factory").count()
        assert notice.title == f"有{factories}处新场地符合订阅「所有厂房」"
        task = DBTaskResult.objects.get(task_path__endswith="saved_search_alerts")
        wait_for(lambda: DBTaskResult.objects.get(id=task.id).status == TaskResultStatus.SUCCESSFUL, timeout=30, what="success")
        assert DBTaskResult.objects.get(id=task.id).worker_ids == ["w-alerts"]
    finally:
        worker.stop()
    assert Notice.objects.filter(user=user, kind="sites.saved_search").count() == 1
