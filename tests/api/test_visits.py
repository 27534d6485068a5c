import datetime as dt
import math
import uuid
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import time_machine
from django.db import connection

from backend.visits.models import Visit

pytestmark = pytest.mark.django_db

# A Tuesday morning in Shanghai: a working day, inside working hours.
MORNING = dt.datetime(2026, 11, 17, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def offset(lat, lng, *, north_m=0.0, east_m=0.0):
    return lat + north_m / 111_320, lng + east_m / (111_320 * math.cos(math.radians(lat)))


def checkin_body(enterprise, *, at=MORNING, north_m=50, accuracy_m=12.0, **overrides):
    lat, lng = offset(enterprise.lat, enterprise.lng, north_m=north_m)
    return {
        "client_id": str(uuid.uuid4()),
        "enterprise_id": enterprise.id,
        "lat": round(lat, 7),
        "lng": round(lng, 7),
        "accuracy_m": accuracy_m,
        "speed": None,
        "heading": None,
        "captured_at": at.isoformat(),
        "queued": False,
    } | overrides


def checkout_body(enterprise, *, at=MORNING + dt.timedelta(minutes=40), **overrides):
    lat, lng = offset(enterprise.lat, enterprise.lng, north_m=30)
    return {
        "client_id": str(uuid.uuid4()),
        "lat": lat,
        "lng": lng,
        "accuracy_m": 10,
        "captured_at": at.isoformat(),
        "purpose": "demand_collection",
        "people_met": "李总",
        "summary": "了解企业扩产用工需求",
        "demands": [{"category": "labour", "text": "需要招聘20名熟练工"}],
    } | overrides


@pytest.fixture
def at_morning():
    # "Now" is after the test visits' check-outs, as when a phone syncs them.
    with time_machine.travel(MORNING + dt.timedelta(minutes=45), tick=True):
        yield


@pytest.fixture
def staff_client(client, users, at_morning):
    client.login_as("demo_staff")
    return client


def test_it_checks_in_near_the_enterprise_without_flags(staff_client, enterprise):
    response = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise))
    assert response.status_code == 201, response.content
    body = response.json()
    assert abs(body["distance_m"] - 50) < 1
    assert body["within_geofence"] is True
    assert body["flags"] == []
    visit = Visit.objects.get(id=body["id"])
    assert visit.checkin_ip == "127.0.0.1"


def test_it_answers_a_replay_with_the_same_visit(staff_client, enterprise):
    body = checkin_body(enterprise)
    first = staff_client.post_json("/api/visits/checkin", body)
    again = staff_client.post_json("/api/visits/checkin", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Visit.objects.count() == 1


def test_it_treats_a_retry_marked_queued_as_the_same_checkin(staff_client, enterprise):
    body = checkin_body(enterprise)
    first = staff_client.post_json("/api/visits/checkin", body)
    again = staff_client.post_json("/api/visits/checkin", body | {"queued": True})
    assert (first.status_code, again.status_code) == (201, 200)


def test_it_refuses_the_same_client_id_with_another_body(staff_client, enterprise):
    body = checkin_body(enterprise)
    staff_client.post_json("/api/visits/checkin", body)
    response = staff_client.post_json("/api/visits/checkin", body | {"lat": body["lat"] + 0.001})
    assert response.status_code == 409
    assert response.json()["errors"]["client_id"]
    assert Visit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_row_for_fifty_concurrent_identical_checkins(users, enterprise, at_morning):
    from apisupport import new_logged_in_client

    body = checkin_body(enterprise)
    n = 50
    barrier = Barrier(n)
    # Logged in one by one: the login limiter lets only five password checks
    # for one account from one address be under way at once (they count as
    # failures until they are known not to be).
    clients = [new_logged_in_client("demo_staff") for _ in range(n)]

    def send(i):
        client = clients[i]
        try:
            barrier.wait(timeout=30)
            response = client.post_json("/api/visits/checkin", body)
            return response.status_code, response.json().get("id")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(send, range(n)))
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(200) == n - 1, statuses
    assert len({visit_id for _, visit_id in results}) == 1
    assert Visit.objects.filter(client_id=body["client_id"]).count() == 1


