import math

import numpy as np
import pytest

from geo.distance import distance_m, distances_m, path_length_m, speed_kmh

PEOPLES_SQUARE = (31.2304, 121.4737)  # (lat, lng)
HONGQIAO_STATION = (31.1945, 121.3205)


def _haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    # Independent of pyproj: a sphere of the IUGG mean radius.
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def test_it_measures_one_degree_of_latitude_at_the_equator() -> None:
    assert distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(110574.4, abs=0.1)


def test_it_measures_one_degree_of_longitude_at_the_equator() -> None:
    # 2πa/360 on the WGS-84 equator.
    assert distance_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(111319.49, abs=0.01)


def test_it_agrees_with_haversine_across_shanghai() -> None:
    geodesic = distance_m(*PEOPLES_SQUARE, *HONGQIAO_STATION)
    sphere = _haversine_m(*PEOPLES_SQUARE, *HONGQIAO_STATION)
    assert 14_000 < geodesic < 16_000
    assert geodesic == pytest.approx(sphere, rel=0.005)


def test_it_is_zero_for_the_same_point_and_symmetric() -> None:
    assert distance_m(*PEOPLES_SQUARE, *PEOPLES_SQUARE) == 0.0
    assert distance_m(*PEOPLES_SQUARE, *HONGQIAO_STATION) == pytest.approx(
        distance_m(*HONGQIAO_STATION, *PEOPLES_SQUARE), abs=1e-6
    )


def test_it_vectorises_to_the_same_values_as_the_scalar_version() -> None:
    rng = np.random.default_rng(7)
    lats = 31.0 + rng.random(500) * 0.5
    lngs = 121.0 + rng.random(500) * 0.5
    many = distances_m(*PEOPLES_SQUARE, lats, lngs)
    assert many.shape == (500,)
    expected = [distance_m(*PEOPLES_SQUARE, la, ln) for la, ln in zip(lats, lngs, strict=True)]
    np.testing.assert_allclose(many, expected, rtol=0, atol=1e-6)


def test_it_vectorises_plain_lists_and_sorts_by_distance() -> None:
    lats = [HONGQIAO_STATION[0], PEOPLES_SQUARE[0], 31.2397]
    lngs = [HONGQIAO_STATION[1], PEOPLES_SQUARE[1], 121.4998]  # last: the Bund-ish
    order = np.argsort(distances_m(*PEOPLES_SQUARE, lats, lngs))
    assert order.tolist() == [1, 2, 0]


def test_it_rejects_mismatched_vector_shapes() -> None:
    with pytest.raises(ValueError):
        distances_m(0.0, 0.0, [1.0, 2.0], [1.0])


def test_it_sums_path_legs() -> None:
    pts = [PEOPLES_SQUARE, HONGQIAO_STATION, (31.25, 121.40), PEOPLES_SQUARE]
    legs = sum(distance_m(*a, *b) for a, b in zip(pts, pts[1:]))
    assert path_length_m(pts) == pytest.approx(legs, abs=1e-6)


@pytest.mark.parametrize("pts", [[], [PEOPLES_SQUARE]])
def test_it_gives_zero_length_for_fewer_than_two_points(pts: list[tuple[float, float]]) -> None:
    assert path_length_m(pts) == 0.0


def test_it_computes_speed_in_kmh() -> None:
    assert speed_kmh(1000.0, 3600.0) == pytest.approx(1.0)
    assert speed_kmh(100.0, 10.0) == pytest.approx(36.0)


@pytest.mark.parametrize("seconds", [0.0, -5.0])
def test_it_reports_infinite_speed_for_movement_in_no_time(seconds: float) -> None:
    assert speed_kmh(50.0, seconds) == math.inf


@pytest.mark.parametrize("seconds", [0.0, -5.0, 60.0])
def test_it_reports_zero_speed_when_not_moving(seconds: float) -> None:
    assert speed_kmh(0.0, seconds) == 0.0


def test_it_measures_pairwise_distances_like_the_scalar_function():
    from geo.distance import distance_m, pairwise_distances_m

    a = [(31.12, 121.42), (31.0, 121.0), (30.5, 122.1)]
    b = [(31.121, 121.421), (31.0, 121.0), (31.9, 120.9)]
    got = pairwise_distances_m([p[0] for p in a], [p[1] for p in a], [p[0] for p in b], [p[1] for p in b])
    want = [distance_m(*p, *q) for p, q in zip(a, b)]
    assert list(got) == pytest.approx(want, abs=1e-6)
