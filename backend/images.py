"""Uploaded photos: checked by their content, not their name or declared type."""

import io
import warnings

from PIL import Image, UnidentifiedImageError

from backend.errors import Invalid

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 60_000_000  # a 10 MB file can still decode to gigabytes: refuse "decompression bombs"


def decode_image(data: bytes) -> Image.Image:
    """The decoded JPEG/PNG/WebP, or Invalid (422 on field "file") with a Chinese message."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in CONTENT_TYPES:
                raise Invalid("只支持 JPEG、PNG、WebP 格式的照片", field="file")
            if image.width * image.height > MAX_PIXELS:
                raise Invalid("照片像素过大", field="file")
            image.verify()  # structure check; verify() leaves the object unusable
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Invalid("文件不是有效的图片（只支持 JPEG、PNG、WebP）", field="file") from None
        except (OSError, SyntaxError, ValueError):
            raise Invalid("图片文件已损坏，请重新拍摄或选择", field="file") from None
    return image
