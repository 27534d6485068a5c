import datetime as dt

import pytest

from geo.flags import Fix, checkin_flags, checkout_flags, leg_speed_kmh, point_key

TZ = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 17, 10, 0, tzinfo=TZ)


def flags_for(fix, **overrides):
    kwargs = dict(
        fix=fix,
        enterprise_lat=31.12,
        enterprise_lng=121.42,
        radius_m=300,
        received_at=fix.at + dt.timedelta(seconds=3),
        previous=None,
        coordinates_seen_elsewhere=False,
        is_workday=True,
        local_tz=TZ,
    ) | overrides
    return checkin_flags(**kwargs)[2]


def test_it_gives_no_flags_to_a_good_checkin():
    assert flags_for(Fix(31.1203, 121.42, 10, T0)) == []


def test_it_credits_accuracy_at_most_100_m():
    # 450 m away: 150 m beyond the fence, more than the 100 m credit even with 800 m accuracy.
    flags = flags_for(Fix(31.12 + 450 / 111_320, 121.42, 800, T0))
    assert {"outside_geofence", "poor_accuracy"} <= set(flags)


def test_it_measures_leg_speed_with_accuracy_benefit():
    a = Fix(31.12, 121.42, 50, T0)
    b = Fix(31.12 + 1000 / 111_320, 121.42, 50, T0 + dt.timedelta(seconds=36))
    assert leg_speed_kmh(a, b) == pytest.approx(90, rel=0.01)  # (1000 - 100) m in 36 s
    assert leg_speed_kmh(a, Fix(31.12, 121.42, 5, T0)) == 0.0


def test_it_flags_impossible_speed_against_the_next_point_too():
    later = Fix(31.5, 121.42, 10, T0 + dt.timedelta(minutes=5))  # synced earlier, captured later
    assert "impossible_speed" in flags_for(Fix(31.12, 121.42, 10, T0), next_=later)


@pytest.mark.parametrize(
    ("received_delta", "flag"),
    [(dt.timedelta(minutes=-6), "clock_skew"), (dt.timedelta(hours=25), "late_sync")],
)
def test_it_flags_time_disagreements(received_delta, flag):
    fix = Fix(31.12, 121.42, 10, T0)
    assert flag in flags_for(fix, received_at=T0 + received_delta)


def test_it_tolerates_four_minutes_of_clock_drift_and_a_day_offline():
    fix = Fix(31.12, 121.42, 10, T0)
    assert flags_for(fix, received_at=T0 - dt.timedelta(minutes=4)) == []
    assert flags_for(fix, received_at=T0 + dt.timedelta(hours=23)) == []


def test_it_flags_off_hours_and_holidays():
    assert "off_hours" in flags_for(Fix(31.12, 121.42, 10, T0.replace(hour=20)))
    assert "off_hours" in flags_for(Fix(31.12, 121.42, 10, T0), is_workday=False)


def test_it_flags_short_visits_at_checkout_only():
    fix = Fix(31.12, 121.42, 10, T0 + dt.timedelta(minutes=4))
    flags = checkout_flags(
        fix=fix, checkin_at=T0, received_at=fix.at, previous=None, next_=None,
        coordinates_seen_elsewhere=False, local_tz=TZ,
    )
    assert flags == ["short_visit"]


def test_it_keys_points_to_six_decimals():
    assert point_key(31.1234564, 121.4) == "31.123456,121.400000"


def test_it_splits_a_trail_into_legs_with_speeds():
    from geo.trail import legs

    points = [
        (31.12, 121.42, T0),
        (31.12 + 1000 / 111_320, 121.42, T0 + dt.timedelta(minutes=2)),
        (31.12 + 1000 / 111_320, 121.42, T0 + dt.timedelta(minutes=30)),
    ]
    result = legs(points)
    assert [leg.to_index for leg in result] == [1, 2]
    from geo.distance import distance_m

    metres = distance_m(*points[0][:2], *points[1][:2])
    assert result[0].distance_m == pytest.approx(metres, abs=0.1)
    assert result[0].speed_kmh == pytest.approx(metres / 120 * 3.6, abs=0.1)
    assert result[1].speed_kmh == 0.0
