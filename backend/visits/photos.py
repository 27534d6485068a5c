"""Visit photos: checked by content, thumbnailed, EXIF position compared with the check-in."""

import hashlib
import io
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

from backend.accounts.models import User
from backend.errors import Conflict, PayloadTooLarge
from backend.images import CONTENT_TYPES, decode_image
from geo.distance import distance_m

from .models import VisitPhoto
from .selectors import own_visit_get

THUMB_SIZE = (480, 480)


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


def _without_gps(image: Image.Image, data: bytes) -> bytes:
    """The photo as stored: its GPS tags removed (the position is kept in the database,
    where the retention job can coarsen it; a file's EXIF would keep it forever)."""
    exif = image.getexif()
    if 0x8825 not in exif:
        return data
    del exif[0x8825]
    out = io.BytesIO()
    extra = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    if image.format == "JPEG":
        # quality="keep" reuses the original quantisation tables: no visible re-compression.
        image.save(out, "JPEG", quality="keep", exif=exif.tobytes(), **extra)
    elif image.format == "PNG":
        image.save(out, "PNG", exif=exif.tobytes(), **extra)
    else:
        image.save(out, "WEBP", quality=90, exif=exif.tobytes(), **extra)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    thumb = ImageOps.exif_transpose(image).convert("RGB")
    thumb.thumbnail(THUMB_SIZE)
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


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
    image = decode_image(data)
    position = exif_position(image)
    photo = VisitPhoto(
        visit=visit,
        client_id=client_id,
        content_type=CONTENT_TYPES[image.format],
        size_bytes=len(data),
        width=image.width,
        height=image.height,
        sha256=digest,
    )
    if position:
        photo.exif_lat, photo.exif_lng = position
        photo.exif_distance_m = round(distance_m(*position, visit.checkin_lat, visit.checkin_lng), 1)
    photo.image.save("photo", ContentFile(_without_gps(image, data)), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(_thumbnail(image)), save=False)
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
