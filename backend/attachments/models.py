"""Files attached to a demand or a consultation: photos and PDFs, stored cleaned.

An attachment belongs to no domain by itself; a domain links it (`Demand.attachments`,
`Consultation.attachments`) and answers who may see it. The original file is never kept:
a photo is re-encoded from its pixels, a PDF re-written without its metadata.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def _path(instance, filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{'.pdf' if instance.kind == 'pdf' else '.jpg'}"


def _thumb_path(instance, filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-thumb.jpg"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "照片"
        PDF = "pdf", "PDF 文件"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=100, help_text="上传时的文件名（已清理），下载时使用")
    file = models.FileField(upload_to=_path)
    thumbnail = models.FileField(upload_to=_thumb_path, blank=True)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField(help_text="存储的（清理后的）文件大小")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, help_text="上传的原文件的摘要：同一文件重复上传只存一次")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["uploaded_by", "sha256"], name="attachment_uploader_sha")]
