import datetime as dt

from django_tasks import task

from backend.accounts.models import User
from backend.jobs.services import job_file_path, job_finished, job_progress, job_running, once

from . import exports
from .services import metrics_snapshot


@task()
def snapshot_metrics(*, key: str) -> float:
    """Daily (JOBS_DAILY): today's vacant site area, for the trends' 环比/同比."""
    with once(key):
        # Rewriting the same day's figure is harmless, so no need to skip a rerun.
        return metrics_snapshot().value


@task()
def export_file(
    *, key: str, job_id: str, export: str, user_id: int, date_from: str, date_to: str, fmt: str, filters: dict | None = None
) -> int:
    """A large export (services.export_request): rows streamed into the job's file, with progress.

    The rows are read with the asker's scope as it is when the task runs. A rerun after
    a dead worker starts the file over; it is written beside its final name and renamed
    when complete, so a half-written file is never served.
    """
    with job_running(job_id=job_id) as job:
        if job is None:
            return 0
        user = User.objects.get(id=user_id)
        start, end = dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to)
        name = exports.file_name(export, date_from=start, date_to=end, fmt=fmt)
        path = job_file_path(job, name)
        partial = path.with_name(name + ".part")

        def progress(done: int, total: int | None) -> None:
            job_progress(job_id=job_id, done=done, total=total)

        with partial.open("wb") as out:
            rows = exports.export_write(kind=export, user=user, date_from=start, date_to=end, fmt=fmt, out=out, progress=progress, filters=filters)
        partial.replace(path)
        job_finished(job_id=job_id, path=path, file_name=name, content_type=exports.CONTENT_TYPES[fmt])
        return rows
