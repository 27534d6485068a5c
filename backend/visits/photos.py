"""Visit photos: checked by content, EXIF position compared with the check-in, stored re-encoded."""

import hashlib
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image

from backend.accounts.models import User
from backend.errors import Conflict, PayloadTooLarge
from backend.images import clean_rgb, decode_image, decode_slot, jpeg_bytes
from geo.distance import distance_m

from .models import VisitPhoto
from .selectors import own_visit_get

# Long side of the stored photo: enough to read a shop sign or a document on a wall.
MAX_SIDE = 2560
THUMB_SIDE = 480


def _gps_degrees(value, ref) -> float | None:
    try:
        degrees = float(value[0]) + float(value[1]) / 60 + float(value[2]) / 3600
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    return -degrees if ref in ("S", "W") else degrees


def exif_position(image: Image.Image) -> tuple[float, float] | None:
    gps = image.getexif().get_ifd(0x8825)  # GPSInfo
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat = _gps_degrees(gps.get(2), gps.get(1))
    lng = _gps_degrees(gps.get(4), gps.get(3))
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def _stored_files(image: Image.Image) -> tuple[bytes, int, int, bytes]:
    """The photo and its thumbnail as stored: re-encoded from the pixels alone, so no EXIF
    (GPS, camera, artist), XMP, IPTC or comment survives. The position the photo claimed is
    kept in the database instead, where the retention job can coarsen it."""
    clean = clean_rgb(image)
    full, width, height = jpeg_bytes(clean, side=MAX_SIDE, quality=85)
    thumb, _, _ = jpeg_bytes(clean, side=THUMB_SIDE, quality=80)
    return full, width, height, thumb


def visit_photo_add(*, staff: User, visit_ref: str, client_id: UUID, data: bytes) -> tuple[VisitPhoto, bool]:
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise PayloadTooLarge("照片不能超过10MB", field="file")
    visit = own_visit_get(staff=staff, visit_ref=visit_ref)
    digest = hashlib.sha256(data).hexdigest()
    existing = VisitPhoto.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.visit_id == visit.id and existing.sha256 == digest:
            return existing, False
        raise Conflict("该照片编号已用于另一张照片", code="client_id_reused", field="client_id")
    with decode_slot():
        image = decode_image(data, max_side=MAX_SIDE)
        position = exif_position(image)
        full, width, height, thumb = _stored_files(image)
        del image
    photo = VisitPhoto(
        visit=visit,
        client_id=client_id,
        content_type="image/jpeg",
        size_bytes=len(data),  # as uploaded: the phone sends photos as taken (e2e checks it)
        width=width,
        height=height,
        sha256=digest,  # of the upload: a replay of the same file is recognised
    )
    if position:
        photo.exif_lat, photo.exif_lng = position
        photo.exif_distance_m = round(distance_m(*position, visit.checkin_lat, visit.checkin_lng), 1)
    photo.image.save("photo.jpg", ContentFile(full), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(thumb), save=False)
    try:
        with transaction.atomic():
            photo.save()
    except IntegrityError:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        existing = VisitPhoto.objects.filter(client_id=client_id).first()
        if existing is not None and existing.visit_id == visit.id and existing.sha256 == digest:
            return existing, False
        raise Conflict("该照片编号已用于另一张照片", code="client_id_reused", field="client_id") from None
    return photo, True
