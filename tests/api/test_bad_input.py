"""Extreme and malformed input is a clear 422 (never a 500, never half-written), on both databases.

Issue 11: dates at year 1 and 9999, ids past 2**63, null for a required field,
non-ASCII digits, NUL and other control characters, non-finite numbers. Each
class is bounded once in backend/kernel/inputs.py; tests/contract/test_input_bounds.py
checks that every input uses those bounds, and the fuzzer generates such values.
"""

import datetime as dt
import io
import json
import logging
import math
import uuid

import pytest
import time_machine
from PIL import Image

from backend.kernel.jsonout import dumps
from backend.sites.models import Site
from backend.visits.models import Visit

from sites_support import make_site

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 11, 17, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MONTH = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
EXTREME_DAYS = ["0001-01-01", "9999-12-31"]


def strict_json(response):
    """The body as JSON.parse would read it: NaN/Infinity are not JSON."""
    def refuse(name):
        raise ValueError(f"{name} in the answer")

    return json.loads(response.content, parse_constant=refuse)


@pytest.fixture
def manager(client, users):
    client.login_as("demo_manager")
    return client


@pytest.fixture
def staff(client, users):
    with time_machine.travel(MORNING + dt.timedelta(minutes=45), tick=True):
        client.login_as("demo_staff")
        yield client


def checkin(client, enterprise) -> dict:
    body = {
        "client_id": str(uuid.uuid4()), "enterprise_id": enterprise.id, "lat": 31.1203, "lng": 121.4201,
        "accuracy_m": 10, "captured_at": MORNING.isoformat(),
    }
    response = client.post_json("/api/visits/checkin", body)
    assert response.status_code == 201, response.content
    return response.json()


def checkout_body(**overrides) -> dict:
    return {
        "client_id": str(uuid.uuid4()), "lat": 31.1203, "lng": 121.4201, "accuracy_m": 10,
        "captured_at": (MORNING + dt.timedelta(minutes=40)).isoformat(), "purpose": "service",
        "people_met": "李总", "summary": "回访", "demands": [{"category": "labour", "text": "招工"}],
    } | overrides


# --- dates (issue 11 item 10: 500 on 18 endpoint/parameter pairs) ---------------------------

DATE_INPUTS = [
    ("/api/visits", "date_from", {}),
    ("/api/visits", "date_to", {}),
    ("/api/reports/team", "date_from", MONTH),
    ("/api/reports/team", "date_to", MONTH),
    *[
        (f"/api/reports/{kind}/export", field, MONTH | {"format": fmt})
        for kind in ("team", "visits")
        for field in ("date_from", "date_to")
        for fmt in ("csv", "xlsx")
    ],
    *[
        ("/api/reports/trends", field, MONTH | {"metric": "visits", "granularity": granularity})
        for field in ("date_from", "date_to")
        for granularity in ("month", "week")
    ],
    ("/api/reports/dashboard", "month", {}),
    ("/api/trails", "date", {}),
]


@pytest.mark.parametrize("path,field,base", DATE_INPUTS, ids=[f"{p}:{f}:{b.get('format', b.get('granularity', ''))}" for p, f, b in DATE_INPUTS])
@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_it_refuses_a_date_outside_the_years_it_serves(manager, users, path, field, base, day):
    value = day[:7] if field == "month" else day
    query = base | {field: value}
    if path == "/api/trails":
        query["staff_id"] = users["manager"].id
    response = manager.get(path, query)
    assert response.status_code == 422, response.content[:200]
    assert field in response.json()["errors"]


def test_it_still_serves_the_first_and_last_day_it_knows(manager):
    assert manager.get("/api/reports/team", {"date_from": "2000-01-01", "date_to": "2000-01-31"}).status_code == 200
    assert manager.get("/api/reports/dashboard", {"month": "2100-12"}).status_code == 200
    assert manager.get("/api/reports/dashboard", {"month": "2026-13"}).status_code == 422


def test_it_refuses_a_check_in_time_at_the_end_of_the_calendar(staff, enterprise):
    body = {"client_id": str(uuid.uuid4()), "enterprise_id": enterprise.id, "lat": 31.12, "lng": 121.42, "captured_at": "9999-12-31T23:59:59+00:00"}
    response = staff.post_json("/api/visits/checkin", body)
    assert response.status_code == 422
    assert "captured_at" in response.json()["errors"]


# --- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/visits", "/api/trails"])
def test_it_refuses_an_id_past_a_database_integer(manager, path):
    response = manager.get(path, {"staff_id": 2**64, "date": "2026-11-17"} if path == "/api/trails" else {"staff_id": 2**64})
    assert response.status_code == 422
    assert "staff_id" in response.json()["errors"]


