"""The ledger export (GET /api/demands/export): Chinese headers, formula-safe text, the
reader's scope, filters, and large ones through a worker job like the visits export."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from apisupport import run_tasks
from backend.demands.models import Demand
from backend.enterprises.models import Enterprise
from backend.jobs.models import Job

from test_demands import as_, cast  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
EVIL = '=HYPERLINK("http://evil","x")'
NOV = {"date_from": "2026-11-01", "date_to": "2026-11-30"}


def make(cast, *, description="招工", raised_by=None, assignee=None, status="assigned", day=2, enterprise=None, **extra):
    return Demand.objects.create(
        enterprise=enterprise or Enterprise.objects.exclude(id=cast["other_ent"].id).first(), category="labour",
        description=description, channel="phone", raised_by=raised_by or cast["manager"], assignee=assignee or cast["assignee"],
        status=status, created_at=dt.datetime(2026, 11, day, 10, tzinfo=TZ), **extra,
    )


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_it_exports_the_ledger_with_chinese_headers_and_a_total(cast):
    deadline = dt.datetime(2026, 11, 9, 17, 30, tzinfo=TZ)
    make(cast, deadline=deadline, deadline_explained="11月2日 10:00 提交，加 5 个工作日 → 11月9日 17:30",
         first_resolved_at=deadline, resolved_on_time=True, status="resolved", resolution="已解决")
    rows = csv_rows(as_(cast["manager"]).get("/api/demands/export", {**NOV, "format": "csv"}))
    assert rows[0][:5] == ["编号", "登记时间", "企业名称", "统一社会信用代码", "类别"]
    assert "是否按时办结" in rows[0] and "办理时限" in rows[0]
    row = dict(zip(rows[0], rows[1]))
    assert (row["类别"], row["来源"], row["状态"], row["办理时限"], row["是否按时办结"]) == (
        "用工", "电话代为登记", "已办结", "2026-11-09 17:30", "是")
    assert rows[-1][:2] == ["合计", "1 条诉求"]


def test_it_neutralises_formulas_in_both_formats(cast):
    make(cast, description=EVIL, resolution="@SUM(1,1)")
    rows = csv_rows(as_(cast["manager"]).get("/api/demands/export", {**NOV, "format": "csv"}))
    row = dict(zip(rows[0], rows[1]))
    assert row["诉求内容"] == "'" + EVIL and row["办理结果"] == "'@SUM(1,1)"
    response = as_(cast["manager"]).get("/api/demands/export", {**NOV, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for c in sheet[2]]
    assert "'" + EVIL in values
    assert all(c.data_type != "f" for c in sheet[2])


def test_it_exports_only_what_the_reader_may_see(cast):
    make(cast, description="我们组的")
    make(cast, description="别组的", raised_by=cast["other_staff"], assignee=cast["other_staff"])
    mine = [r[5] for r in csv_rows(as_(cast["manager"]).get("/api/demands/export", {**NOV, "format": "csv"}))[1:-1]]
    theirs = [r[5] for r in csv_rows(as_(cast["other_manager"]).get("/api/demands/export", {**NOV, "format": "csv"}))[1:-1]]
    every = [r[5] for r in csv_rows(as_(cast["admin"]).get("/api/demands/export", {**NOV, "format": "csv"}))[1:-1]]
    assert mine == ["我们组的"] and theirs == ["别组的"] and sorted(every) == ["别组的", "我们组的"]


def test_it_filters_by_status_and_the_day_raised(cast):
    make(cast, description="十一月二日", day=2)
    make(cast, description="已办结的", day=3, status="resolved")
    make(cast, description="十二月", day=2).__class__.objects.filter(description="十二月").update(
        created_at=dt.datetime(2026, 12, 1, 0, 30, tzinfo=TZ))
    got = [r[5] for r in csv_rows(as_(cast["admin"]).get("/api/demands/export", {**NOV, "format": "csv", "status": "assigned"}))[1:-1]]
    assert got == ["十一月二日"]


@pytest.mark.parametrize("role", ["staff", "enterprise", "owner"])
def test_it_refuses_the_export_to_non_managers_before_queueing_anything(cast, role):
    assert as_(cast[role]).get("/api/demands/export", {"date_from": "2026-01-01", "date_to": "2026-06-30"}).status_code == 403
    assert not Job.objects.exists()


def test_it_refuses_a_range_past_the_cap_and_unknown_parameters(cast):
    client = as_(cast["manager"])
    assert client.get("/api/demands/export", {"date_from": "2026-01-01", "date_to": "2027-01-02"}).status_code == 422
    assert client.get("/api/demands/export", {**NOV, "x": "1"}).status_code == 422
    assert client.get("/api/demands/export", {**NOV, "status": "nope"}).status_code == 422


def test_it_makes_a_large_export_in_a_worker_job(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_SYNC_MAX_ROWS = 5
    for day in range(1, 13):
        make(cast, day=day, description=f"诉求{day}")
    client = as_(cast["manager"])
    response = client.get("/api/demands/export", {**NOV, "format": "csv", "status": "assigned"})
    assert response.status_code == 202, response.content
    assert run_tasks() == 1
    job = Job.objects.get(id=response.json()["id"])
    assert job.status == Job.Status.DONE and job.file_name == "demands-2026-11-01-2026-11-30.csv"
    text = (tmp_path / job.file).read_text(encoding="utf-8-sig")
    assert text.startswith("编号,登记时间") and "12 条诉求" in text


def test_it_limits_unfinished_export_jobs_per_user(cast, settings):
    settings.EXPORT_JOBS_PER_USER = 2
    params = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
    client = as_(cast["manager"])
    assert [client.get("/api/demands/export", params).status_code for _ in range(3)] == [202, 202, 429]
