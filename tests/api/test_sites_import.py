"""Importing the asset platform's files (issue #4, acceptance 1)."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apisupport import run_tasks
from backend.errors import Invalid
from backend.notifications.models import Notice
from backend.sites.imports import sites_import
from backend.sites.models import OwnerUnit, Site
from geo.distance import distance_m

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "sample_sites"
FILES = [
    ("sites_wgs84.geojson", None),
    ("sites_cgcs2000_gk120.zip", None),  # projected CGCS2000, from its .prj
    ("sites_utm51n.gpkg", None),
    ("sites_gcj02.csv", "gcj02"),
    ("sites_bd09.xlsx", "bd09"),
]
BROKEN_ROWS = [(4, "纬度"), (8, "类型"), (11, "联系电话")]


def _truth() -> dict[str, dict]:
    with (SAMPLES / "truth.csv").open(encoding="utf-8") as fh:
        return {row["external_id"]: row for row in csv.DictReader(fh)}


@pytest.mark.parametrize(("name", "crs"), FILES, ids=[f[0] for f in FILES])
def test_it_imports_every_sample_to_the_same_sites_within_a_metre(owner_unit, name, crs):
    report = sites_import(path=SAMPLES / name, crs=crs)
    assert report.imported and not report.problems, report.lines()
    assert (report.created, report.updated, report.total) == (12, 0, 12)
    truth = _truth()
    sites = {s.external_id: s for s in Site.objects.all()}
    assert set(sites) == set(truth)
    for ext, row in truth.items():
        site = sites[ext]
        assert distance_m(float(row["lat"]), float(row["lng"]), site.lat, site.lng) < 1.0, ext
        assert (site.name, site.type) == (row["name"], row["type"])
        assert site.area_m2 == pytest.approx(float(row["area_m2"]), abs=0.01)
        assert site.min_lng <= site.lng <= site.max_lng and site.min_lat <= site.lat <= site.max_lat


def test_it_gives_every_format_the_same_attributes(owner_unit):
    snapshots = []
    fields = ("external_id", "type", "status", "rent_per_m2_day", "floors", "crane", "available_from", "contact_mobile", "owner_unit__code")
    for name, crs in FILES:
        sites_import(path=SAMPLES / name, crs=crs)
        snapshots.append(list(Site.objects.order_by("external_id").values_list(*fields)))
    assert all(s == snapshots[0] for s in snapshots[1:])


def test_it_keeps_footprints_and_puts_their_point_inside(owner_unit):
    sites_import(path=SAMPLES / "sites_utm51n.gpkg")
    land = Site.objects.filter(type="land")
    assert land.count() == 2
    for site in land:
        assert site.footprint["type"] == "Polygon"
        assert site.max_lng - site.min_lng > 0.001  # a parcel, not a point
        assert site.land_area_m2 == pytest.approx(site.area_m2)


def test_it_reports_exactly_the_three_broken_rows_and_imports_nothing(owner_unit):
    report = sites_import(path=SAMPLES / "sites_broken.csv")
    assert [(p.row, p.field) for p in report.problems] == BROKEN_ROWS
    assert not report.imported
    assert not Site.objects.exists()
    assert OwnerUnit.objects.count() == 1  # no unit created either: nothing half-written
    assert report.lines()[1] == "  第4行 · 纬度：缺少坐标"


def test_it_imports_the_valid_rows_when_asked_to_skip_invalid_ones(owner_unit):
    report = sites_import(path=SAMPLES / "sites_broken.csv", skip_invalid=True)
    assert report.imported and (report.created, report.skipped) == (9, 3)
    assert [(p.row, p.field) for p in report.problems] == BROKEN_ROWS
    assert Site.objects.count() == 9
    assert not Site.objects.filter(external_id__in=["QF-PT-0003", "QF-PT-0007", "QF-PT-0010"]).exists()


def test_it_changes_nothing_on_a_dry_run(owner_unit):
    report = sites_import(path=SAMPLES / "sites_wgs84.geojson", dry_run=True)
    assert (report.created, report.updated, report.imported) == (12, 0, False)
    assert not Site.objects.exists()


def test_it_updates_by_external_id_instead_of_duplicating(owner_unit):
    sites_import(path=SAMPLES / "sites_wgs84.geojson")
    Site.objects.filter(external_id="QF-PT-0001").update(status="leased", name="旧名字")
    report = sites_import(path=SAMPLES / "sites_gcj02.csv", crs="gcj02")
    assert (report.created, report.updated) == (0, 12)
    assert Site.objects.count() == 12
    site = Site.objects.get(external_id="QF-PT-0001")
    assert (site.name, site.status) == ("南塘村1号厂房", "vacant")


def test_it_uses_existing_owner_units_and_creates_unknown_ones(owner_unit):
    report = sites_import(path=SAMPLES / "sites_wgs84.geojson")
    assert report.owner_units_created == ["OU002 青枫镇南塘村经济合作社", "OU013 青枫镇集体资产经营管理有限公司"]
    assert OwnerUnit.objects.get(code="OU001").name == "青枫镇东湾村经济合作社"
    assert Site.objects.filter(owner_unit=owner_unit).count() == 4


def test_it_explains_a_file_it_cannot_read(owner_unit, tmp_path):
    bad = tmp_path / "sites.csv"
    bad.write_text("名称,类型\n厂房A,厂房\n", encoding="utf-8")
    with pytest.raises(Invalid, match="没有找到坐标列"):
        sites_import(path=bad)
    missing = tmp_path / "points.csv"
    missing.write_text("名称,经度,纬度\n厂房A,121.42,31.12\n", encoding="utf-8")
    with pytest.raises(Invalid, match="缺少必需的列：编号"):
        sites_import(path=missing)


def test_it_notifies_saved_searches_of_imported_sites(client, users, owner_unit):
    client.login_as("demo_enterprise")
    saved = client.post_json("/api/sites/saved-searches", {"name": "千平厂房", "type": "factory", "area_min": 1000})
    assert saved.status_code == 201, saved.content
    sites_import(path=SAMPLES / "sites_wgs84.geojson")
    run_tasks()  # a worker sends the alerts (tests/api/test_sites_alerts.py)
    factories = Site.objects.filter(type="factory", area_m2__gte=1000).count()
    notice = Notice.objects.get(user__username="demo_enterprise")
    assert notice.title == f"有{factories}处新场地符合订阅「千平厂房」"
    # Imported again: nothing new, no second notice.
    sites_import(path=SAMPLES / "sites_gcj02.csv", crs="gcj02")
    run_tasks()
    assert Notice.objects.filter(user__username="demo_enterprise").count() == 1


def test_it_runs_from_the_command_line(owner_unit):
    out = io.StringIO()
    call_command("import_sites", str(SAMPLES / "sites_cgcs2000_gk120.zip"), stdout=out)
    assert "EPSG:4549" in out.getvalue() and "新增 12 处" in out.getvalue()
    with pytest.raises(CommandError, match="3 处问题"):
        call_command("import_sites", str(SAMPLES / "sites_broken.csv"), stdout=io.StringIO())


def test_it_lets_only_admins_upload_through_the_api(client, users, owner_unit):
    def upload(**fields):
        with (SAMPLES / "sites_gcj02.csv").open("rb") as fh:
            return client.post("/api/sites/import", {"file": fh, **fields}, HTTP_X_CSRFTOKEN=client.token())

    client.login_as("demo_staff")
    assert upload(crs="gcj02").status_code == 403
    client.post_json("/api/auth/logout")
    client.login_as("demo_admin")
    dry = upload(crs="gcj02", dry_run="true").json()
    assert (dry["created"], dry["imported"], dry["source_crs"]) == (12, False, "GCJ-02（高德/腾讯坐标）")
    done = upload(crs="gcj02")
    assert done.status_code == 200 and done.json()["imported"] is True
    assert Site.objects.count() == 12


def test_it_has_an_admin_upload_page(client, users, owner_unit):
    users["admin"].is_staff = True  # as the demo loader makes admins: the Django admin needs it
    users["admin"].save()
    client.login_as("demo_admin")
    page = client.get("/admin/sites/site/import/")
    assert page.status_code == 200 and "导入场地数据" in page.content.decode()
    with (SAMPLES / "sites_broken.csv").open("rb") as fh:
        response = client.post(
            "/admin/sites/site/import/", {"file": fh, "crs": "", "layer": "", "skip_invalid": "on"}, HTTP_X_CSRFTOKEN=client.token()
        )
    assert response.status_code == 200
    assert "第8行" in response.content.decode()
    assert Site.objects.count() == 9


def test_it_updates_only_the_columns_a_file_has(owner_unit, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text(
        "编号,名称,类型,层数,确认日期,单位编码,经度,纬度\nX-1,东湾村厂房,厂房,3,2026-01-05,OU001,121.42,31.12\n", encoding="utf-8"
    )
    sites_import(path=first)
    second = tmp_path / "second.csv"
    # No 层数 column; an empty 确认日期; a new name and position.
    second.write_text("编号,名称,类型,确认日期,单位编码,经度,纬度\nX-1,东湾村一号厂房,厂房,,OU001,121.43,31.13\n", encoding="utf-8")
    report = sites_import(path=second)
    assert report.updated == 1
    site = Site.objects.get(external_id="X-1")
    assert (site.name, site.floors, str(site.last_confirmed), site.lng) == ("东湾村一号厂房", 3, "2026-01-05", 121.43)