def test_it_flags_a_checkin_two_km_away(staff_client, enterprise):
    response = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise, north_m=2000))
    assert response.status_code == 201
    assert response.json()["within_geofence"] is False
    assert "outside_geofence" in response.json()["flags"]


def test_it_uses_the_enterprise_radius_and_the_accuracy(staff_client, enterprise):
    enterprise.geofence_m = 800
    enterprise.save()
    assert staff_client.post_json("/api/visits/checkin", checkin_body(enterprise, north_m=700)).json()["flags"] == []
    # 380 m with 100 m accuracy may still be at a 300 m fence: benefit of the doubt.
    enterprise.geofence_m = None
    enterprise.save()
    body = checkin_body(enterprise, north_m=380, accuracy_m=100, at=MORNING + dt.timedelta(minutes=1))
    assert staff_client.post_json("/api/visits/checkin", body).json()["within_geofence"] is True


def test_it_flags_poor_accuracy(staff_client, enterprise):
    response = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise, accuracy_m=500))
    assert response.status_code == 201
    assert "poor_accuracy" in response.json()["flags"]


def test_it_flags_impossible_speed_from_the_previous_point(staff_client, enterprise, users):
    from backend.enterprises.services import enterprise_create
    from apisupport import valid_uscc

    far = enterprise_create(uscc=valid_uscc("913101150000000"), name="远方公司", lat=31.9, lng=121.42, industry="C")
    staff_client.post_json("/api/visits/checkin", checkin_body(enterprise))
    # ~87 km in 10 minutes.
    response = staff_client.post_json("/api/visits/checkin", checkin_body(far, at=MORNING + dt.timedelta(minutes=10)))
    assert "impossible_speed" in response.json()["flags"]


def test_it_flags_coordinates_repeated_on_another_day(staff_client, enterprise):
    body = checkin_body(enterprise, at=MORNING - dt.timedelta(days=1))
    staff_client.post_json("/api/visits/checkin", body)
    again = checkin_body(enterprise, at=MORNING) | {"lat": body["lat"], "lng": body["lng"]}
    assert "repeated_coordinates" in staff_client.post_json("/api/visits/checkin", again).json()["flags"]


def test_it_flags_a_device_clock_ahead_of_the_server(staff_client, enterprise):
    body = checkin_body(enterprise, at=MORNING + dt.timedelta(minutes=60))
    assert "clock_skew" in staff_client.post_json("/api/visits/checkin", body).json()["flags"]


def test_it_flags_late_sync(staff_client, enterprise):
    body = checkin_body(enterprise, at=MORNING - dt.timedelta(days=2), queued=True)
    assert "late_sync" in staff_client.post_json("/api/visits/checkin", body).json()["flags"]


def test_it_flags_off_hours_and_non_working_days(staff_client, enterprise):
    night = checkin_body(enterprise, at=MORNING.replace(hour=6))
    assert "off_hours" in staff_client.post_json("/api/visits/checkin", night).json()["flags"]
    sunday = checkin_body(enterprise, at=MORNING - dt.timedelta(days=2), north_m=20)
    assert "off_hours" in staff_client.post_json("/api/visits/checkin", sunday).json()["flags"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"lat": 91}, "lat"),
        ({"lng": -181}, "lng"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"captured_at": "2026-11-17T09:30:00"}, "captured_at"),
        ({"enterprise_id": 999999}, "enterprise_id"),
        ({"staff_id": 1}, "staff_id"),
    ],
)
def test_it_answers_422_with_the_field_for_bad_input(staff_client, enterprise, override, field):
    response = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise) | override)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Visit.objects.count() == 0


def test_it_keeps_enterprise_users_from_checking_in(client, users, enterprise, at_morning):
    client.login_as("demo_enterprise")
    assert client.post_json("/api/visits/checkin", checkin_body(enterprise)).status_code == 403


def test_it_checks_out_with_demands_and_duration(staff_client, enterprise):
    visit_id = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise)).json()["id"]
    response = staff_client.post_json(f"/api/visits/{visit_id}/checkout", checkout_body(enterprise))
    assert response.status_code == 200, response.content
    assert response.json()["duration_s"] == 40 * 60
    assert response.json()["flags"] == []
    assert "/#/rate/" in response.json()["rating_url"]
    visit = staff_client.get(f"/api/visits/{visit_id}").json()
    assert visit["purpose"] == "demand_collection"
    assert visit["demands"][0]["text"] == "需要招聘20名熟练工"


