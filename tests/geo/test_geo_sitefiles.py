"""geo.sitefiles: every sample file, whatever its format and CRS, reads to the true positions."""

import csv
import importlib.util
from pathlib import Path

import pytest

from geo.chinacoords import wgs84_to_gcj02
from geo.distance import distance_m
from geo.sitefiles import SiteFileError, as_date, read_site_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "fixtures" / "sample_sites"
# (file, crs=, column holding the external id, CRS the reader reports)
CASES = [
    ("sites_wgs84.geojson", None, "external_id", "EPSG:4326"),
    ("sites_cgcs2000_gk120.zip", None, "ext_id", "EPSG:4549"),
    ("sites_utm51n.gpkg", None, "external_id", "EPSG:32651"),
    ("sites_gcj02.csv", "gcj02", "编号", "GCJ-02"),
    ("sites_bd09.xlsx", "bd09", "编号", "BD-09"),
    ("sites_bd09.xlsx", None, "编号", "BD-09"),  # its "经度(百度)" header says so
]


def _truth() -> dict[str, tuple[float, float]]:
    with (SAMPLES / "truth.csv").open(encoding="utf-8") as fh:
        return {r["external_id"]: (float(r["lat"]), float(r["lng"])) for r in csv.DictReader(fh)}


@pytest.mark.parametrize(("name", "crs", "id_column", "reported"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_it_reads_each_sample_within_a_metre_of_the_truth(name, crs, id_column, reported):
    result = read_site_file(SAMPLES / name, crs=crs)
    assert result.problems == []
    assert result.source_crs.startswith(reported)
    truth = _truth()
    assert {r.properties[id_column] for r in result.rows} == set(truth)
    for row in result.rows:
        lat, lng = truth[row.properties[id_column]]
        assert distance_m(lat, lng, row.lat, row.lng) < 1.0


def test_it_reads_gcj02_data_as_wgs84_only_when_told():
    # Without crs="gcj02" the same CSV lands ~480 m off: the reason the option exists.
    truth = _truth()
    row = read_site_file(SAMPLES / "sites_gcj02.csv").rows[0]
    lat, lng = truth[row.properties["编号"]]
    assert 300 < distance_m(lat, lng, row.lat, row.lng) < 700


def test_it_numbers_spreadsheet_rows_as_the_spreadsheet_does():
    result = read_site_file(SAMPLES / "sites_broken.csv")
    assert [(p.row, p.field, p.message) for p in result.problems] == [(4, "纬度", "缺少坐标")]
    assert [r.row for r in result.rows] == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]


def test_it_gives_polygons_a_point_inside_and_a_bbox_around():
    rows = [r for r in read_site_file(SAMPLES / "sites_wgs84.geojson").rows if r.footprint]
    assert len(rows) == 2
    for row in rows:
        min_lng, min_lat, max_lng, max_lat = row.bbox
        assert min_lng < row.lng < max_lng and min_lat < row.lat < max_lat
        assert row.footprint["type"] == "Polygon"


def test_it_reports_coordinates_out_of_range_with_a_hint(tmp_path):
    path = tmp_path / "swapped.csv"
    path.write_text("编号,经度,纬度\nA,31.12,121.42\nB,121.42,31.12\nC,abc,31.1\n", encoding="utf-8")
    result = read_site_file(path)
    assert [(p.row, p.field) for p in result.problems] == [(2, "纬度"), (4, "经度")]
    assert "经纬度是否填反" in result.problems[0].message
    assert [r.row for r in result.rows] == [3]


def test_it_refuses_projected_numbers_in_a_spreadsheet_without_a_crs(tmp_path):
    path = tmp_path / "gk.csv"
    path.write_text("编号,x,y\nA,540000.0,3443000.0\n", encoding="utf-8")
    with pytest.raises(SiteFileError, match="投影坐标"):
        read_site_file(path)
    row = read_site_file(path, crs="EPSG:4549").rows[0]
    assert 120 < row.lng < 121 and 31 < row.lat < 32  # 80 km west of the 120°E meridian's false easting


def test_it_reads_a_gbk_csv_from_chinese_excel(tmp_path):
    lng, lat = wgs84_to_gcj02(121.42, 31.12)
    path = tmp_path / "gbk.csv"
    path.write_bytes(f"编号,名称,经度,纬度\nA,东湾村厂房,{lng:.7f},{lat:.7f}\n".encode("gb18030"))
    row = read_site_file(path, crs="gcj02").rows[0]
    assert row.properties["名称"] == "东湾村厂房"
    assert distance_m(31.12, 121.42, row.lat, row.lng) < 0.01


@pytest.mark.parametrize(
    ("name", "crs", "message"),
    [
        ("sites.xls", None, "另存为 .xlsx"),
        ("sites.kml", None, "不支持的文件类型"),
        ("sites_wgs84.geojson", "mars", "无法识别的坐标系"),
    ],
)
def test_it_explains_files_it_cannot_read(tmp_path, name, crs, message):
    path = SAMPLES / name if (SAMPLES / name).exists() else tmp_path / name
    if not path.exists():
        path.write_bytes(b"x")
    with pytest.raises(SiteFileError, match=message):
        read_site_file(path, crs=crs)


def test_it_reads_dates_the_way_people_write_them():
    assert str(as_date("2026/7/3")) == "2026-07-03"
    assert str(as_date("2026年7月3日")) == "2026-07-03"
    with pytest.raises(ValueError):
        as_date("七月三日")


def test_it_regenerates_byte_identical_sample_files(tmp_path):
    # In this process (geopandas is loaded already): a subprocess would double the time.
    spec = importlib.util.spec_from_file_location("make_sample_sites", ROOT / "fixtures" / "make_sample_sites.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path)
    for path in sorted(SAMPLES.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
