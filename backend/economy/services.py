"""Writes: an admin corrects one value (the old one is kept), or imports a spreadsheet (imports.py)."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from backend import access
from backend.errors import NotFound, PayloadTooLarge

from .imports import Report, indicators_import
from .models import Correction, MonthlyIndicator


def indicator_correct(*, user, indicator_id: int, field: str, value: Decimal | None, reason: str) -> MonthlyIndicator:
    access.economy.require_economy_editor(user)
    with transaction.atomic():
        indicator = MonthlyIndicator.objects.select_for_update().filter(id=indicator_id).first()
        if indicator is None:
            raise NotFound("没有这条经济数据")
        old = getattr(indicator, field)
        if old != value:
            Correction.objects.create(indicator=indicator, field=field, old=old, new=value, by=user, reason=reason)
            setattr(indicator, field, value)
            indicator.save(update_fields=[field, "updated_at"])
    return indicator


def indicators_import_upload(*, user, upload, dry_run: bool) -> Report:
    access.economy.require_economy_editor(user)
    if upload.size > settings.ECONOMY_IMPORT_MAX_BYTES:  # before reading it into memory
        raise PayloadTooLarge(f"文件超过 {settings.ECONOMY_IMPORT_MAX_BYTES // (1024 * 1024)} MB")
    return indicators_import(user=user, data=upload.read(), file_name=upload.name or "upload.xlsx", dry_run=dry_run)
