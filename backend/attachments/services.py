"""Storing an upload as an attachment: recognised by its content, never by its name or the
type the browser claims; decoded within the photo budget; saved without metadata.

- Photos (JPEG, PNG, WebP) go through `backend.images`: the pixel budget, the decode
  slots, EXIF orientation applied, and a re-encoded JPEG from the pixels alone — GPS,
  camera, XMP and ICC text do not survive.
- PDFs are opened by qpdf (pikepdf), refused when damaged or encrypted or past
  `ATTACHMENT_PDF_MAX_PAGES`, and written again without the document information, the XMP
  metadata, and anything that runs on opening (OpenAction, additional actions,
  JavaScript, embedded files). Browsers are given them as downloads, never inline.
- Anything else is refused with a Chinese message saying what is accepted.
"""

import hashlib
import io
import re
import unicodedata

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from backend.errors import Conflict, Invalid, PayloadTooLarge, RateLimited
from backend.images import clean_rgb, decode_image, decode_slot, jpeg_bytes
from backend.ratelimit import Limit

from .models import Attachment

MAX_SIDE = 2560  # a form or a licence photographed on a desk stays readable
THUMB_SIDE = 480
NOT_ACCEPTED = "只能上传照片（JPEG、PNG、WebP）或 PDF 文件"
DAMAGED_PDF = "PDF 文件已损坏或无法读取，请重新导出后上传"
ENCRYPTED_PDF = "PDF 文件设置了密码，请去掉密码后上传"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def clean_name(name: str, *, kind: str) -> str:
    """The uploaded name, safe to show and to offer as a download name: no path, no
    control or reserved characters, at most 100 characters, with the extension we store."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE.sub("_", base).strip(" ._")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:90] or ("照片" if kind == Attachment.Kind.IMAGE else "文件")
    return f"{stem}.{'pdf' if kind == Attachment.Kind.PDF else 'jpg'}"


def _is_pdf(data: bytes) -> bool:
    # PDF readers accept the header anywhere in the first 1,024 bytes.
    return b"%PDF-" in data[:1024]


def _is_photo(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _clean_pdf(data: bytes) -> tuple[bytes, int]:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            if pages == 0:
                raise Invalid(DAMAGED_PDF, field="file", code="pdf_damaged")
            if pages > settings.ATTACHMENT_PDF_MAX_PAGES:
                raise Invalid(f"PDF 最多 {settings.ATTACHMENT_PDF_MAX_PAGES} 页（这份有 {pages} 页）", field="file", code="pdf_too_long")
            root = pdf.Root
            for key in ("/OpenAction", "/AA", "/Metadata", "/Names", "/AcroForm", "/URI"):
                if key in root:
                    del root[key]
            for page in pdf.pages:
                for key in ("/AA",):
                    if key in page.obj:
                        del page.obj[key]
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True, linearize=False)
    except pikepdf.PasswordError:
        raise Invalid(ENCRYPTED_PDF, field="file", code="pdf_encrypted") from None
    except (pikepdf.PdfError, ValueError, RecursionError):
        raise Invalid(DAMAGED_PDF, field="file", code="pdf_damaged") from None
    return out.getvalue(), pages


def attachment_store(*, user, name: str, data: bytes) -> Attachment:
    """An upload as a cleaned, stored attachment (not yet linked to anything)."""
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise PayloadTooLarge(f"附件不能超过 {settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}MB", field="file")
    if not data:
        raise Invalid("文件是空的", field="file", code="empty_file")
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(uploaded_by=user, sha256=digest)
    if _is_pdf(data):
        cleaned, attachment.pages = _clean_pdf(data)
        attachment.kind, attachment.content_type = Attachment.Kind.PDF, "application/pdf"
        attachment.file.save("a.pdf", ContentFile(cleaned), save=False)
        attachment.size_bytes = len(cleaned)
    else:
        if not _is_photo(data):
            raise Invalid(NOT_ACCEPTED, field="file", code="unsupported_file")
        with decode_slot():
            image = decode_image(data, max_side=MAX_SIDE)
            clean = clean_rgb(image)
            del image
            full, attachment.width, attachment.height = jpeg_bytes(clean, side=MAX_SIDE, quality=85)
            thumb, _, _ = jpeg_bytes(clean, side=THUMB_SIDE, quality=80)
        attachment.kind, attachment.content_type = Attachment.Kind.IMAGE, "image/jpeg"
        attachment.file.save("a.jpg", ContentFile(full), save=False)
        attachment.thumbnail.save("t.jpg", ContentFile(thumb), save=False)
        attachment.size_bytes = len(full)
    attachment.name = clean_name(name, kind=attachment.kind)
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
        raise
    return attachment


def attachment_take_upload_budget(*, user) -> None:
    """Uploads cost a decode each: at most ATTACHMENTS_PER_DAY per person a day (429)."""
    limit = Limit(f"attachment:user:{user.id}:day", settings.ATTACHMENTS_PER_DAY, 24 * 3600)
    if limit.take() is None:
        raise RateLimited(
            f"今天上传的附件已达上限（{settings.ATTACHMENTS_PER_DAY}个），请明天再试",
            retry_after=max(1, limit.exceeded()),
            code="attachment_throttled",
        )


def attachment_add(*, user, to, name: str, data: bytes) -> Attachment:
    """Store `data` and link it to `to` (a demand or a consultation with an `attachments`
    many-to-many), at most ATTACHMENTS_PER_ITEM each. The same file sent twice by the same
    person (a retry from a phone on one bar) is linked once, not stored twice."""
    existing = to.attachments.filter(uploaded_by=user, sha256=hashlib.sha256(data).hexdigest()).first()
    if existing is not None:
        return existing
    full = Conflict(f"最多上传 {settings.ATTACHMENTS_PER_ITEM} 个附件", code="too_many_attachments", field="file")
    if to.attachments.count() >= settings.ATTACHMENTS_PER_ITEM:
        raise full  # before the decode: a full item costs nothing
    attachment_take_upload_budget(user=user)
    attachment = attachment_store(user=user, name=name, data=data)
    with transaction.atomic():
        # Two uploads to one item at once both passed the count above: the item's row lock
        # makes the second count again after the first has linked its file.
        type(to).objects.select_for_update().filter(pk=to.pk).exists()
        room = to.attachments.count() < settings.ATTACHMENTS_PER_ITEM
        if room:
            to.attachments.add(attachment)
    if not room:
        attachment_discard(attachment)
        raise full
    return attachment


def attachment_discard(attachment: Attachment) -> None:
    """An attachment stored but never linked: its files and its row go."""
    attachment.file.delete(save=False)
    if attachment.thumbnail:
        attachment.thumbnail.delete(save=False)
    attachment.delete()
