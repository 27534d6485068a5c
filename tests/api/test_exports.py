"""Exports: formula-safe cells in both formats, capped ranges, large exports through a worker job."""

import csv
import datetime as dt
import io
import uuid
import zipfile

import pytest
from openpyxl import load_workbook

from apisupport import run_tasks
from backend.enterprises.models import Enterprise
from backend.jobs.models import Job
from backend.reports.exports import safe_cell
from backend.visits.models import LocationAccess, Visit

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))

EVIL = '=HYPERLINK("http://evil","x")'
# Every start OWASP lists, as an enterprise name each.
HOSTILE = [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def make_visit(staff, enterprise, when):
    return Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=enterprise,
        checkin_at=when, checkin_received_at=when, checkin_lat=31.12, checkin_lng=121.42,
        distance_m=10, within_geofence=True,
    )


@pytest.fixture
def hostile_visits(users):
    for i, name in enumerate(HOSTILE):
        enterprise = Enterprise.objects.create(uscc=f"91350100M00020{i:02d}X1"[:18], name=name, lat=31.12, lng=121.42)
        make_visit(users["staff"], enterprise, dt.datetime(2026, 11, 2 + i, 10, tzinfo=TZ))


def visits_export(client, fmt, date_from="2026-11-01", date_to="2026-11-30"):
    return client.get("/api/reports/visits/export", {"date_from": date_from, "date_to": date_to, "format": fmt})


def test_it_prefixes_formula_starts_with_a_quote_and_leaves_numbers_alone():
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [safe_cell(v) for v in ("上海青枫", "a=b", "", -3, 2.5, None)] == ["上海青枫", "a=b", "", -3, 2.5, None]


def test_it_neutralises_formulas_in_csv_exports(client, users, hostile_visits):
    client.login_as("demo_manager")
    response = visits_export(client, "csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    names = [row[5] for row in rows[1:-1]]
    assert names == ["'" + name for name in HOSTILE]
    # Nothing else in the file starts a formula either (the totals row, the headers, …).
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_it_stores_formula_like_text_as_plain_strings_in_xlsx(client, users, hostile_visits):
    client.login_as("demo_manager")
    response = visits_export(client, "xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[5] for row in sheet.iter_rows(min_row=2, max_row=1 + len(HOSTILE))]
    # (A stored CR reads back as LF through the standard library's XML parser and as CR
    # through lxml, which openpyxl prefers when it is installed — pikepdf brings it: compare
    # line ends alike. Either way the cell starts with the quote.)
    assert [c.value.replace("\r", "\n") for c in cells] == ["'" + name.replace("\r", "\n") for name in HOSTILE]
    assert {c.data_type for c in cells} == {"s"}
    # The raw sheet: no formula element anywhere, and the name is there as text.
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "'=HYPERLINK(" in xml.replace("&quot;", '"')


def test_it_neutralises_formulas_in_the_team_export_too(client, users, settings):
    users["staff"].display_name = "=1+1"
    users["staff"].save()
    client.login_as("demo_manager")
    for fmt in ("csv", "xlsx"):
        response = client.get("/api/reports/team/export", {"date_from": "2026-11-01", "date_to": "2026-11-30", "format": fmt})
        assert response.status_code == 200
        if fmt == "csv":
            names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
        else:
            names = [row[0] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
        assert "'=1+1" in names and "=1+1" not in names


@pytest.mark.parametrize("kind", ["team", "visits"])
def test_it_refuses_a_range_longer_than_the_cap_in_chinese(client, users, kind):
    client.login_as("demo_manager")
    response = client.get(f"/api/reports/{kind}/export", {"date_from": "2000-01-01", "date_to": "2100-12-31"})
    assert response.status_code == 422
    assert "最长366天" in response.json()["errors"]["date_to"]
    assert client.get(f"/api/reports/{kind}/export", {"date_from": "2026-01-01", "date_to": "2026-12-31"}).status_code == 202
    assert client.get(f"/api/reports/{kind}/export", {"date_from": "2026-01-01", "date_to": "2027-01-02"}).status_code == 422
    assert client.get(f"/api/reports/{kind}/export", {"date_from": "2026-02-01", "date_to": "2026-01-01"}).status_code == 422


def test_it_makes_a_large_export_in_a_worker_job_and_serves_it_to_its_owner(client, users, enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_SYNC_MAX_ROWS = 5
    for day in range(1, 13):
        make_visit(users["staff"], enterprise, dt.datetime(2026, 11, day, 10, tzinfo=TZ))
    client.login_as("demo_manager")
    response = visits_export(client, "xlsx")
    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["status"], job["download_url"]) == ("queued", None)
    # Asking is the read that is logged, with the asker's address.
    assert LocationAccess.objects.filter(what="export", subject=users["staff"]).count() == 1
    assert client.get(f"/api/jobs/{job['id']}").json()["status"] == "queued"

    assert run_tasks() == 1
    done = client.get(f"/api/jobs/{job['id']}").json()
    assert (done["status"], done["percent"], done["done"], done["total"]) == ("done", 100, 12, 12)
    file = client.get(done["download_url"])
    assert file.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(file.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "日期" and len(rows) == 1 + 12 + 1
    assert rows[-1][3] == "12 次走访"
    assert not list(tmp_path.rglob("*.part"))

    client.post_json("/api/auth/logout")
    client.login_as("demo_admin")
    assert client.get(f"/api/jobs/{job['id']}").status_code == 404
    assert client.get(done["download_url"]).status_code == 404


def test_it_makes_a_long_range_export_a_job_even_with_few_rows(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.login_as("demo_manager")
    response = client.get("/api/reports/team/export", {"date_from": "2026-01-01", "date_to": "2026-06-30", "format": "csv"})
    assert response.status_code == 202
    run_tasks()
    job = Job.objects.get(id=response.json()["id"])
    assert job.status == Job.Status.DONE and job.file_name == "team-2026-01-01-2026-06-30.csv"
    text = (tmp_path / job.file).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("姓名,小组,走访次数") and text.splitlines()[-1].startswith("合计")


def test_it_limits_unfinished_export_jobs_per_user(client, users, settings):
    settings.EXPORT_JOBS_PER_USER = 2
    client.login_as("demo_manager")
    params = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
    assert [client.get("/api/reports/team/export", params).status_code for _ in range(3)] == [202, 202, 429]
    # Another manager is not held up by this one.
    client.post_json("/api/auth/logout")
    client.login_as("demo_admin")
    assert client.get("/api/reports/team/export", params).status_code == 202


def test_it_refuses_exports_to_staff_before_queueing_anything(client, users):
    client.login_as("demo_staff")
    assert client.get("/api/reports/visits/export", {"date_from": "2026-01-01", "date_to": "2026-06-30"}).status_code == 403
    assert not Job.objects.exists()


def test_it_keeps_error_like_text_a_string_in_xlsx():
    from backend.reports.exports import XlsxSink

    out = io.BytesIO()
    sink = XlsxSink(out, [("a", "名称"), ("b", "数")], title="t")
    sink.row(["#N/A", -1])
    sink.row(["#REF!", 2.5])
    sink.close()
    cells = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(min_row=2))
    assert [(c[0].value, c[0].data_type, c[1].value) for c in cells] == [("#N/A", "s", -1), ("#REF!", "s", 2.5)]
