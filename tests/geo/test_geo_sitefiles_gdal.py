"""geo.sitefiles on files made by GDAL's ogr2ogr (issue 11, items 16–21; tests/geo/data/sitefiles/README.md)."""

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from geo.rings import ccw_geojson, is_ccw_geojson
from geo.sitefiles import SiteFileError, far_points, match_truncated, read_site_file, row_word
from geo.sitefiles.names import dbf_names

DATA = Path(__file__).resolve().parent / "data" / "sitefiles"
ROOT = Path(__file__).resolve().parents[2]


def _town():
    boundary = json.loads((ROOT / "fixtures" / "demo_town" / "boundary.geojson").read_text(encoding="utf-8"))
    return shape(boundary["features"][0]["geometry"])


def test_it_rereads_a_gbk_shapefile_without_cpg_as_gb18030():
    result = read_site_file(DATA / "gbk_nocpg.shp")
    # GDAL cut 资源持有单位 (12 bytes in GBK) to 10 bytes: 资源持有单.
    assert list(result.table.columns) == ["编号", "名称", "类型", "单位编码", "资源持有单"]
    assert [r.properties["名称"] for r in result.rows] == ["东湾村厂房", "南塘村仓库"]


def test_it_asks_once_for_a_crs_when_a_geojson_in_metres_has_no_crs_member():
    with pytest.raises(SiteFileError, match="请用 --crs 指定坐标系") as caught:
        read_site_file(DATA / "metres_nocrs.geojson")
    assert "文件也没有说明坐标系" in str(caught.value)
    rows = read_site_file(DATA / "metres_nocrs.geojson", crs="EPSG:4549").rows
    assert [(r.lng, r.lat) for r in rows] == [(121.42, 31.12), (121.43, 31.13)]


@pytest.mark.parametrize("name", ["truncated_4549.shp", "metres_nocrs.geojson"])
def test_it_asks_once_for_a_crs_when_gcj02_is_given_for_metres(name):
    with pytest.raises(SiteFileError, match="请用 --crs 指定坐标系"):
        read_site_file(DATA / name, crs="gcj02")


def test_it_asks_once_for_a_crs_when_a_spreadsheet_of_metres_is_called_gcj02(tmp_path):
    path = tmp_path / "gk.csv"
    path.write_text("编号,x,y\nA,635452.44,3445146.40\nB,636392.11,3446267.54\n", encoding="utf-8")
    with pytest.raises(SiteFileError, match="请用 --crs 指定坐标系"):
        read_site_file(path, crs="gcj02")


def test_it_knows_the_names_gdal_cuts_field_names_to():
    assert "owner_unit" in dbf_names("owner_unit_code")
    assert "owner_un_1" in dbf_names("owner_unit_name")
    assert "资源持有单" in dbf_names("资源持有单位")  # 10 bytes of GBK
    assert dbf_names("name") == set()
    aliases = {"external_id": ("external_id", "编号"), "owner_unit_code": ("owner_unit_code",), "name": ("name",)}
    found = match_truncated(["external_i", "owner_unit", "name", "remark"], aliases, norm=str.lower)
    assert found == {"external_i": ["external_id"], "owner_unit": ["owner_unit_code"]}


def test_it_explains_a_missing_file_in_chinese(tmp_path):
    with pytest.raises(SiteFileError, match="找不到文件"):
        read_site_file(tmp_path / "nowhere.zip")
    with pytest.raises(SiteFileError, match="不是文件"):
        read_site_file(tmp_path, filename="x.csv")


def test_it_names_rows_one_way_per_kind_of_file():
    assert row_word("行", 2) == "第2行"
    assert row_word("要素", 2) == "第2个要素"
    assert read_site_file(DATA / "beijing.geojson").where(2) == "第2个要素"
    assert read_site_file(DATA / "lnglat_xy.csv").where(2) == "第2行"


def test_it_refuses_metres_declared_as_degrees_with_one_message():
    with pytest.raises(SiteFileError, match="指定的坐标系 EPSG:4326 是经纬度：请用 --crs 指定坐标系"):
        read_site_file(DATA / "swapped_4549.shp", crs="EPSG:4326")


def test_it_orients_shapefile_footprints_counter_clockwise():
    rows = read_site_file(DATA / "clockwise.shp").rows
    assert len(rows) == 2
    for row in rows:
        assert is_ccw_geojson(row.footprint)
        assert row.bbox[0] < row.lng < row.bbox[2]
    clockwise = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    assert not is_ccw_geojson(clockwise)
    assert is_ccw_geojson(ccw_geojson(clockwise))
    assert shapely.equals(shape(ccw_geojson(clockwise)), shape(clockwise))


def test_it_finds_points_outside_the_crs_area_of_use():
    swapped = read_site_file(DATA / "swapped_4549.shp")
    far = far_points(swapped)
    assert sorted(far) == [0, 1]
    assert "145.67°E 5.18°N" in far[0] and "适用范围" in far[0]
    wrong_crs = read_site_file(DATA / "lnglat_xy.csv", crs="EPSG:4549")
    assert sorted(far_points(wrong_crs)) == [0, 1, 2]
    assert far_points(read_site_file(DATA / "truncated_4549.shp"), town=_town()) == {}


def test_it_finds_points_far_from_the_town():
    beijing = read_site_file(DATA / "beijing.geojson")
    assert far_points(beijing) == {}  # WGS-84 is valid everywhere
    far = far_points(beijing, town=_town(), max_km=30)
    assert list(far) == [1]
    assert "116.40°E 39.91°N" in far[1] and "距镇界" in far[1]


def test_it_takes_only_gbk_bytes_for_mojibake():
    from geo.sitefiles.spatial import _latin1_chinese

    assert _latin1_chinese("东湾村".encode("gbk").decode("latin-1"))
    assert not _latin1_chinese("Café")
    assert not _latin1_chinese("东湾村")
