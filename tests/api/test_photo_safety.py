"""Issue 11 items 4 and 5: what an uploaded photo may cost to decode, and what it may keep."""

import io
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from backend import images
from backend.sites.models import SitePhoto
from backend.visits.models import VisitPhoto
from photo_support import ARTIST, MAKE, assert_no_metadata, phone_jpeg, png_bomb
from sites_support import make_site
from test_visit_photos import _media, upload, visit_id  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_site(owner_unit):
    return make_site(owner_unit, name="东湾村1号厂房")


def site_upload(client, site_id, data: bytes, name="IMG_0001.jpg"):
    client.login_as("demo_owner")
    return client.post(
        f"/api/sites/{site_id}/photos", {"file": SimpleUploadedFile(name, data, "image/jpeg")}, HTTP_X_CSRFTOKEN=client.token()
    )


def stored_visit_files(photo_id: int) -> list[bytes]:
    photo = VisitPhoto.objects.get(id=photo_id)
    return [photo.image.read(), photo.thumbnail.read()]


def stored_site_files(photo_id: int) -> list[bytes]:
    photo = SitePhoto.objects.get(id=photo_id)
    return [photo.image.read(), photo.thumbnail.read()]


# --- item 5: nothing of the file's metadata is stored --------------------------------


def test_it_stores_a_visit_photo_without_exif_xmp_iptc_icc_or_comment(client, visit_id, enterprise):
    response = upload(client, visit_id, phone_jpeg())
    assert response.status_code == 201, response.content
    for data in stored_visit_files(response.json()["id"]):
        assert_no_metadata(data)
    # The claimed position is kept where the retention job can coarsen it, not in the file.
    assert VisitPhoto.objects.get(id=response.json()["id"]).exif_lat == pytest.approx(31.12, abs=1e-3)


def test_it_drops_gps_that_only_the_xmp_carries(client, visit_id, users, own_site):
    only_xmp = phone_jpeg(gps=False, camera=False, comment=False, icc=False, iptc=False)
    assert b"GPSLatitude" in only_xmp and b"Exif" not in only_xmp
    response = upload(client, visit_id, only_xmp)
    assert response.status_code == 201, response.content
    for data in stored_visit_files(response.json()["id"]):
        assert_no_metadata(data)
        assert b"GPSLatitude" not in data
    client.post_json("/api/auth/logout")
    response = site_upload(client, own_site.id, only_xmp)
    assert response.status_code == 201, response.content
    for data in stored_site_files(response.json()["id"]):
        assert_no_metadata(data)
        assert b"GPSLatitude" not in data


def test_it_stores_a_site_photo_without_camera_make_model_or_artist(client, users, own_site):
    data = phone_jpeg(gps=False)
    assert MAKE.encode() in data and ARTIST.encode() in data
    response = site_upload(client, own_site.id, data)
    assert response.status_code == 201, response.content
    for stored in stored_site_files(response.json()["id"]):
        assert_no_metadata(stored)
    served = type(client)().get(response.json()["url"])
    assert_no_metadata(b"".join(served.streaming_content))


def test_it_stores_a_png_without_its_text_chunks(client, visit_id):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", f"GPS 31.12,121.42 by {ARTIST}")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPSLatitude</x:xmpmeta>")
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = MAKE
    Image.new("RGBA", (800, 600), (10, 200, 10, 128)).save(out, "PNG", pnginfo=info, exif=exif)
    response = upload(client, visit_id, out.getvalue(), name="screen.png")
    assert response.status_code == 201, response.content
    for data in stored_visit_files(response.json()["id"]):
        assert_no_metadata(data)
        assert b"GPSLatitude" not in data
    served = client.get(response.json()["url"])
    assert served["Content-Type"] == "image/jpeg"


