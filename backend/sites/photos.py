"""Listing photos: checked by content, re-encoded as JPEG without metadata, thumbnailed.

Site photos are public (anyone browsing the map sees them), so unlike visit
photos nothing of the original file is kept: re-encoding drops EXIF (phone
model, GPS, owner name) along with any payload hidden in the file.
"""

import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from backend.accounts.models import User
from backend.errors import Conflict, NotFound, PayloadTooLarge
from backend.images import decode_image

from . import selectors
from .models import SitePhoto

MAX_SIDE = 1600
THUMB_SIDE = 480
MAX_PHOTOS_PER_SITE = 12


def _jpeg(image: Image.Image, side: int, quality: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True)  # no exif= argument: metadata is dropped
    return out.getvalue(), copy.width, copy.height


@transaction.atomic
def site_photo_add(*, user: User, site_id: int, data: bytes) -> tuple[SitePhoto, bool]:
    """Add a photo; the same picture again returns the existing one (False = not new)."""
    if len(data) > getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024):
        raise PayloadTooLarge("照片不能超过10MB", field="file")
    site = selectors.site_for_manager(user=user, site_id=site_id, lock=True)
    image = ImageOps.exif_transpose(decode_image(data)).convert("RGB")
    full, width, height = _jpeg(image, MAX_SIDE, 85)
    thumb, _, _ = _jpeg(image, THUMB_SIDE, 80)
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