def test_it_checks_out_by_the_checkin_client_id_and_replays(staff_client, enterprise):
    checkin = checkin_body(enterprise)
    staff_client.post_json("/api/visits/checkin", checkin)
    body = checkout_body(enterprise)
    first = staff_client.post_json(f"/api/visits/{checkin['client_id']}/checkout", body)
    again = staff_client.post_json(f"/api/visits/{checkin['client_id']}/checkout", body)
    assert (first.status_code, again.status_code) == (200, 200)
    other = staff_client.post_json(f"/api/visits/{checkin['client_id']}/checkout", checkout_body(enterprise))
    assert other.status_code == 409
    assert Visit.objects.get().demands.count() == 1


def test_it_flags_a_short_visit(staff_client, enterprise):
    visit_id = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise)).json()["id"]
    body = checkout_body(enterprise, at=MORNING + dt.timedelta(minutes=2))
    assert "short_visit" in staff_client.post_json(f"/api/visits/{visit_id}/checkout", body).json()["flags"]


def test_it_tells_the_phone_the_short_visit_threshold_it_flags_by(staff_client, client, enterprise):
    # The check-out sheet warns from this figure: it must be the one the flag uses.
    threshold = client.get("/api/config").json()["visits"]["short_visit_s"]
    assert threshold == 300
    for seconds, flagged in ((threshold - 1, True), (threshold, False)):
        visit_id = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise)).json()["id"]
        body = checkout_body(enterprise, at=MORNING + dt.timedelta(seconds=seconds))
        assert ("short_visit" in staff_client.post_json(f"/api/visits/{visit_id}/checkout", body).json()["flags"]) is flagged
        Visit.objects.all().delete()


def test_it_refuses_a_checkout_before_the_checkin(staff_client, enterprise):
    visit_id = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise)).json()["id"]
    body = checkout_body(enterprise, at=MORNING - dt.timedelta(minutes=5))
    response = staff_client.post_json(f"/api/visits/{visit_id}/checkout", body)
    assert response.status_code == 422
    assert response.json()["errors"]["captured_at"] == "签退时间早于签到时间"


def test_it_shows_staff_only_their_own_visits(staff_client, client, enterprise, users):
    visit_id = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise)).json()["id"]
    assert staff_client.get("/api/visits").json()["count"] == 1
    staff_client.post_json("/api/auth/logout")

    from backend.accounts.models import OrgUnit, User

    other_team = OrgUnit.objects.create(code="T9", name="别组", kind="team")
    User.objects.create_user(username="other_staff", password="pw-12345678", role="staff", org_unit=other_team)
    User.objects.create_user(username="other_manager", password="pw-12345678", role="manager", org_unit=other_team)
    for outsider in ("other_staff", "other_manager"):
        client.login_as(outsider, "pw-12345678")
        assert client.get(f"/api/visits/{visit_id}").status_code == 404
        assert client.get("/api/visits").json()["count"] == 0
        client.post_json("/api/auth/logout")
    client.login_as("demo_manager")  # same team as demo_staff
    assert client.get(f"/api/visits/{visit_id}").status_code == 200


def _checked_out(staff_client, enterprise) -> tuple[int, str]:
    visit_id = staff_client.post_json("/api/visits/checkin", checkin_body(enterprise)).json()["id"]
    rating_url = staff_client.post_json(f"/api/visits/{visit_id}/checkout", checkout_body(enterprise)).json()["rating_url"]
    return visit_id, rating_url.rsplit("/", 1)[1]


def _team_rating(users) -> float | None:
    from apisupport import new_logged_in_client

    manager = new_logged_in_client("demo_manager")
    day = MORNING.date().isoformat()
    report = manager.get("/api/reports/team", {"date_from": day, "date_to": day}).json()
    return next(row["avg_rating"] for row in report["rows"] if row["staff_id"] == users["staff"].id)


