"""Owners manage their own unit's listings: specs, status, confirmation, photos (issue #4)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from backend.accounts.models import User
from backend.notifications.models import Notice
from backend.sites.models import OwnerUnit, Site, SitePhoto

from apisupport import make_user
from sites_support import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def own(owner_unit):
    return make_site(owner_unit, name="东湾村1号厂房", last_confirmed=dt.date(2026, 1, 5))


@pytest.fixture
def theirs(db):
    unit = OwnerUnit.objects.create(code="OU002", name="青枫镇南塘村经济合作社")
    return make_site(unit, name="南塘村2号仓库", type="warehouse")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json", HTTP_X_CSRFTOKEN=client.token())


def _jpeg(colour="red", size=(2400, 1200), exif_gps=False) -> bytes:
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (31.0, 7.0, 12.0), 3: "E", 4: (121.0, 25.0, 1.0)}
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_it_lets_an_owner_update_their_listing_and_confirms_it(client, users, own):
    client.login_as("demo_owner")
    response = _patch(
        client,
        f"/api/sites/{own.id}",
        {"status": "reserved", "rent_value": 36, "rent_unit": "yuan_m2_month", "building_area_m2": 950, "crane": True},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["area_m2"], body["rent_per_m2_day"], body["crane"]) == ("reserved", 950, 1.18, True)
    assert body["last_confirmed"] == timezone.localdate().isoformat()
    assert body["contact_phone"] == "13148370841"  # the owner's own view is not masked
    assert body["can_manage"] is True


def test_it_hides_another_units_listing_from_an_owner(client, users, theirs):
    client.login_as("demo_owner")
    assert _patch(client, f"/api/sites/{theirs.id}", {"status": "leased"}).status_code == 404
    assert client.post_json(f"/api/sites/{theirs.id}/confirm").status_code == 404
    assert Site.objects.get(id=theirs.id).status == "vacant"


def test_it_refuses_listing_changes_from_other_roles(client, users, own):
    client.login_as("demo_enterprise")
    response = _patch(client, f"/api/sites/{own.id}", {"status": "leased"})
    assert response.status_code == 403
    assert client.get("/api/sites/mine").status_code == 403


def test_it_lets_an_admin_manage_any_listing(client, users, theirs):
    client.login_as("demo_admin")
    assert _patch(client, f"/api/sites/{theirs.id}", {"status": "leased"}).status_code == 200


def test_it_refuses_unknown_or_malformed_fields(client, users, own):
    client.login_as("demo_owner")
    response = _patch(client, f"/api/sites/{own.id}", {"status": "sold", "owner_unit_id": 2, "contact_mobile": "123"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"status", "owner_unit_id", "contact_mobile"}


def test_it_refuses_a_yearly_rent_without_an_area(client, users, owner_unit):
    site = make_site(owner_unit, type="land", building_area_m2=None)
    client.login_as("demo_owner")
    response = _patch(client, f"/api/sites/{site.id}", {"rent_value": 300000, "rent_unit": "yuan_year"})
    assert response.status_code == 422
    assert "面积" in response.json()["errors"]["rent_unit"]


def test_it_lists_the_owners_own_listings_oldest_confirmation_first(client, users, own, theirs, owner_unit):
    fresh = make_site(owner_unit, name="东湾村3号办公楼", type="office", last_confirmed=timezone.localdate())
    client.login_as("demo_owner")
    body = client.get("/api/sites/mine").json()
    assert [s["id"] for s in body["items"]] == [own.id, fresh.id]
    assert body["items"][0]["awaiting_confirmation"] is True
    assert [s["id"] for s in client.get("/api/sites/mine", {"awaiting": "true"}).json()["items"]] == [own.id]


def test_it_does_not_ask_to_confirm_a_leased_listing(client, users, owner_unit):
    leased = make_site(owner_unit, name="东湾村已租厂房", status="leased", last_confirmed=None)
    client.login_as("demo_owner")
    mine = {s["id"]: s for s in client.get("/api/sites/mine").json()["items"]}
    assert mine[leased.id]["awaiting_confirmation"] is False
    assert leased.id not in [s["id"] for s in client.get("/api/sites/mine", {"awaiting": "true"}).json()["items"]]
    assert leased.id in [s["id"] for s in client.get("/api/sites/mine", {"awaiting": "false"}).json()["items"]]
    assert client.get(f"/api/sites/{leased.id}").json()["awaiting_confirmation"] is False
    found = client.get("/api/sites", {"status": "leased"}).json()["items"]
    assert [f["properties"]["awaiting_confirmation"] for f in found if f["id"] == leased.id] == [False]


def test_it_confirms_a_listing_still_available(client, users, own):
    client.login_as("demo_owner")
    response = client.post_json(f"/api/sites/{own.id}/confirm")
    assert response.status_code == 200
    assert response.json()["awaiting_confirmation"] is False
    assert client.get(f"/api/sites/{own.id}").json()["awaiting_confirmation"] is False


def test_it_reminds_owners_of_listings_unconfirmed_for_90_days_once_a_month(users, own, theirs):
    with time_machine.travel(dt.datetime(2026, 10, 31, 9, 0, tzinfo=dt.UTC)):
        call_command("remind_unconfirmed_sites", stdout=io.StringIO())
        call_command("remind_unconfirmed_sites", stdout=io.StringIO())  # the next day's run sends nothing new
    notices = Notice.objects.filter(kind="sites.confirm_reminder")
    assert [n.user.username for n in notices] == ["demo_owner"]  # OU002 has no owner user yet
    assert "1处场地超过90天未确认" in notices[0].title
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)):
        call_command("remind_unconfirmed_sites", stdout=io.StringIO())
    assert Notice.objects.filter(kind="sites.confirm_reminder").count() == 2


def test_it_adds_a_photo_without_its_metadata_and_serves_it_publicly(client, users, own):
    client.login_as("demo_owner")
    upload = io.BytesIO(_jpeg(exif_gps=True))
    upload.name = "IMG_0001.jpg"
    response = client.post(f"/api/sites/{own.id}/photos", {"file": upload}, HTTP_X_CSRFTOKEN=client.token())
    assert response.status_code == 201, response.content
    photo = response.json()
    assert (photo["width"], photo["height"]) == (1600, 800)
    anonymous = type(client)()
    served = anonymous.get(photo["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert not image.getexif()  # no phone model, no GPS
    thumb = anonymous.get(photo["thumb_url"])
    assert max(Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size) == 480
    assert anonymous.get(f"/api/sites/{own.id}").json()["photos"][0]["id"] == photo["id"]


def test_it_refuses_a_file_that_is_not_a_picture(client, users, own):
    client.login_as("demo_owner")
    upload = io.BytesIO(b"%PDF-1.4 not a picture")
    upload.name = "scan.jpg"
    response = client.post(f"/api/sites/{own.id}/photos", {"file": upload}, HTTP_X_CSRFTOKEN=client.token())
    assert response.status_code == 422
    assert "图片" in response.json()["errors"]["file"]


def test_it_deletes_a_photo_of_the_owners_listing_only(client, users, own, theirs):
    client.login_as("demo_owner")
    upload = io.BytesIO(_jpeg())
    upload.name = "a.jpg"
    photo_id = client.post(f"/api/sites/{own.id}/photos", {"file": upload}, HTTP_X_CSRFTOKEN=client.token()).json()["id"]
    client.post_json("/api/auth/logout")
    other = make_user("owner_ou002", "owner", owner_unit=theirs.owner_unit, password="dianxiaoer-demo")
    client.login_as(other.username)
    assert client.delete(f"/api/sites/{own.id}/photos/{photo_id}", HTTP_X_CSRFTOKEN=client.token()).status_code == 404
    client.post_json("/api/auth/logout")
    client.login_as("demo_owner")
    assert client.delete(f"/api/sites/{own.id}/photos/{photo_id}", HTTP_X_CSRFTOKEN=client.token()).status_code == 204
    assert not SitePhoto.objects.exists()
