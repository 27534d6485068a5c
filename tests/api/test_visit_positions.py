"""The one-statement read behind check-in and check-out (backend/visits/positions.py),
on whichever database the suite runs against: raw SQL must mean the same on both."""

import datetime as dt
import uuid

import pytest
import time_machine

from backend.visits.models import Visit
from backend.visits.positions import position_context
from geo.flags import point_key

from test_visits import MORNING, at_morning, checkin_body  # noqa: F401 (at_morning is a fixture)

pytestmark = pytest.mark.django_db


def visit(staff, enterprise, *, at, checkout_at=None, lat=31.2, lng=121.4, key="", out_key=""):
    return Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=enterprise,
        checkin_at=at, checkin_received_at=at, checkin_lat=lat, checkin_lng=lng, checkin_accuracy_m=8.0,
        distance_m=1, within_geofence=True, checkin_point_key=key,
        checkout_at=checkout_at, checkout_lat=lat + 0.001 if checkout_at else None,
        checkout_lng=lng if checkout_at else None, checkout_point_key=out_key,
    )


@pytest.fixture
def staff(users):
    return users["staff"]


def context(staff, enterprise, *, at=MORNING, key="no-such-key", **kwargs):
    return position_context(staff_id=staff.id, at=at, key=key, enterprise_id=enterprise.id, **kwargs)


def test_it_finds_the_nearest_reports_before_and_after_from_checkins_and_checkouts(staff, enterprise, users):
    hour = dt.timedelta(hours=1)
    visit(staff, enterprise, at=MORNING - 5 * hour, checkout_at=MORNING - 4 * hour)
    visit(staff, enterprise, at=MORNING - 3 * hour, checkout_at=MORNING - 2 * hour)
    visit(staff, enterprise, at=MORNING + 2 * hour, checkout_at=MORNING + 3 * hour)
    visit(staff, enterprise, at=MORNING + 4 * hour, checkout_at=MORNING + 5 * hour)
    visit(users["manager"], enterprise, at=MORNING - dt.timedelta(minutes=1))  # somebody else's

    found = context(staff, enterprise)
    assert found.previous.at == MORNING - 2 * hour  # a check-out
    assert found.previous.lat == pytest.approx(31.201)
    assert found.previous.accuracy_m is None  # check-outs here carry no accuracy
    assert found.next.at == MORNING + 2 * hour  # a check-in
    assert found.next.accuracy_m == 8.0
    assert found.previous.at.tzinfo is not None and found.next.at.tzinfo is not None
    assert found.replay_of is None and found.enterprise is None  # asked only with client_id

    visit(staff, enterprise, at=MORNING - 90 * dt.timedelta(minutes=1))
    assert context(staff, enterprise).previous.at == MORNING - 90 * dt.timedelta(minutes=1)  # a check-in

    visit(staff, enterprise, at=MORNING - dt.timedelta(minutes=10), checkout_at=MORNING + hour)
    assert context(staff, enterprise).next.at == MORNING + hour  # a check-out


def test_it_has_no_neighbours_for_a_first_visit(staff, enterprise):
    found = context(staff, enterprise)
    assert (found.previous, found.next, found.coordinates_seen_elsewhere) == (None, None, False)


def test_it_leaves_out_the_visit_being_checked_out(staff, enterprise):
    own = visit(staff, enterprise, at=MORNING - dt.timedelta(minutes=30), key="k")
    found = context(staff, enterprise, key="k", exclude_visit=own.id)
    assert found.previous is None
    assert found.coordinates_seen_elsewhere is False


def test_it_sees_coordinates_elsewhere_but_not_at_the_same_place_that_day(staff, enterprise, users):
    from apisupport import valid_uscc
    from backend.enterprises.services import enterprise_create

    other = enterprise_create(uscc=valid_uscc("913101150000001"), name="隔壁公司", lat=31.21, lng=121.41, industry="C")
    key = point_key(31.2, 121.4)
    visit(staff, enterprise, at=MORNING - dt.timedelta(hours=1), key=key)
    assert context(staff, enterprise, key=key).coordinates_seen_elsewhere is False  # same place, same day

    visit(users["manager"], other, at=MORNING - dt.timedelta(hours=2), out_key=key)  # as a check-out elsewhere
    assert context(staff, enterprise, key=key).coordinates_seen_elsewhere is True

    Visit.objects.filter(enterprise=other).delete()
    next_midnight = dt.datetime.combine(MORNING.date() + dt.timedelta(days=1), dt.time.min, tzinfo=MORNING.tzinfo)
    for same_day in (next_midnight - dt.timedelta(days=1), next_midnight - dt.timedelta(seconds=1)):
        edge = visit(staff, enterprise, at=same_day, key=key)  # same place, same (local) day
        assert context(staff, enterprise, key=key).coordinates_seen_elsewhere is False
        edge.delete()

    visit(staff, enterprise, at=next_midnight, key=key)  # same place, the next day
    assert context(staff, enterprise, key=key).coordinates_seen_elsewhere is True


def test_it_reports_a_replay_and_the_enterprise(staff, enterprise):
    earlier = visit(staff, enterprise, at=MORNING)
    found = context(staff, enterprise, client_id=earlier.client_id)
    assert found.replay_of == earlier.id
    assert found.enterprise == (enterprise.lat, enterprise.lng, enterprise.geofence_m, enterprise.name)

    assert context(staff, enterprise, client_id=uuid.uuid4()).replay_of is None


def test_it_answers_a_replay_even_after_the_capture_age_limit(client, users, enterprise):
    body = checkin_body(enterprise)
    with time_machine.travel(MORNING + dt.timedelta(minutes=5)):
        client.login_as("demo_staff")
        assert client.post_json("/api/visits/checkin", body).status_code == 201
    with time_machine.travel(MORNING + dt.timedelta(days=40)):
        client.login_as("demo_staff")  # sessions last 14 days
        again = client.post_json("/api/visits/checkin", body)
        assert again.status_code == 200, again.content
        fresh = client.post_json("/api/visits/checkin", body | {"client_id": str(uuid.uuid4())})
        assert fresh.status_code == 422
    assert Visit.objects.count() == 1


def test_it_refuses_an_enterprise_id_beyond_the_id_column(client, users, enterprise, at_morning):
    client.login_as("demo_staff")
    response = client.post_json("/api/visits/checkin", checkin_body(enterprise, enterprise_id=2**63))
    assert response.status_code == 422
    assert "enterprise_id" in response.json()["errors"]
