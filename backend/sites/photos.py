"""Listing photos: checked by content, re-encoded as JPEG without metadata, thumbnailed.

Site photos are public (anyone browsing the map sees them). As with visit photos,
nothing of the original file is kept: re-encoding (backend/images.py) drops EXIF
(phone model, GPS, owner name), XMP, comments and any payload hidden in the file.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from backend.accounts.models import User
from backend.errors import Conflict, NotFound, PayloadTooLarge
from backend.images import clean_rgb, decode_image, decode_slot, jpeg_bytes

from . import selectors
from .models import SitePhoto

MAX_SIDE = 1600
THUMB_SIDE = 480
MAX_PHOTOS_PER_SITE = 12


def site_photo_add(*, user: User, site_id: int, data: bytes) -> tuple[SitePhoto, bool]:
    """Add a photo; the same picture again returns the existing one (False = not new)."""
    if len(data) > getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024):
        raise PayloadTooLarge("照片不能超过10MB", field="file")
    selectors.site_for_manager(user=user, site_id=site_id)  # who may, before any decoding
    # Decoded outside the transaction: on SQLite an open write transaction holds the
    # database's one write lock, which nobody should wait on while pixels are decoded.
    with decode_slot():
        image = clean_rgb(decode_image(data, max_side=MAX_SIDE))
        full, width, height = jpeg_bytes(image, side=MAX_SIDE, quality=85)
        thumb, _, _ = jpeg_bytes(image, side=THUMB_SIDE, quality=80)
        del image
    return _site_photo_store(user=user, site_id=site_id, full=full, width=width, height=height, thumb=thumb)


@transaction.atomic
def _site_photo_store(*, user: User, site_id: int, full: bytes, width: int, height: int, thumb: bytes):
    site = selectors.site_for_manager(user=user, site_id=site_id, lock=True)
    digest = hashlib.sha256(full).hexdigest()
    existing = SitePhoto.objects.filter(site=site, sha256=digest).first()
    if existing is not None:
        return existing, False
    if SitePhoto.objects.filter(site=site).count() >= MAX_PHOTOS_PER_SITE:
        raise Conflict(f"每处场地最多{MAX_PHOTOS_PER_SITE}张照片，请先删除旧照片", code="too_many_photos")
    photo = SitePhoto(
        site=site, width=width, height=height, size_bytes=len(full), sha256=digest, uploaded_by=user
    )
    photo.image.save("photo.jpg", ContentFile(full), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(thumb), save=False)
    # Files first, row second: if the row fails the files are orphans (harmless),
    # never a row pointing at nothing.
    photo.save()
    return photo, True


@transaction.atomic
def site_photo_delete(*, user: User, site_id: int, photo_id: int) -> None:
    site = selectors.site_for_manager(user=user, site_id=site_id)
    photo = SitePhoto.objects.filter(site=site, id=photo_id).first()
    if photo is None:
        raise NotFound("照片不存在")
    image, thumbnail = photo.image, photo.thumbnail
    photo.delete()
    # Delete the files only once the row is gone for good.
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))
