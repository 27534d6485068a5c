"""Writes for reports: export requests, and the daily snapshot of stock figures that trends compare."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from backend.accounts.models import User
from backend.errors import RateLimited
from backend.jobs.models import Job
from backend.jobs.services import job_create
from backend.visits.location_log import location_access_log
from backend.visits.models import LocationAccess

from . import exports, selectors
from .models import MetricSnapshot
from .selectors import vacant_site_area


def metrics_snapshot(*, day: dt.date | None = None) -> MetricSnapshot:
    day = day or timezone.localdate()
    snap, _ = MetricSnapshot.objects.update_or_create(
        metric="vacant_site_area", day=day, defaults={"value": vacant_site_area()}
    )
    return snap


def export_request(
    *, user: User, kind: str, date_from: dt.date, date_to: dt.date, fmt: str, ip: str | None, filters: dict | None = None
) -> bytes | Job:
    """An export asked for: the file itself when small, otherwise a job a worker runs.

    The range is capped first, and the scope checked (a staff member gets 403 here,
    not a failed job). The read of other people's whereabouts is logged when asked
    for, with the asker's address, whichever path makes the file.
    """
    exports.export_range_check(date_from=date_from, date_to=date_to)
    filters = filters or {}
    if kind == "demands":
        # 403 for a non-reader, from the ledger's own rule; the row count decides the path.
        rows = selectors.demands_export_size(user=user, date_from=date_from, date_to=date_to, **filters)
    else:
        selectors.team_members(user=user)  # 403 for a non-reader
        rows = selectors.visits_export_size(user=user, date_from=date_from, date_to=date_to) if kind == "visits" else 0
    days = exports.export_days(date_from, date_to)
    big = days > settings.EXPORT_SYNC_MAX_DAYS or (kind in ("visits", "demands") and rows > settings.EXPORT_SYNC_MAX_ROWS)
    if big:
        unfinished = Job.objects.filter(
            user=user, kind__startswith="reports.", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).count()
        if unfinished >= settings.EXPORT_JOBS_PER_USER:
            raise RateLimited(f"已有{unfinished}个导出正在生成，请等它们完成后再试", retry_after=30, code="exports_busy")
    if kind == "visits":
        location_access_log(
            viewer=user,
            subject_ids=selectors.visits_export_subjects(user=user, date_from=date_from, date_to=date_to),
            what=LocationAccess.What.EXPORT,
            detail=f"{date_from}~{date_to}",
            ip=ip,
        )
    if not big:
        return exports.export_bytes(kind=kind, user=user, date_from=date_from, date_to=date_to, fmt=fmt, filters=filters)
    from .tasks import export_file

    spec = exports.EXPORTS[kind]
    return job_create(
        user=user,
        kind=f"reports.{kind}_export",
        title=f"{spec.title} {date_from}~{date_to}（{fmt.upper()}）",
        task=export_file,
        export=kind,
        user_id=user.id,
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        fmt=fmt,
        filters=filters,
    )
