"""A manager's large export on a phone: the PWA shows the job's progress, a real worker makes it, the file downloads.

Small for CI: 30 visits, with the synchronous limit lowered to 10 rows so that
this export is "large" and goes through the job path (202).
"""

import datetime as dt
import io
import sys
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from e2e_support import PASSWORD, acknowledge_privacy, log_in, make_enterprise, snap
from openpyxl import load_workbook
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from workerproc import WorkerProcess  # noqa: E402

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")
VISITS = 30


@pytest.fixture
def team_month(transactional_db, town, settings, tmp_path):
    from backend.accounts.models import OrgUnit, User
    from backend.visits.models import Visit

    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_SYNC_MAX_ROWS = 10
    team = OrgUnit.objects.create(code="e2e-exp-team", name="招商二组", kind="team")
    manager = User.objects.create_user(username="demo_manager", password=PASSWORD, role="manager", display_name="李科长", org_unit=team)
    staff = User.objects.create_user(username="demo_staff", password=PASSWORD, role="staff", display_name="王小明", org_unit=team)
    acknowledge_privacy(manager, staff)
    plain = make_enterprise("青枫精密机械有限公司", 31.121, 121.421, n=911)
    # An enterprise name that is a formula: the downloaded file must carry it as text.
    hostile = make_enterprise('=HYPERLINK("http://evil","x")', 31.122, 121.422, n=912)
    today = dt.datetime.now(SHANGHAI).date()
    first = today.replace(day=1)
    for i in range(VISITS):
        # This month, up to today: the team page's default range.
        when = dt.datetime.combine(first + dt.timedelta(days=i % today.day), dt.time(8 + i % 9, 0), SHANGHAI)
        Visit.objects.create(
            client_id=uuid.uuid4(), staff=staff, enterprise=hostile if i == 0 else plain,
            checkin_at=when, checkin_received_at=when, checkin_lat=31.121, checkin_lng=121.421,
            distance_m=10, within_geofence=True,
        )
    return {"media": tmp_path}


def test_a_manager_downloads_a_large_export_made_by_the_worker(page, team_month):
    from backend.jobs.models import Job

    log_in(page, "demo_manager")
    expect(page.locator("#app")).to_have_attribute("data-route", "team")
    expect(page.locator("#team-table")).to_be_visible()

    # A small export is still the file itself, at once.
    with page.expect_download() as small_info:
        page.locator("#export-team-csv").click()
    small = small_info.value
    assert small.suggested_filename.startswith("team-") and small.suggested_filename.endswith(".csv")
    lines = Path(small.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("姓名,小组,走访次数") and lines[-1].startswith("合计")
    expect(page.locator("#export-status")).to_have_attribute("data-state", "done")

    page.locator("#export-visits-xlsx").click()
    # No worker runs yet: the job waits in the queue, and the page says so with a progress bar.
    status = page.locator("#export-status")
    expect(status).to_have_attribute("data-state", "queued")
    expect(page.locator("#export-progress")).to_be_visible()
    expect(page.locator("#export-progress-text")).to_contain_text("后台")
    snap(page, "manager-export-queued")
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED

    worker = WorkerProcess("w-e2e-export", env={"MEDIA_ROOT": str(team_month["media"])})
    try:
        with page.expect_download(timeout=60_000) as download_info:
            worker.start()
        download = download_info.value
    finally:
        worker.stop()
    expect(status).to_have_attribute("data-state", "done")
    expect(page.locator("#export-progress")).to_have_attribute("value", "100")
    expect(page.locator("#export-download")).to_be_visible()
    snap(page, "manager-export-done")

    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("日期", "签到时间", "签退时间", "走访人", "小组", "企业名称")
    assert len(rows) == 1 + VISITS + 1
    assert rows[-1][3] == f"{VISITS} 次走访"
    names = [row[5] for row in rows[1:-1]]
    assert names.count('\'=HYPERLINK("http://evil","x")') == 1
    assert not [n for n in names if n.startswith("=")]
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.DONE, VISITS, VISITS)
