"""Importing files made by GDAL's ogr2ogr (issue 11, items 16–21; tests/geo/data/sitefiles/README.md)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backend.basemap.models import BaseLayer
from backend.errors import Invalid
from backend.sites.imports import sites_import
from backend.sites.models import OwnerUnit, Site
from geo.rings import is_ccw_geojson

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "geo" / "data" / "sitefiles"


@pytest.fixture
def boundary(db):
    geojson = json.loads((ROOT / "fixtures" / "demo_town" / "boundary.geojson").read_text(encoding="utf-8"))
    return BaseLayer.objects.create(slug="boundary", name="青枫镇", kind=BaseLayer.Kind.BOUNDARY, geojson=geojson)


def test_it_imports_a_gbk_shapefile_without_cpg(owner_unit):
    report = sites_import(path=DATA / "gbk_nocpg.shp")
    assert report.imported and not report.problems, report.lines()
    assert sorted(Site.objects.values_list("external_id", "name", "type")) == [
        ("GBK-1", "东湾村厂房", "factory"),
        ("GBK-2", "南塘村仓库", "warehouse"),
    ]
    # 资源持有单 is 资源持有单位 cut to 10 bytes by GDAL: the new unit gets its name.
    assert OwnerUnit.objects.get(code="OU002").name == "青枫镇南塘村经济合作社"


def test_it_recognises_field_names_gdal_cut_to_ten_characters(owner_unit):
    report = sites_import(path=DATA / "truncated_4549.shp")
    assert report.imported and not report.problems, report.lines()
    site = Site.objects.get(external_id="TR-1")  # external_i
    assert (site.owner_unit.code, site.building_area_m2, site.contact_mobile, str(site.available_from)) == (
        "OU001", 1200.0, "13800001234", "2026-09-01",  # owner_unit, building_a, contact_mo, available_
    )
    assert OwnerUnit.objects.get(code="OU002").name == "青枫镇南塘村经济合作社"  # owner_un_1
    assert Site.objects.get(external_id="TR-3").land_area_m2 == pytest.approx(10_000)  # land_mu: 15 亩


def test_it_lists_the_columns_it_found_when_it_refuses_a_file(owner_unit, tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("编号,名称,经度,纬度\nA,厂房A,121.42,31.12\n", encoding="utf-8")
    with pytest.raises(Invalid, match="缺少必需的列：类型（type）.*文件中的列：编号、名称"):
        sites_import(path=path)


def test_it_refuses_a_point_far_from_the_town_unless_allowed(owner_unit, boundary):
    report = sites_import(path=DATA / "beijing.geojson")
    assert not report.imported and not Site.objects.exists()
    assert len(report.problems) == 1
    line = report.lines()[1]
    assert line.startswith("  第2个要素 · 几何图形：落在 116.40°E 39.91°N，距镇界 1,0")
    assert "--allow-far" in line
    report = sites_import(path=DATA / "beijing.geojson", allow_far=True)
    assert report.imported and report.created == 2
    assert report.warnings and "116.40°E 39.91°N" in report.warnings[0]
    assert "注意：第2个要素" in "\n".join(report.lines())


@pytest.mark.parametrize(
    ("name", "crs", "where"),
    [("swapped_4549.shp", None, "第1个要素落在 145.67°E 5.18°N"), ("lnglat_xy.csv", "EPSG:4549", "第2行落在 115.51°E 0.00°N")],
)
def test_it_refuses_a_whole_file_in_the_wrong_place_with_one_message(owner_unit, name, crs, where):
    with pytest.raises(Invalid) as caught:
        sites_import(path=DATA / name, crs=crs)
    message = str(caught.value.detail)
    assert message.startswith("全部") and where in message and "适用范围" in message and "--allow-far" in message
    assert not Site.objects.exists()
    assert sites_import(path=DATA / name, crs=crs, allow_far=True).created == 2 + (name == "lnglat_xy.csv")


def test_it_asks_for_a_crs_once_from_the_command_line(owner_unit):
    with pytest.raises(CommandError, match="请用 --crs 指定坐标系") as caught:
        call_command("import_sites", str(DATA / "metres_nocrs.geojson"), stdout=io.StringIO())
    assert str(caught.value).count("请用 --crs") == 1
    with pytest.raises(CommandError, match="请用 --crs 指定坐标系"):
        call_command("import_sites", str(DATA / "truncated_4549.shp"), "--crs", "gcj02", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_sites", str(DATA / "metres_nocrs.geojson"), "--crs", "EPSG:4549", stdout=out)
    assert "新增 2 处" in out.getvalue()


def test_it_explains_a_missing_file_without_a_traceback(owner_unit, tmp_path):
    with pytest.raises(CommandError, match=r"^找不到文件：.*nowhere\.shp$"):
        call_command("import_sites", str(tmp_path / "nowhere.shp"), stdout=io.StringIO())


def test_it_names_spatial_rows_as_features_in_every_message(owner_unit, tmp_path):
    report = sites_import(path=DATA / "beijing.geojson", dry_run=True)
    assert report.where(3) == "第3个要素"
    csv_path = tmp_path / "dup.csv"
    csv_path.write_text("编号,名称,类型,单位编码,经度,纬度\nA,甲,厂房,OU001,121.42,31.12\nA,乙,厂房,OU001,121.43,31.13\n", encoding="utf-8")
    assert sites_import(path=csv_path).problems[0].message == "编号 A 与第2行重复"


def test_it_stores_and_serves_footprints_counter_clockwise(client, owner_unit):
    report = sites_import(path=DATA / "clockwise.shp")
    assert report.imported and report.created == 2
    for site in Site.objects.all():
        assert is_ccw_geojson(site.footprint), site.footprint
    # An older import stored the ring clockwise: the API serves it counter-clockwise anyway.
    site = Site.objects.get(external_id="PG-1")
    ring = site.footprint["coordinates"][0]
    Site.objects.filter(pk=site.pk).update(footprint={"type": "Polygon", "coordinates": [ring[::-1]]})
    served = client.get(f"/api/sites/{site.pk}").json()["footprint"]
    assert is_ccw_geojson(served)


@pytest.mark.django_db(transaction=True)
def test_it_reorients_stored_footprints_in_a_migration(owner_unit):
    sites_import(path=DATA / "clockwise.shp")
    ring = Site.objects.get(external_id="PG-1").footprint["coordinates"][0]
    Site.objects.filter(external_id="PG-1").update(footprint={"type": "Polygon", "coordinates": [ring[::-1]]})
    assert not is_ccw_geojson(Site.objects.get(external_id="PG-1").footprint)
    executor = MigrationExecutor(connection)
    executor.migrate([("sites", "0003_fill_area_and_version")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert all(is_ccw_geojson(s.footprint) for s in Site.objects.all())


def test_it_takes_allow_far_from_the_api_form(client, users, owner_unit, boundary):
    client.login_as("demo_admin")

    def upload(**fields):
        with (DATA / "beijing.geojson").open("rb") as fh:
            return client.post("/api/sites/import", {"file": fh, **fields}, HTTP_X_CSRFTOKEN=client.token())

    refused = upload().json()
    assert refused["imported"] is False
    assert [(p["where"], p["field"]) for p in refused["problems"]] == [("第2个要素", "几何图形")]
    done = upload(allow_far="true").json()
    assert done["imported"] is True and done["created"] == 2 and len(done["warnings"]) == 1


def test_it_tells_cut_owner_unit_names_apart_by_content_and_refuses_to_guess_units():
    import pandas as pd

    from backend.sites.imports.columns import map_columns

    # Name first in the source file: GDAL gave the name the plain cut and the code _1.
    table = pd.DataFrame({"external_i": ["A"], "owner_unit": ["东湾村经济合作社"], "owner_un_1": ["OU001"]})
    assert map_columns(table) == {"external_id": "external_i", "owner_unit_code": "owner_un_1", "owner_unit_name": "owner_unit"}
    # land_area_ is land_area_m2 or land_area_mu cut short: 亩 and m² differ 667-fold, so no guess.
    with pytest.raises(Invalid, match="无法确定列 land_area_"):
        map_columns(pd.DataFrame({"land_area_": [15]}))
