import math

import pytest

from geo.geofence import (
    ACCURACY_CREDIT_CAP_M,
    DEFAULT_GEOFENCE_M,
    POOR_ACCURACY_M,
    within_geofence,
)


def test_it_exposes_the_design_defaults() -> None:
    assert DEFAULT_GEOFENCE_M == 300
    assert POOR_ACCURACY_M == 100
    assert ACCURACY_CREDIT_CAP_M == 100


def test_it_counts_exactly_at_the_radius_as_inside() -> None:
    assert within_geofence(distance_m=300.0, radius_m=300.0, accuracy_m=0.0)
    assert not within_geofence(distance_m=300.01, radius_m=300.0, accuracy_m=0.0)


def test_it_credits_accuracy_when_the_circle_overlaps_the_fence() -> None:
    assert within_geofence(distance_m=350.0, radius_m=300.0, accuracy_m=50.0)
    assert not within_geofence(distance_m=350.01, radius_m=300.0, accuracy_m=50.0)


def test_it_caps_the_accuracy_credit_at_100_m() -> None:
    assert within_geofence(distance_m=400.0, radius_m=300.0, accuracy_m=100.0)
    assert within_geofence(distance_m=400.0, radius_m=300.0, accuracy_m=5000.0)
    assert not within_geofence(distance_m=400.01, radius_m=300.0, accuracy_m=5000.0)


@pytest.mark.parametrize("accuracy", [None, -20.0, math.nan])
def test_it_gives_no_credit_for_missing_or_bogus_accuracy(accuracy: float | None) -> None:
    assert within_geofence(distance_m=300.0, radius_m=300.0, accuracy_m=accuracy)
    assert not within_geofence(distance_m=301.0, radius_m=300.0, accuracy_m=accuracy)


def test_it_requires_keyword_arguments() -> None:
    with pytest.raises(TypeError):
        within_geofence(100.0, 300.0, 10.0)  # type: ignore[misc]