def test_it_counts_the_rating_of_the_enterprises_own_user_once(staff_client, users, enterprise):
    visit_id, token = _checked_out(staff_client, enterprise)
    qr = staff_client.get(f"/api/visits/{visit_id}/rating-qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"

    from apisupport import new_logged_in_client

    enterprise_phone = new_logged_in_client("demo_enterprise")
    page = enterprise_phone.get(f"/api/ratings/{token}").json()
    assert page["rated"] is False and page["enterprise_name"] == enterprise.name
    assert (page["standing"], page["refusal"]) == ("verified", None)
    first = enterprise_phone.post_json(f"/api/ratings/{token}", {"stars": 5, "comment": "服务很好"})
    assert first.status_code == 201 and first.json()["rated"] is True
    second = enterprise_phone.post_json(f"/api/ratings/{token}", {"stars": 1})
    assert second.status_code == 409
    visit = staff_client.get(f"/api/visits/{visit_id}").json()
    assert (visit["rating"], visit["rating_comment"]) == (5, "服务很好")
    assert Visit.objects.get(id=visit_id).rated_by == users["enterprise"]
    assert _team_rating(users) == 5
    assert enterprise_phone.post_json("/api/ratings/nonsense", {"stars": 3}).status_code == 404
    assert enterprise_phone.post_json(f"/api/ratings/{token}", {"stars": 6}).status_code == 422


def test_it_refuses_a_rating_from_the_officials_own_session_and_phone(staff_client, users, enterprise):
    from apisupport import new_logged_in_client

    visit_id, token = _checked_out(staff_client, enterprise)
    page = staff_client.get(f"/api/ratings/{token}").json()
    assert page["standing"] == "refused" and "企业人员用自己的手机" in page["refusal"]
    response = staff_client.post_json(f"/api/ratings/{token}", {"stars": 5})
    assert response.status_code == 403 and response.json()["code"] == "rating_refused"
    # Logged out, the phone still remembers whose it is (the login limiter's device cookie).
    staff_client.post_json("/api/auth/logout")
    assert staff_client.post_json(f"/api/ratings/{token}", {"stars": 5}).status_code == 403
    # Nor a colleague, nor a manager, nor another enterprise's user.
    for username in ("demo_manager", "demo_owner", "demo_admin"):
        assert new_logged_in_client(username).post_json(f"/api/ratings/{token}", {"stars": 5}).status_code == 403
    from apisupport import PASSWORD, valid_uscc
    from backend.accounts.models import User
    from backend.enterprises.services import enterprise_create

    other = enterprise_create(uscc=valid_uscc("91310112QTHER00"), name="别家企业", lat=31.13, lng=121.43, industry="F")
    from apisupport import make_user

    make_user("other_ent", "enterprise", enterprise=other)
    response = new_logged_in_client("other_ent").post_json(f"/api/ratings/{token}", {"stars": 5})
    assert response.status_code == 403 and "不属于" in response.json()["detail"]
    visit = Visit.objects.get(id=visit_id)
    assert visit.rating is None and visit.unverified_rating is None


def test_it_keeps_a_rating_sent_without_logging_in_out_of_the_averages(staff_client, client, users, enterprise):
    from apisupport import ApiClient, new_logged_in_client

    visit_id, token = _checked_out(staff_client, enterprise)
    stranger = ApiClient()
    assert stranger.get(f"/api/ratings/{token}").json()["standing"] == "unverified"
    response = stranger.post_json(f"/api/ratings/{token}", {"stars": 5, "comment": "好评"})
    assert response.status_code == 201
    assert (response.json()["rated"], response.json()["unverified_rated"]) == (False, True)
    again = ApiClient().post_json(f"/api/ratings/{token}", {"stars": 5})
    assert again.status_code == 409 and again.json()["code"] == "already_rated_unverified"
    visit = staff_client.get(f"/api/visits/{visit_id}").json()
    assert (visit["rating"], visit["unverified_rating"], visit["unverified_comment"]) == (None, 5, "好评")
    assert _team_rating(users) is None
    # The enterprise's own user may still rate, and only that counts.
    assert new_logged_in_client("demo_enterprise").post_json(f"/api/ratings/{token}", {"stars": 2}).status_code == 201
    assert _team_rating(users) == 2
    assert ApiClient().post_json(f"/api/ratings/{token}", {"stars": 5}).json()["code"] == "already_rated"
