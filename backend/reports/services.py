"""Writes for reports: the daily snapshot of stock figures that trends compare."""

import datetime as dt

from django.utils import timezone

from .models import MetricSnapshot
from .selectors import vacant_site_area


def metrics_snapshot(*, day: dt.date | None = None) -> MetricSnapshot:
    day = day or timezone.localdate()
    snap, _ = MetricSnapshot.objects.update_or_create(
        metric="vacant_site_area", day=day, defaults={"value": vacant_site_area()}
    )
    return snap