@pytest.mark.parametrize("ref", ["²", "١٢", "１２", "0x1f", "-1"])
def test_it_refuses_a_visit_reference_that_is_neither_an_ascii_id_nor_a_uuid(staff, enterprise, ref):
    checkin(staff, enterprise)
    out = staff.post_json(f"/api/visits/{ref}/checkout", checkout_body())
    assert out.status_code == 422 and "visit_ref" in out.json()["errors"]
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "JPEG")
    image.name = "x.jpg"
    photo = staff.post(f"/api/visits/{ref}/photos", {"client_id": str(uuid.uuid4()), "file": image}, HTTP_X_CSRFTOKEN=staff.token())
    assert photo.status_code == 422 and "visit_ref" in photo.json()["errors"]
    assert Visit.objects.filter(checkout_at__isnull=False).count() == 0


def test_it_refuses_full_width_digits_in_a_mobile_number(client):
    response = client.post_json("/api/auth/sms/send", {"mobile": "１３８００００１２３４"})
    assert response.status_code == 422 and "mobile" in response.json()["errors"]


# --- null for a required field ----------------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "status", "rent_unit"])
def test_it_refuses_null_for_what_a_listing_cannot_do_without(client, users, owner_unit, field):
    site = make_site(owner_unit, name="东湾村1号厂房", rent_value=1.2, rent_unit="yuan_m2_day")
    before = Site.objects.values().get(id=site.id)
    client.login_as("demo_owner")
    response = client.patch(f"/api/sites/{site.id}", {field: None, "address": "改过的地址"}, content_type="application/json", HTTP_X_CSRFTOKEN=client.token())
    assert response.status_code == 422
    assert response.json()["errors"] == {field: "此项不能为空"}
    assert Site.objects.values().get(id=site.id) == before  # nothing half-written


def test_it_still_clears_a_field_that_may_be_empty(client, users, owner_unit):
    site = make_site(owner_unit, floors=3, address="东湾路1号")
    client.login_as("demo_owner")
    response = client.patch(f"/api/sites/{site.id}", {"floors": None, "address": None}, content_type="application/json", HTTP_X_CSRFTOKEN=client.token())
    assert response.status_code == 200, response.content
    site.refresh_from_db()
    assert (site.floors, site.address) == (None, "")


# --- NUL and other control characters (issue 11 item 11) ----------------------------------------

CONTROLS = ["\x00", "\x1b", "\x7f", "\u0085", "\ud800"]


@pytest.mark.parametrize("char", CONTROLS, ids=["NUL", "ESC", "DEL", "NEL", "surrogate"])
@pytest.mark.parametrize("field", ["summary", "people_met", "demand"])
def test_it_refuses_control_characters_in_a_check_out(staff, enterprise, field, char):
    visit = checkin(staff, enterprise)
    body = checkout_body(**{field: f"回访{char}"}) if field != "demand" else checkout_body(demands=[{"category": "labour", "text": f"招工{char}"}])
    response = staff.post_json(f"/api/visits/{visit['id']}/checkout", body)
    assert response.status_code == 422, response.content[:200]
    # A lone surrogate never becomes text at all: pydantic refuses it first.
    message = "含有无法识别的字符" if char == "\ud800" else "含有不可见的控制字符"
    assert response.json()["errors"] == {"demands.0.text" if field == "demand" else field: message}
    assert Visit.objects.get(id=visit["id"]).checkout_at is None  # still open: the phone can fix and send again


def test_it_keeps_tabs_and_newlines_and_reads_a_windows_newline_as_one(staff, enterprise):
    visit = checkin(staff, enterprise)
    response = staff.post_json(f"/api/visits/{visit['id']}/checkout", checkout_body(summary="第一行\r\n第二行\t完"))
    assert response.status_code == 200, response.content
    assert Visit.objects.get(id=visit["id"]).summary == "第一行\n第二行\t完"


def test_it_refuses_nul_in_a_rating_a_flag_review_and_an_explanation(client, users, enterprise):
    visit = Visit.objects.create(
        client_id=uuid.uuid4(), staff=users["staff"], enterprise=enterprise, checkin_at=MORNING, checkin_received_at=MORNING,
        checkin_lat=31.12, checkin_lng=121.42, distance_m=2000, within_geofence=False, flags=["outside_geofence"],
        checkout_client_id=uuid.uuid4(), checkout_at=MORNING + dt.timedelta(hours=1), rating_token="t" * 22,
    )
    rate = client.post_json(f"/api/ratings/{visit.rating_token}", {"stars": 4, "comment": "好\x00"})
    assert (rate.status_code, rate.json()["errors"]) == (422, {"comment": "含有不可见的控制字符"})
    client.login_as("demo_manager")
    review = client.post_json(f"/api/visits/{visit.id}/flags/outside_geofence/review", {"status": "accepted", "comment": "\x00"})
    assert (review.status_code, list(review.json()["errors"])) == (422, ["comment"])
    client.post_json("/api/auth/logout")
    client.login_as("demo_staff")
    explain = client.post_json(f"/api/visits/{visit.id}/flags/outside_geofence/explain", {"explanation": "对面\x00"})
    assert (explain.status_code, list(explain.json()["errors"])) == (422, ["explanation"])
    visit.refresh_from_db()
    assert visit.rating is None and not visit.flag_reviews.exists()


