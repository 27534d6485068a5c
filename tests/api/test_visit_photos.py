import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from test_visits import checkin_body

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def visit_id(client, users, enterprise):
    import datetime as dt

    import time_machine

    from test_visits import MORNING

    with time_machine.travel(MORNING + dt.timedelta(minutes=5), tick=True):
        client.login_as("demo_staff")
        yield client.post_json("/api/visits/checkin", checkin_body(enterprise)).json()["id"]


def jpeg(*, gps: tuple[float, float] | None = None, size=(1200, 900)) -> bytes:
    image = Image.new("RGB", size, (40, 120, 200))
    exif = Image.Exif()
    if gps:
        def dms(value):
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = round(((value - d) * 60 - m) * 60, 4)
            return (d, m, s)

        exif[0x8825] = {1: "N", 2: dms(gps[0]), 3: "E", 4: dms(gps[1])}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, visit_id, data: bytes, *, name="photo.jpg", client_id=None):
    return client.post(
        f"/api/visits/{visit_id}/photos",
        {"client_id": client_id or str(uuid.uuid4()), "file": SimpleUploadedFile(name, data, "image/jpeg")},
        HTTP_X_CSRFTOKEN=client.token(),
    )


def test_it_stores_a_photo_with_a_thumbnail_and_exif_distance(client, visit_id, enterprise):
    response = upload(client, visit_id, jpeg(gps=(enterprise.lat, enterprise.lng)))
    assert response.status_code == 201, response.content
    photo = response.json()
    assert (photo["width"], photo["height"]) == (1200, 900)
    assert photo["exif_distance_m"] < 60  # check-in was 50 m north of the enterprise
    thumb = client.get(photo["thumbnail_url"])
    assert thumb.status_code == 200
    assert max(Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size) <= 480
    assert client.get(f"/api/visits/{visit_id}").json()["photos"][0]["id"] == photo["id"]


def test_it_answers_a_photo_replay_with_the_same_photo(client, visit_id):
    data, cid = jpeg(), str(uuid.uuid4())
    first, again = upload(client, visit_id, data, client_id=cid), upload(client, visit_id, data, client_id=cid)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert upload(client, visit_id, jpeg(size=(10, 10)), client_id=cid).status_code == 409


def test_it_refuses_a_photo_over_10_mb_with_413(client, visit_id):
    big = b"\xff\xd8\xff\xe0" + b"0" * (11 * 1024 * 1024)
    response = upload(client, visit_id, big)
    assert response.status_code == 413
    assert "10MB" in response.json()["detail"]


def test_it_refuses_a_pdf_renamed_to_jpg(client, visit_id):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = upload(client, visit_id, pdf, name="scan.jpg")
    assert response.status_code == 422
    assert "JPEG" in response.json()["errors"]["file"]


def test_it_refuses_a_request_body_far_too_large_before_reading_it(client, visit_id):
    response = client.post(
        f"/api/visits/{visit_id}/photos", b"x", content_type="application/octet-stream", CONTENT_LENGTH=str(500 * 1024 * 1024)
    )
    assert response.status_code == 413


def test_it_keeps_other_staff_from_adding_photos(client, visit_id, users):
    client.post_json("/api/auth/logout")
    client.login_as("demo_manager")
    assert upload(client, visit_id, jpeg()).status_code == 404


def test_it_stores_the_photo_without_its_gps_tags(client, visit_id, enterprise):
    from backend.visits.models import VisitPhoto

    response = upload(client, visit_id, jpeg(gps=(enterprise.lat, enterprise.lng)))
    stored = VisitPhoto.objects.get(id=response.json()["id"])
    with stored.image.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
    assert 0x8825 not in image.getexif()
    assert stored.exif_lat == pytest.approx(enterprise.lat, abs=1e-5)
