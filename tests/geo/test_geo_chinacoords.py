import csv
from pathlib import Path

import pytest

from geo.chinacoords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from geo.distance import distance_m

DATA = Path(__file__).parent / "data" / "china-coords.csv"
TOL_DEG = 1e-6


def _rows() -> list[dict[str, float]]:
    with DATA.open(newline="") as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


ROWS = _rows()


def _ids(row: dict[str, float]) -> str:
    return f"{row['wgs84_lng']},{row['wgs84_lat']}"


@pytest.fixture(params=ROWS, ids=_ids)
def row(request: pytest.FixtureRequest) -> dict[str, float]:
    return request.param


def test_it_loads_all_reference_points() -> None:
    assert len(ROWS) == 13


def test_it_converts_wgs84_to_gcj02(row: dict[str, float]) -> None:
    lng, lat = wgs84_to_gcj02(row["wgs84_lng"], row["wgs84_lat"])
    assert lng == pytest.approx(row["gcj02_lng"], abs=TOL_DEG)
    assert lat == pytest.approx(row["gcj02_lat"], abs=TOL_DEG)


def test_it_converts_gcj02_to_bd09(row: dict[str, float]) -> None:
    lng, lat = gcj02_to_bd09(row["gcj02_lng"], row["gcj02_lat"])
    assert lng == pytest.approx(row["bd09_lng"], abs=TOL_DEG)
    assert lat == pytest.approx(row["bd09_lat"], abs=TOL_DEG)


def test_it_converts_wgs84_to_bd09(row: dict[str, float]) -> None:
    lng, lat = wgs84_to_bd09(row["wgs84_lng"], row["wgs84_lat"])
    assert lng == pytest.approx(row["bd09_lng"], abs=TOL_DEG)
    assert lat == pytest.approx(row["bd09_lat"], abs=TOL_DEG)


def test_it_inverts_gcj02_to_wgs84(row: dict[str, float]) -> None:
    lng, lat = gcj02_to_wgs84(row["gcj02_lng"], row["gcj02_lat"])
    assert lng == pytest.approx(row["wgs84_lng"], abs=TOL_DEG)
    assert lat == pytest.approx(row["wgs84_lat"], abs=TOL_DEG)


def test_it_inverts_bd09_to_gcj02(row: dict[str, float]) -> None:
    lng, lat = bd09_to_gcj02(row["bd09_lng"], row["bd09_lat"])
    assert lng == pytest.approx(row["gcj02_lng"], abs=TOL_DEG)
    assert lat == pytest.approx(row["gcj02_lat"], abs=TOL_DEG)


def test_it_inverts_bd09_to_wgs84(row: dict[str, float]) -> None:
    lng, lat = bd09_to_wgs84(row["bd09_lng"], row["bd09_lat"])
    assert lng == pytest.approx(row["wgs84_lng"], abs=TOL_DEG)
    assert lat == pytest.approx(row["wgs84_lat"], abs=TOL_DEG)


def test_it_round_trips_far_tighter_than_the_one_step_approximation(row: dict[str, float]) -> None:
    # The brief requires the iterative inverse: < 1e-7 deg on its own output.
    for forward, inverse in ((wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)):
        back = inverse(*forward(row["wgs84_lng"], row["wgs84_lat"]))
        assert back[0] == pytest.approx(row["wgs84_lng"], abs=1e-7)
        assert back[1] == pytest.approx(row["wgs84_lat"], abs=1e-7)


def test_it_shifts_shanghai_by_400_to_600_metres() -> None:
    shanghai = [r for r in ROWS if 120.5 < r["wgs84_lng"] < 122.5 and 30.5 < r["wgs84_lat"] < 32.0]
    assert len(shanghai) == 12
    for r in shanghai:
        gcj_lng, gcj_lat = wgs84_to_gcj02(r["wgs84_lng"], r["wgs84_lat"])
        shift = distance_m(r["wgs84_lat"], r["wgs84_lng"], gcj_lat, gcj_lng)
        assert 400 <= shift <= 600, shift


@pytest.mark.parametrize(
    ("lng", "lat", "expected"),
    [
        (121.47, 31.23, False),  # Shanghai
        (116.40, 39.90, False),  # Beijing
        (-0.1276, 51.5072, True),  # London
        (139.69, 53.60, True),  # north of the rectangle
        (151.21, -33.87, True),  # Sydney
    ],
)
def test_it_detects_out_of_china(lng: float, lat: float, expected: bool) -> None:
    assert out_of_china(lng, lat) is expected


def test_it_leaves_points_outside_china_unshifted() -> None:
    london = (-0.1276, 51.5072)
    assert wgs84_to_gcj02(*london) == london
    assert gcj02_to_wgs84(*london) == london


def test_it_dispatches_to_wgs84_by_crs_name() -> None:
    r = ROWS[1]
    assert to_wgs84(r["wgs84_lng"], r["wgs84_lat"], crs="wgs84") == (r["wgs84_lng"], r["wgs84_lat"])
    for crs, prefix in (("gcj02", "gcj02"), ("bd09", "bd09")):
        lng, lat = to_wgs84(r[f"{prefix}_lng"], r[f"{prefix}_lat"], crs=crs)
        assert lng == pytest.approx(r["wgs84_lng"], abs=TOL_DEG)
        assert lat == pytest.approx(r["wgs84_lat"], abs=TOL_DEG)


@pytest.mark.parametrize("crs", ["WGS84", "epsg:4326", "", "bd-09"])
def test_it_rejects_unknown_crs_names(crs: str) -> None:
    with pytest.raises(ValueError, match="unknown crs"):
        to_wgs84(121.47, 31.23, crs=crs)
