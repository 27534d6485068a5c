"""Uploaded photos: checked by their content, decoded within a budget, stored without metadata.

Three costs an upload can impose, and what bounds each:

- **Decoded size.** A 233 KB PNG can declare 7,745 × 7,745 RGBA pixels (240 MB
  decoded, ~600 MB in the worker while Pillow checks and converts it). Nothing is
  decoded past `PHOTO_MAX_PIXELS` (default 4096 × 4096, more than any phone photo
  needs once reduced): PNG and WebP are refused from their header, before a byte of
  pixel data is inflated; a JPEG is decoded reduced (libjpeg's DCT scaling, Pillow's
  `draft`, by 1/2, 1/4 or 1/8) so a 50 MP phone photo still fits.
- **Concurrency.** At most `PHOTO_DECODE_CONCURRENCY` decodes run at once per
  process; a request that cannot get a slot within `PHOTO_DECODE_WAIT_S` is answered
  503 with Retry-After (the phone's outbox keeps the photo and sends it again).
- **Metadata.** Every stored image is re-encoded from its pixels alone: EXIF (GPS,
  camera, artist), XMP (which can carry GPS of its own), IPTC, JPEG comments, PNG
  text chunks and ICC profiles (whose description tags are free text) do not survive.
  Colours in another profile (an iPhone's Display P3) are converted to sRGB first.
"""

import contextlib
import io
import threading
import warnings
from collections.abc import Iterator

from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from backend.errors import Invalid, ServiceUnavailable

# MPO is what many phones write (a JPEG with a second, depth or preview, frame): its
# first frame is an ordinary JPEG.
DECODABLE = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
TOO_MANY_PIXELS = "照片像素过大（最多{mp:.0f}百万像素），请用手机相机的默认尺寸重新拍摄"
BUSY = "服务器正在处理其他照片，请稍后重试（照片会自动重新上传）"

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _semaphore() -> threading.BoundedSemaphore:
    # Keyed by the setting so a test that changes it gets its own semaphore.
    size = max(1, int(settings.PHOTO_DECODE_CONCURRENCY))
    with _slots_lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


@contextlib.contextmanager
def decode_slot() -> Iterator[None]:
    """Hold one of this process's decode slots, or raise ServiceUnavailable (503)."""
    semaphore = _semaphore()
    if not semaphore.acquire(timeout=float(settings.PHOTO_DECODE_WAIT_S)):
        raise ServiceUnavailable(BUSY, retry_after=int(settings.PHOTO_DECODE_RETRY_AFTER_S), code="photo_busy")
    try:
        yield
    finally:
        semaphore.release()


def _too_many_pixels() -> Invalid:
    return Invalid(TOO_MANY_PIXELS.format(mp=settings.PHOTO_MAX_PIXELS / 1e6), field="file", code="too_many_pixels")


def _jpeg_scale(width: int, height: int, *, max_side: int, budget: int) -> int:
    """The DCT scale (1, 2, 4, 8) to decode at: as small as keeps `max_side` on the long
    side, then smaller still if that would exceed the pixel budget."""
    scale = 1
    while scale < 8 and -(-max(width, height) // (scale * 2)) >= max_side:
        scale *= 2
    while scale < 8 and -(-width // scale) * -(-height // scale) > budget:
        scale *= 2
    return scale


def decode_image(data: bytes, *, max_side: int) -> Image.Image:
    """The decoded JPEG/PNG/WebP (a JPEG possibly reduced, its long side still at least
    `max_side` when the original had that), or Invalid (422 on field "file")."""
    budget = int(settings.PHOTO_MAX_PIXELS)
    with warnings.catch_warnings():
        # Pillow warns from 89 MP and refuses from 179 MP; our own budget decides, after
        # a JPEG's reduction, so the warning is only noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))  # reads the header only
            if image.format not in DECODABLE:
                raise Invalid("只支持 JPEG、PNG、WebP 格式的照片", field="file")
            if image.format in ("JPEG", "MPO"):
                scale = _jpeg_scale(image.width, image.height, max_side=max_side, budget=budget)
                if scale > 1:
                    image.draft(image.mode, (image.width // scale, image.height // scale))
            if image.width * image.height > budget:
                raise _too_many_pixels()
            if image.format == "PNG":
                image.verify()  # chunk CRCs, without inflating; verify() leaves the object unusable
                image = Image.open(io.BytesIO(data))
            image.load()
        except Image.DecompressionBombError:
            raise _too_many_pixels() from None
        except UnidentifiedImageError:
            raise Invalid("文件不是有效的图片（只支持 JPEG、PNG、WebP）", field="file") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise Invalid("图片文件已损坏，请重新拍摄或选择", field="file") from None
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are (and the profile goes anyway)


def clean_rgb(image: Image.Image) -> Image.Image:
    """Upright sRGB pixels and nothing else: EXIF orientation applied (the tag itself will
    not be stored), colours converted to sRGB, transparency flattened onto white."""
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    # Pillow's JPEG writer falls back to info["comment"] (a COM segment); everything an
    # encoder could copy over goes with the dict.
    image.info = {}
    return image


def jpeg_bytes(image: Image.Image, *, side: int, quality: int) -> tuple[bytes, int, int]:
    """`image` (from clean_rgb) shrunk to fit side × side, as a JPEG with no metadata segment."""
    copy = image.copy()
    copy.thumbnail((side, side))
    copy.info = {}
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=quality, optimize=True)  # no exif=, xmp=, icc_profile=, comment=
    return out.getvalue(), copy.width, copy.height