def test_it_keeps_a_rotated_photo_upright_once_its_orientation_tag_is_gone(client, visit_id):
    # Orientation 6: the pixels are stored sideways and the viewer turns them 90° clockwise.
    response = upload(client, visit_id, phone_jpeg(size=(1200, 900), orientation=6))
    assert response.status_code == 201, response.content
    assert (response.json()["width"], response.json()["height"]) == (900, 1200)
    stored = Image.open(io.BytesIO(stored_visit_files(response.json()["id"])[0]))
    assert stored.size == (900, 1200)
    red = stored.getpixel((stored.width - 20, 20))  # the red corner, turned to the top right
    assert red[0] > 180 and red[2] < 80, red


def test_it_accepts_a_phone_mpo_as_a_jpeg(client, visit_id):
    frames = [Image.new("RGB", (1200, 900), (40, 120, 200)), Image.new("RGB", (320, 240), (0, 0, 0))]
    out = io.BytesIO()
    frames[0].save(out, "MPO", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    response = upload(client, visit_id, out.getvalue())
    assert response.status_code == 201, response.content
    assert_no_metadata(stored_visit_files(response.json()["id"])[0])


# --- item 4: decoding is bounded ---------------------------------------------------


def test_it_refuses_a_png_bomb_from_its_header_quickly(client, visit_id, users, own_site):
    bomb = png_bomb()
    assert len(bomb) < 300_000
    started = time.monotonic()
    response = upload(client, visit_id, bomb, name="big.png")
    assert response.status_code == 422
    assert "像素" in response.json()["errors"]["file"]
    client.post_json("/api/auth/logout")
    response = site_upload(client, own_site.id, bomb, name="big.png")
    assert response.status_code == 422
    assert time.monotonic() - started < 2.0  # was 3.5 s per upload, decoding 240 MB


def test_it_refuses_a_png_bomb_without_a_big_allocation():
    # Pillow allocates outside Python's allocator: measure the peak RSS (VmHWM, reset through
    # clear_refs; getrusage's ru_maxrss would start at this pytest process's peak).
    script = """
import re, django
from pathlib import Path
def peak_kb():
    return int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
django.setup()
from backend import images
from backend.errors import Invalid
from photo_support import png_bomb
data = png_bomb()
Path("/proc/self/clear_refs").write_text("5")
before = peak_kb()
try:
    images.decode_image(data, max_side=2560)
except Invalid:
    pass
print(peak_kb() - before)
"""
    env = {"DJANGO_SETTINGS_MODULE": "backend.settings", "PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    grown_kb = int(done.stdout.strip().splitlines()[-1])
    assert grown_kb < 20 * 1024, f"peak RSS grew by {grown_kb / 1024:.0f} MB"


def test_it_decodes_a_large_jpeg_reduced_to_fit_the_budget(client, visit_id, settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    response = upload(client, visit_id, phone_jpeg(size=(2400, 1800)))  # 4.3 MP
    assert response.status_code == 201, response.content
    assert (response.json()["width"], response.json()["height"]) == (600, 450)  # decoded at 1/4
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800)).save(out, "PNG")  # a PNG cannot be decoded reduced
    response = upload(client, visit_id, out.getvalue(), name="big.png")
    assert response.status_code == 422 and "像素" in response.json()["detail"]


def test_it_keeps_a_phone_jpeg_within_the_default_budget_at_full_detail(settings):
    image = images.decode_image(phone_jpeg(size=(5000, 3750)), max_side=2560)  # 18.75 MP > 16.8 MP budget
    assert image.size == (2500, 1875)  # decoded at 1/2: within budget, still sharp
    assert image.width * image.height <= settings.PHOTO_MAX_PIXELS


def test_it_answers_503_with_retry_after_when_every_decode_slot_is_busy(client, visit_id, settings):
    settings.PHOTO_DECODE_WAIT_S = 0.05
    slot = images._semaphore()
    slot.acquire()
    try:
        response = upload(client, visit_id, phone_jpeg(), client_id=(cid := str(uuid.uuid4())))
    finally:
        slot.release()
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.PHOTO_DECODE_RETRY_AFTER_S)
    body = json.loads(response.content)
    assert body["code"] == "photo_busy" and "稍后" in body["detail"]
    assert not VisitPhoto.objects.exists()
    assert upload(client, visit_id, phone_jpeg(), client_id=cid).status_code == 201  # the outbox's retry
