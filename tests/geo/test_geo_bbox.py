import dataclasses

import pytest
from pyproj import Geod

from geo.bbox import BBox
from geo.distance import distance_m

GEOD = Geod(ellps="WGS84")


def test_it_parses_a_bbox_query_parameter() -> None:
    assert BBox.parse("121.1, 31.0,121.9,31.5") == BBox(121.1, 31.0, 121.9, 31.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("121,31,122", "需要 4 个数"),
        ("121,31,122,32,5", "需要 4 个数"),
        ("", "需要 4 个数"),
        ("121,31,abc,32", "非数字"),
        ("121,31,,32", "非数字"),
        ("121,nan,122,32", "非数字"),
        ("121,31,inf,32", "非数字"),
        ("121,-91,122,32", "纬度必须在 -90 到 90 之间"),
        ("121,31,122,90.5", "纬度必须在 -90 到 90 之间"),
        ("-181,31,122,32", "经度必须在 -180 到 180 之间"),
        ("121,31,180.1,32", "经度必须在 -180 到 180 之间"),
        ("122,31,121,32", "最小经度"),
        ("121,32,122,31", "最小纬度"),
    ],
)
def test_it_rejects_bad_bbox_text_with_a_chinese_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BBox.parse(text)


def test_it_is_immutable() -> None:
    box = BBox(0, 0, 1, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        box.min_lat = 0.5  # type: ignore[misc]


def test_it_contains_points_inside_and_on_the_edge() -> None:
    box = BBox(121.0, 31.0, 122.0, 32.0)
    assert box.contains(31.5, 121.5)
    assert box.contains(31.0, 122.0)  # corner
    assert not box.contains(32.0001, 121.5)
    assert not box.contains(31.5, 120.9999)


def test_it_reports_its_center_as_lat_lng() -> None:
    assert BBox(120.0, 30.0, 122.0, 32.0).center() == (31.0, 121.0)


@pytest.mark.parametrize("lat", [0.0, 31.23, -45.0, 70.0])
@pytest.mark.parametrize("radius", [50.0, 300.0, 5_000.0, 100_000.0])
def test_it_builds_a_box_around_a_circle_that_contains_its_rim(lat: float, radius: float) -> None:
    lng = 121.47
    box = BBox.around(lat, lng, radius)
    # Every compass direction and the diagonals, at exactly the radius.
    azimuths = list(range(0, 360, 15))
    n = len(azimuths)
    lngs, lats, _ = GEOD.fwd([lng] * n, [lat] * n, azimuths, [radius] * n)
    for rim_lat, rim_lng in zip(lats, lngs, strict=True):
        assert distance_m(lat, lng, rim_lat, rim_lng) == pytest.approx(radius, rel=1e-9)
        assert box.contains(rim_lat, rim_lng)


def test_it_keeps_the_around_box_tight() -> None:
    # Overestimating is allowed for a prefilter, but not by much.
    lat, lng, radius = 31.23, 121.47, 1_000.0
    box = BBox.around(lat, lng, radius)
    north = distance_m(lat, lng, box.max_lat, lng)
    east = distance_m(lat, lng, lat, box.max_lng)
    assert radius <= north <= radius * 1.01
    assert radius <= east <= radius * 1.01


def test_it_expands_by_metres_on_every_side() -> None:
    box = BBox(121.0, 31.0, 121.1, 31.1)
    grown = box.expand_m(200.0)
    assert distance_m(box.min_lat, box.min_lng, grown.min_lat, box.min_lng) >= 200.0
    assert distance_m(box.max_lat, box.max_lng, grown.max_lat, box.max_lng) >= 200.0
    assert distance_m(box.max_lat, box.min_lng, box.max_lat, grown.min_lng) >= 200.0
    assert distance_m(box.max_lat, box.max_lng, box.max_lat, grown.max_lng) >= 200.0
    assert box.expand_m(0.0) == box


def test_it_rejects_negative_expansion() -> None:
    with pytest.raises(ValueError, match="非负数"):
        BBox(0, 0, 1, 1).expand_m(-1.0)


def test_it_clamps_at_the_poles_and_the_antimeridian() -> None:
    near_pole = BBox.around(89.99, 10.0, 5_000.0)
    assert near_pole.max_lat == 90.0
    assert (near_pole.min_lng, near_pole.max_lng) == (-180.0, 180.0)
    near_dateline = BBox.around(0.0, 179.99, 5_000.0)
    assert (near_dateline.min_lng, near_dateline.max_lng) == (-180.0, 180.0)


def test_it_bounds_a_geojson_point() -> None:
    geom = {"type": "Point", "coordinates": [121.47, 31.23]}
    assert BBox.of_geojson(geom) == BBox(121.47, 31.23, 121.47, 31.23)


def test_it_bounds_a_geojson_polygon() -> None:
    geom = {
        "type": "Polygon",
        "coordinates": [
            [[121.0, 31.0], [121.2, 31.05], [121.1, 31.3], [120.9, 31.1], [121.0, 31.0]],
        ],
    }
    assert BBox.of_geojson(geom) == BBox(120.9, 31.0, 121.2, 31.3)


def test_it_bounds_a_geojson_linestring() -> None:
    geom = {"type": "LineString", "coordinates": [[121.5, 31.2], [121.4, 31.4], [121.6, 31.3]]}
    assert BBox.of_geojson(geom) == BBox(121.4, 31.2, 121.6, 31.4)


def test_it_rejects_an_empty_geojson_geometry() -> None:
    with pytest.raises(ValueError, match="为空"):
        BBox.of_geojson({"type": "MultiPoint", "coordinates": []})