def test_it_refuses_nul_in_an_enterprise_name_and_a_login(client, users):
    client.login_as("demo_admin")
    body = {"uscc": "91350100M000100Y43", "name": "青枫\x00科技", "lat": 31.1, "lng": 121.4, "industry": "C"}
    response = client.post_json("/api/enterprises", body)
    assert response.status_code == 422 and "name" in response.json()["errors"]
    client.post_json("/api/auth/logout")
    login = client.post_json("/api/auth/login", {"username": "demo\x00staff", "password": "x"})
    assert login.status_code == 422 and "username" in login.json()["errors"]


@pytest.mark.parametrize(
    "path,query",
    [
        ("/api/enterprises", {"q": "青\x00"}),
        ("/api/sites", {"q": "厂\x00"}),
        ("/api/sites/clusters", {"bbox": "121.3,31.0,121.5,31.2\x00", "zoom": 10}),
    ],
)
def test_it_refuses_nul_in_a_query_parameter(client, users, path, query):
    client.login_as("demo_admin")
    response = client.get(path, query)
    assert response.status_code == 422
    assert set(response.json()["errors"]) & set(query)


def test_it_refuses_nul_in_a_path_parameter(client, users):
    assert client.get("/api/ratings/%00").status_code == 422
    client.login_as("demo_staff")
    assert client.post_json("/api/visits/1/flags/out%00side/explain", {"explanation": "x"}).status_code == 422


# --- non-finite numbers (issue 11 item 3) ------------------------------------------------------


def test_it_refuses_a_vanishing_area(client, users, owner_unit):
    site = make_site(owner_unit, rent_value=120_000, rent_unit="yuan_year")
    client.login_as("demo_owner")
    for field in ("building_area_m2", "land_area_m2"):
        response = client.patch(f"/api/sites/{site.id}", {field: 5e-324}, content_type="application/json", HTTP_X_CSRFTOKEN=client.token())
        assert response.status_code == 422 and field in response.json()["errors"]


def test_it_keeps_the_public_map_valid_json_whatever_the_stored_area(client, owner_unit):
    # As an import could still store it: the map must not break for everyone.
    make_site(owner_unit, name="正常厂房", rent_value=1.0, rent_unit="yuan_m2_day")
    make_site(owner_unit, name="面积异常", building_area_m2=5e-324, rent_value=120_000, rent_unit="yuan_year", lng=121.421)
    body = strict_json(client.get("/api/sites", {"bbox": "121.3,31.0,121.5,31.2"}))
    rents = {f["properties"]["name"]: f["properties"]["rent_per_m2_day"] for f in body["items"]}
    assert rents == {"正常厂房": 1.0, "面积异常": None}


@pytest.mark.parametrize(
    "body",
    ['"lat": 1e999', '"lat": NaN', '"accuracy_m": Infinity', '"speed": -Infinity'],
)
def test_it_refuses_non_finite_numbers_in_a_check_in(staff, enterprise, body):
    text = json.dumps({"client_id": str(uuid.uuid4()), "enterprise_id": enterprise.id, "lat": 31.12, "lng": 121.42,
                       "captured_at": MORNING.isoformat()})
    key = body.split(":")[0].strip('"')
    text = text.replace(f'"{key}": 31.12', body) if key == "lat" else text[:-1] + ", " + body + "}"
    response = staff.post("/api/visits/checkin", text, content_type="application/json", HTTP_X_CSRFTOKEN=staff.token())
    assert response.status_code in (400, 422), response.content
    assert not Visit.objects.exists()


@pytest.mark.parametrize("query", [{"area_min": "nan"}, {"rent_max": "inf"}, {"near": "nan,nan"}, {"bbox": "121,31,inf,32"}])
def test_it_refuses_non_finite_numbers_in_a_search(client, query):
    assert client.get("/api/sites", query).status_code == 422


def test_it_sends_null_for_a_speed_with_no_time_between_two_places(client, users, enterprise):
    for i, lng in enumerate((121.42, 121.52)):  # 9.5 km apart, same second
        Visit.objects.create(
            client_id=uuid.uuid4(), staff=users["staff"], enterprise=enterprise, checkin_at=MORNING,
            checkin_received_at=MORNING, checkin_lat=31.12, checkin_lng=lng, distance_m=10 * i, within_geofence=True,
        )
    client.login_as("demo_manager")
    body = strict_json(client.get("/api/trails", {"staff_id": users["staff"].id, "date": "2026-11-17"}))
    assert [leg["speed_kmh"] for leg in body["legs"]] == [None]


def test_it_renders_a_non_finite_number_as_null_and_logs_where(caplog):
    with caplog.at_level(logging.ERROR, logger="backend.kernel.jsonout"):
        text = dumps({"a": 1.5, "b": [float("inf"), {"c": float("nan")}], "d": "文字"})
    assert json.loads(text) == {"a": 1.5, "b": [None, {"c": None}], "d": "文字"}
    assert "$.b[0]" in caplog.text or ".b[0]" in caplog.text
    assert ".b[1].c" in caplog.text
    assert not math.isnan(json.loads(dumps({"x": 0.1}))["x"])
