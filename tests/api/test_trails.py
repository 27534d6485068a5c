import datetime as dt
import math
import uuid

import pytest

from backend.accounts.models import OrgUnit, User
from backend.visits.models import LocationAccess, Visit

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 17)

# WGS-84, for hand computation independent of pyproj.
A, E2 = 6378137.0, 0.00669437999014


def meridian_arc_m(lat1, lat2):
    phi = math.radians((lat1 + lat2) / 2)
    m = A * (1 - E2) / (1 - E2 * math.sin(phi) ** 2) ** 1.5
    return m * math.radians(abs(lat2 - lat1))


def parallel_arc_m(lat, lng1, lng2):
    phi = math.radians(lat)
    n = A / math.sqrt(1 - E2 * math.sin(phi) ** 2)
    return n * math.cos(phi) * math.radians(abs(lng2 - lng1))


def at(h, m):
    return dt.datetime.combine(DAY, dt.time(h, m), TZ)


def visit(staff, enterprise, cin, cout, lat_in, lng_in, lat_out, lng_out, flags=()):
    return Visit.objects.create(
        client_id=uuid.uuid4(), staff=staff, enterprise=enterprise,
        checkin_at=cin, checkin_received_at=cin, checkin_lat=lat_in, checkin_lng=lng_in, checkin_accuracy_m=10,
        distance_m=5, within_geofence=True, flags=list(flags),
        checkout_client_id=uuid.uuid4(), checkout_at=cout, checkout_received_at=cout,
        checkout_lat=lat_out, checkout_lng=lng_out, checkout_flags=[],
    )


@pytest.fixture
def day_of_visits(users, enterprise):
    staff = users["staff"]
    # Created out of order on purpose: the trail must sort by time.
    v2 = visit(staff, enterprise, at(13, 0), at(13, 40), 31.13, 121.42, 31.13, 121.43, flags=["outside_geofence"])
    v1 = visit(staff, enterprise, at(9, 0), at(9, 45), 31.12, 121.42, 31.12, 121.42)
    visit(staff, enterprise, at(9, 0) - dt.timedelta(days=1), at(10, 0) - dt.timedelta(days=1), 30.0, 120.0, 30.0, 120.0)
    return v1, v2


def test_it_lists_the_days_points_in_time_order_with_geodesic_distance(client, users, day_of_visits):
    client.login_as("demo_staff")
    trail = client.get("/api/trails", {"staff_id": users["staff"].id, "date": DAY.isoformat()}).json()
    v1, v2 = day_of_visits
    assert [(p["visit_id"], p["kind"]) for p in trail["points"]] == [(v1.id, "in"), (v1.id, "out"), (v2.id, "in"), (v2.id, "out")]
    expected_m = meridian_arc_m(31.12, 31.13) + parallel_arc_m(31.13, 121.42, 121.43)
    assert trail["distance_km"] * 1000 == pytest.approx(expected_m, abs=1.0)
    assert trail["legs"][1]["distance_m"] == pytest.approx(meridian_arc_m(31.12, 31.13), abs=0.5)
    assert trail["legs"][1]["speed_kmh"] == pytest.approx(meridian_arc_m(31.12, 31.13) / (3 * 3600 + 15 * 60) * 3.6, abs=0.1)
    assert trail["points"][2]["flags"] == [{"flag": "outside_geofence", "status": "pending"}]


def test_it_keeps_other_units_and_other_staff_out(client, users, day_of_visits):
    other = OrgUnit.objects.create(code="T9", name="别组", kind="team")
    User.objects.create_user(username="other_manager", password="pw-12345678", role="manager", org_unit=other)
    colleague = User.objects.create_user(username="colleague", password="pw-12345678", role="staff", org_unit=users["staff"].org_unit)
    params = {"staff_id": users["staff"].id, "date": DAY.isoformat()}
    client.login_as("other_manager", "pw-12345678")
    assert client.get("/api/trails", params).status_code == 404
    client.post_json("/api/auth/logout")
    client.login_as("colleague", "pw-12345678")
    assert client.get("/api/trails", params).status_code == 404
    assert client.get("/api/trails", {**params, "staff_id": colleague.id}).status_code == 200
    client.post_json("/api/auth/logout")
    client.login_as("demo_enterprise")
    assert client.get("/api/trails", params).status_code == 403


def test_it_logs_every_manager_read_and_shows_the_staff_member(client, users, day_of_visits):
    client.login_as("demo_manager")
    params = {"staff_id": users["staff"].id, "date": DAY.isoformat()}
    for _ in range(3):
        assert client.get("/api/trails", params).status_code == 200
    assert LocationAccess.objects.filter(subject=users["staff"], what="trail").count() == 3
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    client.get("/api/trails", params)  # reading one's own trail is not logged
    log = client.get("/api/visits/access-log").json()
    assert log["count"] == 3
    assert {row["viewer_name"] for row in log["items"]} == {"demo_manager"}
    assert log["items"][0]["what_label"] == "查看轨迹"


def test_it_logs_a_managers_read_of_a_visit_and_of_a_list(client, users, day_of_visits):
    client.login_as("demo_manager")
    client.get(f"/api/visits/{day_of_visits[0].id}")
    client.get("/api/visits")
    assert list(LocationAccess.objects.values_list("what", flat=True).order_by("id")) == ["visit", "visit_list"]


def test_it_lets_a_manager_review_a_flag_and_the_staff_explain(client, users, day_of_visits):
    _, flagged = day_of_visits
    client.login_as("demo_manager")
    url = f"/api/visits/{flagged.id}/flags/outside_geofence"
    response = client.post_json(url + "/review", {"status": "rejected", "comment": "请说明原因"})
    assert response.status_code == 200
    assert client.post_json(f"/api/visits/{flagged.id}/flags/poor_accuracy/review", {"status": "accepted"}).status_code == 422
    assert client.post_json(url + "/review", {"status": "approved"}).status_code == 422
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    assert client.post_json(url + "/review", {"status": "accepted"}).status_code == 403
    assert client.post_json(url + "/explain", {"explanation": "企业新厂区在马路对面"}).status_code == 200
    review = client.get(f"/api/visits/{flagged.id}").json()["flag_reviews"][0]
    assert (review["status"], review["comment"], review["explanation"]) == ("rejected", "请说明原因", "企业新厂区在马路对面")
    trail = client.get("/api/trails", {"staff_id": users["staff"].id, "date": DAY.isoformat()}).json()
    assert trail["points"][2]["flags"] == [{"flag": "outside_geofence", "status": "rejected"}]
